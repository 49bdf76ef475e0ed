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
  'task-queue': TaskEventBase & {
    /** The task's priority (higher runs first). */
    priority: number;
    /** Tasks now waiting, this one included. */
    queued: number;
  };
  /** An attempt started; `running` is the number now running. */
  'task-start': TaskEventBase & {
    /** The attempt number, 1 for the first. */
    attempt: number;
    /** Tasks now running, this one included. */
    running: number;
  };
  /** The task reported progress (`fraction` from 0 to 1). */
  'task-progress': TaskEventBase & {
    /** How much is done, from 0 to 1. */
    fraction: number;
    /** The task's message with the progress, when it gave one. */
    message?: string;
  };
  /** Attempt `attempt` failed with `errorCode`; the next starts after `delayMs`. */
  'task-retry': TaskEventBase & {
    /** The attempt that failed, 1 for the first. */
    attempt: number;
    /** The backoff before the next attempt, in milliseconds. */
    delayMs: number;
    /** The code of the error that failed the attempt. */
    errorCode: string;
  };
  /** The task succeeded; `durationMs` is the last attempt's wall time. */
  'task-complete': TaskEventBase & {
    /** Attempts made, the successful one included. */
    attempts: number;
    /** Wall time of the successful attempt, in milliseconds. */
    durationMs: number;
  };
  /** The task failed for good. */
  'task-fail': TaskEventBase & {
    /** Attempts made. */
    attempts: number;
    /** The code of the final error (`task-failed`, `timeout`, `dependency-failed`, …). */
    errorCode: string;
    /** The final error. */
    error: AgenticGenError;
  };
  /** The task was cancelled. */
  'task-cancel': TaskEventBase & {
    /** Why: the reason given to `cancel`/`cancelAll`, or what cancelled it (dispose, abort signal). */
    reason: string;
  };
  /** Nothing queued or running any more. */
  idle: {
    /** Tasks completed since creation. */
    completed: number;
    /** Tasks failed for good since creation. */
    failed: number;
    /** Tasks cancelled since creation. */
    cancelled: number;
  };
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
