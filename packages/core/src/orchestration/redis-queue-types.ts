import type { AsyncResource } from '../contracts/async-resource.js';
import type { SerializedAgenticGenError } from '../errors/agenticgen-error.js';
import type { RedisConnection } from './redis-queue-support.js';
import type { TaskContext } from './task.js';

export type { RedisConnection } from './redis-queue-support.js';

export interface RedisTaskQueueOptions {
  /** Queue name; every process using the same name and Redis shares the queue. */
  name: string;
  /** Where Redis is. */
  connection: RedisConnection;
  /** Key prefix in Redis (default `agenticgen`). */
  prefix?: string;
  /** Retries after the first attempt (default 0). */
  maxRetries?: number;
  /** @deprecated Use `maxRetries` (one name for the idea across packages, as in the adapters' retry options); removed in the next minor release. */
  retries?: number;
  /** Exponential backoff base delay in ms between retries (default 1000). */
  backoffDelayMs?: number;
  /**
   * Keep at most this many finished jobs in Redis (default 1000 each of completed and failed). `result()` of a
   * task whose job was removed by this limit rejects with `result-expired`.
   */
  keepFinished?: number;
  /**
   * How long a worker's lock on a running task lasts, in ms (default 5000); the worker renews it every half of
   * this. A worker that dies (SIGKILL, power loss) holds its tasks until the lock expires. A handler that blocks
   * the event loop longer than this loses its lock and its task may run a second time elsewhere.
   */
  lockDurationMs?: number;
  /**
   * How often each worker looks for tasks whose lock expired and puts them back in the queue, in ms (default
   * 5000). A crashed worker's tasks restart within about `lockDurationMs + stalledIntervalMs`.
   */
  stalledIntervalMs?: number;
  /** Restarts after a stall before the task fails for good (default 1). */
  maxStalls?: number;
  /** Dead letters kept, newest first (default 10,000); older ones are dropped. */
  deadLetterLimit?: number;
  /** The `bullmq` module, to inject a specific copy instead of `await import('bullmq')`. */
  bullmq?: unknown;
}

/** Per-task options. */
export interface EnqueueOptions {
  /** Job id; enqueueing an id that exists is a no-op returning the existing job (idempotent producers). */
  id?: string;
  /** Higher runs first (default 0), as with the in-process scheduler. */
  priority?: number;
  /** Overrides the queue's `maxRetries`. */
  maxRetries?: number;
  /** @deprecated Use `maxRetries` (one name for the idea across packages, as in the adapters' retry options); removed in the next minor release. */
  retries?: number;
  /** Run no earlier than this many ms from now. */
  delayMs?: number;
  /** Absolute deadline (epoch ms or Date): a worker that picks the task up later fails it with `deadline-exceeded`. */
  deadline?: number | Date;
  /** Time limit of one attempt in ms, enforced by the worker through the task's signal. */
  timeoutMs?: number;
}

/** A task in the shared queue. */
export interface RemoteTaskHandle<R = unknown> {
  /** Job id. */
  readonly id: string;
  /**
   * Waits for the outcome (from any worker process); failures come back as AgenticGenErrors with their code:
   * `aborted` when cancelled, `result-expired` when the task finished but its job was already trimmed.
   */
  result(options?: { timeoutMs?: number }): Promise<R>;
  /** Calls `listener` with each `context.progress(fraction)` the worker reports; returns a function that stops. */
  onProgress(listener: (fraction: number) => void): () => void;
}

/** Handler of one task name. `context.attempt` counts every start, including restarts after a stall. */
export type RemoteTaskHandler = (input: unknown, context: TaskContext) => Promise<unknown> | unknown;

/** A task that failed for good (retries exhausted, or a non-retryable error); cancelled tasks are not kept. */
export interface DeadLetter {
  /** Job id. */
  id: string;
  /** Handler name. */
  name: string;
  /** The task's input. */
  input: unknown;
  /** Attempts started, including restarts after stalls. */
  attempts: number;
  /** The last attempt's error. */
  error: SerializedAgenticGenError;
  /** When it failed for good (epoch ms). */
  failedAt: number;
}

/** A running worker of this process. */
export interface RedisQueueWorker {
  /** Stops taking tasks; waits for running ones unless `force`. */
  close(options?: { force?: boolean }): Promise<void>;
}

export interface RedisTaskQueue extends AsyncResource {
  /** Adds a task for `handlerName`. */
  enqueue<R = unknown>(handlerName: string, input: unknown, options?: EnqueueOptions): Promise<RemoteTaskHandle<R>>;
  /** Starts a worker in this process for the given handlers (default concurrency 4). */
  process(
    handlers: Readonly<Record<string, RemoteTaskHandler>>,
    options?: { concurrency?: number },
  ): Promise<RedisQueueWorker>;
  /**
   * Cancels a queued or running task, from any process: a queued task is removed and never runs; a running
   * one's `context.signal` aborts in whichever worker runs it. Its `result()` rejects with `aborted`. Resolves
   * `false` when the task already finished or is unknown.
   */
  cancel(id: string, reason?: string): Promise<boolean>;
  /** Tasks that failed for good, newest first (default and maximum `limit`: `deadLetterLimit`). */
  deadLetters(options?: { limit?: number }): Promise<DeadLetter[]>;
  /** Counts by state. */
  counts(): Promise<{
    waiting: number;
    active: number;
    delayed: number;
    completed: number;
    failed: number;
    prioritized: number;
  }>;
  /** Closes the queue, its event listener and every worker started here. Idempotent; the same as `dispose()`. */
  close(): Promise<void>;
}
