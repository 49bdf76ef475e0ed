import type { BackoffOptions } from './backoff.js';

export { type BackoffOptions, backoffDelay } from './backoff.js';

/** What a running task can see and do. */
export interface TaskContext {
  /** The task id. */
  readonly taskId: string;
  /** 1 for the first attempt, 2 for the first retry, … */
  readonly attempt: number;
  /** Aborts on cancellation, timeout or deadline (the reason is an AgenticGenError with the matching code). */
  readonly signal: AbortSignal;
  /** Reports progress: a fraction from 0 to 1 and an optional message (emitted as `task-progress`). */
  progress(fraction: number, message?: string): void;
}

/** A unit of work for the scheduler. */
export interface Task<I = unknown, R = unknown> {
  /** Unique id (default: generated). */
  id?: string;
  /** Human name for events and errors. */
  name?: string;
  /** The input passed to `run`. */
  input?: I;
  /** Does the work; must honour `context.signal` to stop promptly when cancelled. */
  run(input: I, context: TaskContext): Promise<R> | R;
  /** Higher runs first (default 0); equal priorities run in submission order. */
  priority?: number;
  /** Concurrency group, typically the agent's name (limits per group come from the scheduler options). */
  group?: string;
  /** Absolute deadline (epoch ms or Date); reaching it fails the task with `deadline-exceeded`, queued or running. */
  deadline?: number | Date;
  /** Time limit per attempt in ms (a `timeout` error, retried like other transient failures). */
  timeoutMs?: number;
  /** Retries after the first attempt (default: the scheduler's, 0). */
  maxRetries?: number;
  /** @deprecated Use `maxRetries` (one name for the idea across packages, as in the adapters' retry options); removed in the next minor release. */
  retries?: number;
  /** Backoff between retries (default: the scheduler's). */
  backoff?: BackoffOptions;
  /** Decides whether a failure is retried (default: non-AgenticGen errors and AgenticGen errors marked `retryable`). */
  retryOn?: (error: unknown, attempt: number) => boolean;
  /** Cancels the task from outside. */
  signal?: AbortSignal;
  /**
   * Tasks of the same scheduler (or any handles) that must complete first. The task waits, counted as queued;
   * if one fails or is cancelled it fails with `dependency-failed` without running. For graphs with data
   * flowing between nodes, `runDag` is more convenient.
   */
  dependsOn?: readonly TaskHandle<unknown>[];
}

/** Where a task is in its life. */
export type TaskStatus = 'queued' | 'running' | 'retrying' | 'completed' | 'failed' | 'cancelled';

/** A scheduled task. */
export interface TaskHandle<R = unknown> {
  /** The task id. */
  readonly id: string;
  /** Current status. */
  readonly status: TaskStatus;
  /** Attempts started so far. */
  readonly attempts: number;
  /** Settles with the task's value, or rejects with an AgenticGenError (`aborted`, `timeout`, `deadline-exceeded`, …). */
  readonly result: Promise<R>;
  /** Cancels the task (queued: removed; running: its signal aborts). Returns false when it had already ended. */
  cancel(reason?: string): boolean;
}

/** The retry budget of options that still accept the deprecated `retries` beside `maxRetries` (the new name wins). */
export function maxRetriesOf(options: { readonly maxRetries?: number; readonly retries?: number }): number | undefined {
  return options.maxRetries ?? options.retries;
}
