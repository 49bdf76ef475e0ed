/**
 * @agenticgen/core/redis-queue — a task queue shared by several Node processes through Redis (BullMQ, an
 * optional peer dependency loaded on first use). Kept out of the main entry so browser bundles never see it.
 */

export {
  durableStepHandlers,
  type QueuedStep,
  type QueuedStepContext,
  type QueuedStepInput,
  type QueuedStepOptions,
  queuedStep,
  queuedStepJobId,
} from './orchestration/durable-queue.js';
export {
  createRedisTaskQueue,
  type DeadLetter,
  type EnqueueOptions,
  type RedisConnection,
  type RedisQueueWorker,
  type RedisTaskQueue,
  type RedisTaskQueueOptions,
  type RemoteTaskHandle,
  type RemoteTaskHandler,
} from './orchestration/redis-queue.js';
