/**
 * @agenticgen/core/redis-queue — a task queue shared by several Node processes through Redis (BullMQ, an
 * optional peer dependency loaded on first use). Kept out of the main entry so browser bundles never see it.
 */
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
