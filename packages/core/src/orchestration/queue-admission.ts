import { AgenticGenError } from '../errors/agenticgen-error.js';
import type { ScheduledTask } from './scheduled-task.js';
import type { Task, TaskHandle } from './task.js';

/**
 * What the scheduler checks before a task enters its queue, and how a caller waits for room in a full queue. The
 * queue itself and its counters stay in scheduler.ts.
 */

/** Throws `invalid-argument` for limits the scheduler cannot work with. */
export function assertSchedulerLimits(concurrency: number, maxQueueSize: number, configured: unknown): void {
  if (!(Number.isInteger(concurrency) && concurrency >= 1)) {
    throw new AgenticGenError(
      'invalid-argument',
      `[orchestration] concurrency must be an integer >= 1, got ${concurrency}`,
    );
  }
  if (!(maxQueueSize >= 0)) {
    throw new AgenticGenError('invalid-argument', `[orchestration] maxQueueSize must be >= 0, got ${configured}`);
  }
}

/** Throws when `task` cannot be queued now: the scheduler was disposed, the task has no run(), or the queue is full. */
export function assertAdmissible(
  task: Task<unknown, unknown>,
  disposed: boolean,
  waiting: number,
  maxQueueSize: number,
) {
  if (disposed) throw new AgenticGenError('disposed', '[orchestration] the scheduler was disposed; create a new one');
  if (typeof task?.run !== 'function') {
    throw new AgenticGenError('invalid-argument', '[orchestration] a task needs a run(input, context) function');
  }
  if (waiting >= maxQueueSize) {
    throw new AgenticGenError(
      'queue-full',
      `[orchestration] the queue is full (${maxQueueSize} waiting tasks); retry later, use scheduleWhenSpace() to wait, or raise maxQueueSize`,
      { retryable: true, data: { maxQueueSize } },
    );
  }
}

/**
 * Resolves when the scheduler wakes the next space waiter (a waiting task left the queue, or it was disposed);
 * rejects with `aborted` when `signal` aborts first, and then leaves the waiter list.
 */
export function waitForQueueSpace(spaceWaiters: Array<() => void>, signal: AbortSignal | undefined): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const wake = () => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    };
    const onAbort = () => {
      const index = spaceWaiters.indexOf(wake);
      if (index !== -1) spaceWaiters.splice(index, 1);
      reject(
        new AgenticGenError('aborted', '[orchestration] stopped waiting for queue space', { cause: signal?.reason }),
      );
    };
    if (signal?.aborted) return onAbort();
    signal?.addEventListener('abort', onAbort, { once: true });
    spaceWaiters.push(wake);
  });
}

/** The error of a task that did not run because one of its dependencies did not complete. */
export function dependencyFailure(
  record: ScheduledTask,
  dependencies: readonly TaskHandle<unknown>[],
  cause: unknown,
): AgenticGenError {
  const failed = dependencies.find((dependency) => dependency.status !== 'completed');
  return new AgenticGenError(
    'dependency-failed',
    `[orchestration] task "${record.label}" did not run: its dependency "${failed?.id ?? '?'}" ${failed?.status ?? 'failed'}`,
    { cause, data: { taskId: record.id, dependency: failed?.id } },
  );
}
