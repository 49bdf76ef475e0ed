import type { AgenticGenError } from '../errors/agenticgen-error.js';
import type { EventBus } from '../events/event-bus.js';
import type { BackoffOptions, Task, TaskHandle } from './task.js';

export interface SchedulerOptions {
  /** Tasks running at once across all groups (default 8). */
  concurrency?: number;
  /** Limit per group: one number for every group, or per group name (groups not listed are unlimited). */
  groupConcurrency?: number | Readonly<Record<string, number>>;
  /** Tasks waiting (queued or between retries) before `schedule` refuses with `queue-full` (default unlimited). */
  maxQueueSize?: number;
  /** Default retries per task (default 0). */
  retries?: number;
  /** Default backoff. */
  backoff?: BackoffOptions;
  /** Default per-attempt time limit in ms. */
  timeoutMs?: number;
  /** Start paused (call `resume()`). */
  paused?: boolean;
}

/** Scheduler events. Emitted only when someone listens, so they cost nothing otherwise. */
export interface SchedulerEvents {
  'task-queue': { taskId: string; name?: string; priority: number; queued: number };
  'task-start': { taskId: string; name?: string; attempt: number; running: number };
  'task-progress': { taskId: string; name?: string; fraction: number; message?: string };
  'task-retry': { taskId: string; name?: string; attempt: number; delayMs: number; errorCode: string };
  'task-complete': { taskId: string; name?: string; attempts: number; durationMs: number };
  'task-fail': { taskId: string; name?: string; attempts: number; errorCode: string; error: AgenticGenError };
  'task-cancel': { taskId: string; name?: string; reason: string };
  /** Nothing queued or running any more. */
  idle: { completed: number; failed: number; cancelled: number };
}

/** Counters since creation. */
export interface SchedulerStats {
  queued: number;
  running: number;
  completed: number;
  failed: number;
  cancelled: number;
}

export interface Scheduler {
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
  /** Cancels everything and refuses new tasks with `disposed`. */
  dispose(): void;
}
