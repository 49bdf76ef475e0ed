import { AgenticGenError } from '../errors/agenticgen-error.js';
import type { ScheduledTask } from './scheduled-task.js';

/** Arms the attempt's time limit: `onTimeout` gets a `timeout` error when the attempt outlives `timeoutMs`. */
export function armAttemptTimeout(
  record: ScheduledTask,
  timeoutMs: number,
  onTimeout: (error: AgenticGenError) => void,
): void {
  record.timer = setTimeout(() => {
    onTimeout(
      new AgenticGenError('timeout', `[orchestration] task "${record.label}" timed out after ${timeoutMs} ms`, {
        data: { taskId: record.id, timeoutMs },
      }),
    );
  }, timeoutMs);
}

/** Waits `delayMs` before a retry, then `requeue` (unless the task left `retrying` meanwhile). */
export function armRetry(record: ScheduledTask, delayMs: number, requeue: () => void): void {
  record.timer = setTimeout(() => {
    record.timer = undefined;
    if (record.status === 'retrying') requeue();
  }, delayMs);
}

/** Calls `onDeadline` at the task's deadline (re-armed past the 24.8-day cap of one timer). */
export function armDeadline(record: ScheduledTask, onDeadline: () => void): void {
  const deadline = record.deadlineAt as number;
  const remaining = deadline - Date.now();
  record.deadlineTimer = setTimeout(
    () => {
      record.deadlineTimer = undefined;
      if (Date.now() >= deadline) onDeadline();
      else armDeadline(record, onDeadline);
    },
    Math.min(Math.max(0, remaining), 2 ** 31 - 1),
  );
}

/** The attempt is over (a retry may follow): its time limit goes. */
export function clearAttemptTimer(record: ScheduledTask): void {
  if (record.timer !== undefined) clearTimeout(record.timer);
  record.timer = undefined;
}

/** The task ended for good: every timer and the abort listener go. */
export function clearTaskTimers(record: ScheduledTask): void {
  record.detach?.();
  record.detach = undefined;
  clearAttemptTimer(record);
  if (record.deadlineTimer !== undefined) clearTimeout(record.deadlineTimer);
  record.deadlineTimer = undefined;
}
