import type { AsyncResource } from '../contracts/async-resource.js';
import type { AgenticGenError } from '../errors/agenticgen-error.js';
import type { EventBus } from '../events/event-bus.js';
import type { BackoffOptions, Task, TaskHandle } from './task.js';

/**
 * Codes orchestration throws besides the core ones (`aborted`, `timeout`, `queue-full`, …); see
 * docs/orchestration.md for when each happens and whether it is retryable.
 */
export type OrchestrationErrorCode =
  | 'deadline-exceeded'
  | 'task-failed'
  | 'dependency-failed'
  /** Redis queue: the task finished but its job was trimmed (`keepFinished`) before `result()` read it. */
  | 'result-expired';

export interface SchedulerOptions {
  /** Tasks running at once across all groups (default 8). */
  concurrency?: number;
  /** Limit per group: one number for every group, or per group name (groups not listed are unlimited). */
  groupConcurrency?: number | Readonly<Record<string, number>>;
  /** Tasks waiting (queued or between retries) before `schedule` refuses with `queue-full` (default unlimited). */
  maxQueueSize?: number;
  /** Default retries per task after its first attempt (default 0). */
  maxRetries?: number;
  /** @deprecated Use `maxRetries` (one name for the idea across packages, as in the adapters' retry options); removed in the next minor release. */
  retries?: number;
  /** Default backoff. */
  backoff?: BackoffOptions;
  /** Default per-attempt time limit in ms. */
  timeoutMs?: number;
  /** Start paused (call `resume()`). */
  paused?: boolean;
}

/** Fields every task event carries. */
export interface TaskEventBase {
  /** The task id. */
  taskId: string;
  /** The task name, when it has one. */
  name?: string;
}

/** Scheduler events. Emitted only when someone listens, so they cost nothing otherwise. */
export interface SchedulerEvents {
  /** A task was accepted; `queued` is the number now waiting. */
  'task-queue': TaskEventBase & { priority: number; queued: number };
  /** An attempt started; `running` is the number now running. */
  'task-start': TaskEventBase & { attempt: number; running: number };
  /** The task reported progress (`fraction` from 0 to 1). */
  'task-progress': TaskEventBase & { fraction: number; message?: string };
  /** Attempt `attempt` failed with `errorCode`; the next starts after `delayMs`. */
  'task-retry': TaskEventBase & { attempt: number; delayMs: number; errorCode: string };
  /** The task succeeded; `durationMs` is the last attempt's wall time. */
  'task-complete': TaskEventBase & { attempts: number; durationMs: number };
  /** The task failed for good. */
  'task-fail': TaskEventBase & { attempts: number; errorCode: string; error: AgenticGenError };
  /** The task was cancelled. */
  'task-cancel': TaskEventBase & { reason: string };
  /** Nothing queued or running any more. */
  idle: { completed: number; failed: number; cancelled: number };
}

/** Current counts. */
export interface SchedulerStats {
  /** Waiting: queued, waiting for dependencies, or between retries. */
  queued: number;
  /** Running now. */
  running: number;
  /** Completed since creation. */
  completed: number;
  /** Failed for good since creation. */
  failed: number;
  /** Cancelled since creation. */
  cancelled: number;
}

export interface Scheduler extends AsyncResource {
  /** Progress and lifecycle events. */
  readonly events: EventBus<SchedulerEvents>;
  /** Current counts. */
  readonly stats: SchedulerStats;
  /** Queues a task; throws `queue-full` when the bounded queue is full. */
  schedule<I, R>(task: Task<I, R>): TaskHandle<R>;
  /** Queues a task, waiting for room in a bounded queue first (FIFO among waiters). */
  scheduleWhenSpace<I, R>(task: Task<I, R>, options?: { signal?: AbortSignal }): Promise<TaskHandle<R>>;
  /** `schedule(task).result`. */
  run<I, R>(task: Task<I, R>): Promise<R>;
  /** Resolves when nothing is queued or running. */
  onIdle(): Promise<void>;
  /** Stops starting tasks (running ones continue). */
  pause(): void;
  /** Starts tasks again. */
  resume(): void;
  /** Cancels every queued and running task. */
  cancelAll(reason?: string): void;
  /**
   * Cancels everything and refuses new tasks with `disposed`. The cancellation happens at once (callers that
   * ignored the former `void` result keep working); the promise is for `await using` and other resources.
   */
  dispose(): Promise<void>;
}
