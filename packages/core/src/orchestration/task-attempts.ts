import { AgenticGenError } from '../errors/agenticgen-error.js';
import type { EventBus } from '../events/event-bus.js';
import type { ScheduledTask } from './scheduled-task.js';
import type { SchedulerEvents, SchedulerOptions } from './scheduler-types.js';
import { backoffDelay, maxRetriesOf, type TaskContext } from './task.js';
import { armAttemptTimeout, armRetry, clearAttemptTimer, clearTaskTimers } from './task-timers.js';

/**
 * How the scheduler runs one attempt of a task and what follows it: the context the task sees, success, and on
 * failure a retry after backoff or the end of the task. The queue and its counters stay in scheduler.ts, which
 * hands them over as an `AttemptHost`.
 */
export interface AttemptHost {
  readonly events: EventBus<SchedulerEvents>;
  readonly options: SchedulerOptions;
  /** A waiting task takes a running slot (and its group's); returns how many run now. */
  begin(record: ScheduledTask): number;
  /** A running attempt gives its slot back (and its group's). */
  release(record: ScheduledTask): void;
  /** A task completed: counted, and no longer live. */
  completed(record: ScheduledTask): void;
  /** A failed attempt waits for its retry (counted as waiting). */
  awaitRetry(): void;
  /** A retry's backoff is over: the task goes back into the queue. */
  requeue(record: ScheduledTask): void;
  /** Ends a task for good with `error`. */
  fail(record: ScheduledTask, error: AgenticGenError): void;
  /** Starts whatever can start now. */
  pump(): void;
}

export function startAttempt(host: AttemptHost, record: ScheduledTask): void {
  const running = host.begin(record);
  record.status = 'running';
  record.attempts++;
  record.startedAt = performance.now();
  const attempt = record.attempts;
  const timeoutMs = record.task.timeoutMs ?? host.options.timeoutMs;
  if (timeoutMs !== undefined) {
    armAttemptTimeout(record, timeoutMs, (error) => attemptFailed(host, record, attempt, error));
  }
  if (host.events.hasListeners('task-start')) {
    host.events.emit('task-start', { taskId: record.id, ...record.named, attempt, running });
  }
  const context = taskContext(host.events, record, attempt);
  let outcome: unknown;
  try {
    outcome = record.inCallerContext(() => record.task.run(record.task.input, context));
  } catch (error) {
    attemptFailed(host, record, attempt, error);
    return;
  }
  if (outcome !== null && typeof outcome === 'object' && typeof (outcome as Promise<unknown>).then === 'function') {
    (outcome as Promise<unknown>).then(
      (value) => attemptSucceeded(host, record, attempt, value),
      (error: unknown) => attemptFailed(host, record, attempt, error),
    );
  } else {
    // Settle asynchronously like a promise would, so run() callers never see re-entrancy.
    queueMicrotask(() => attemptSucceeded(host, record, attempt, outcome));
  }
}

function taskContext(events: EventBus<SchedulerEvents>, record: ScheduledTask, attempt: number): TaskContext {
  return {
    taskId: record.id,
    attempt,
    // Created on first use: most tasks never look at their signal, and an AbortController is not free.
    get signal() {
      record.controller ??= new AbortController();
      return record.controller.signal;
    },
    progress(fraction, message) {
      if (record.status !== 'running' || record.attempts !== attempt) return;
      if (events.hasListeners('task-progress')) {
        const payload: SchedulerEvents['task-progress'] = {
          taskId: record.id,
          ...record.named,
          fraction: Math.min(1, Math.max(0, fraction)),
        };
        if (message !== undefined) payload.message = message;
        events.emit('task-progress', payload);
      }
    },
  };
}

function attemptSucceeded(host: AttemptHost, record: ScheduledTask, attempt: number, value: unknown): void {
  if (record.status !== 'running' || record.attempts !== attempt) return;
  clearTaskTimers(record);
  record.status = 'completed';
  host.completed(record);
  host.release(record);
  record.resolve(value);
  if (host.events.hasListeners('task-complete')) {
    host.events.emit('task-complete', {
      taskId: record.id,
      ...record.named,
      attempts: record.attempts,
      durationMs: performance.now() - record.startedAt,
    });
  }
  host.pump();
}

/** Ends the attempt with `thrown`: a retry after backoff when the task allows one, otherwise the task fails. */
export function attemptFailed(host: AttemptHost, record: ScheduledTask, attempt: number, thrown: unknown): void {
  if (record.status !== 'running' || record.attempts !== attempt) return;
  clearAttemptTimer(record);
  const error = AgenticGenError.isInstance(thrown)
    ? thrown
    : new AgenticGenError(
        'task-failed',
        `[orchestration] task "${record.label}" failed: ${thrown instanceof Error ? thrown.message : String(thrown)}`,
        {
          cause: thrown,
          retryable: true,
          data: { taskId: record.id },
        },
      );
  // The attempt is over: make sure work that still runs sees its signal abort.
  record.controller?.abort(error);
  record.controller = undefined;
  host.release(record);
  const retries = maxRetriesOf(record.task) ?? maxRetriesOf(host.options) ?? 0;
  const retryOn =
    record.task.retryOn ?? ((candidate: unknown) => !AgenticGenError.isInstance(candidate) || candidate.retryable);
  if (attempt <= retries && error.code !== 'deadline-exceeded' && retryOn(thrown, attempt)) {
    const delayMs = backoffDelay(attempt, record.task.backoff ?? host.options.backoff);
    record.status = 'retrying';
    host.awaitRetry();
    if (host.events.hasListeners('task-retry')) {
      host.events.emit('task-retry', {
        taskId: record.id,
        ...record.named,
        attempt,
        delayMs,
        errorCode: error.code,
      });
    }
    armRetry(record, delayMs, () => {
      record.status = 'queued';
      host.requeue(record);
      host.pump();
    });
    host.pump();
    return;
  }
  host.fail(record, error);
  host.pump();
}
