import type * as BullMq from 'bullmq';
import { combineSignals } from '../errors/abort.js';
import { AgenticGenError } from '../errors/agenticgen-error.js';
import { encodeError } from './redis-queue-support.js';
import type { DeadLetter, RemoteTaskHandler } from './redis-queue-types.js';
import type { TaskContext } from './task.js';

/** What a job carries in Redis. */
export interface JobData {
  input: unknown;
  deadline?: number;
  timeoutMs?: number;
}

export function cancelledError(id: string, reason: string): AgenticGenError {
  return new AgenticGenError('aborted', `[orchestration] remote task ${id} was cancelled: ${reason.slice(0, 200)}`, {
    data: { taskId: id, reason: reason.slice(0, 200) },
  });
}

export interface JobProcessorEnvironment {
  bullmq: typeof BullMq;
  /** BullMQ's Redis connection of the queue. */
  redis: () => Promise<BullMq.RedisClient>;
  /** Key of a task's cancellation marker. */
  cancelKey: (id: string) => string;
  deadLetterKey: string;
  deadLetterLimit: number;
  handlers: Readonly<Record<string, RemoteTaskHandler>>;
  /** Why a job of this worker is being cancelled, set before BullMQ aborts its signal. */
  cancelReasons: Map<string, string>;
}

/**
 * The BullMQ processor of a worker: runs the handler named by the job, turns every failure into an encoded
 * AgenticGenError (non-retryable ones as `UnrecoverableError`), and writes a dead letter when the task fails
 * for good.
 */
export function createJobProcessor(environment: JobProcessorEnvironment) {
  const { bullmq, redis, cancelKey, deadLetterKey, deadLetterLimit, handlers, cancelReasons } = environment;

  const recordDeadLetter = async (job: BullMq.Job, error: AgenticGenError, attempts: number) => {
    const json = error.toJSON();
    delete json.stack;
    const letter: DeadLetter = {
      id: String(job.id),
      name: job.name,
      input: (job.data as JobData).input,
      attempts,
      error: json,
      failedAt: Date.now(),
    };
    await (await redis())
      .multi()
      .runCommand('lpush', [deadLetterKey, JSON.stringify(letter)])
      .runCommand('ltrim', [deadLetterKey, 0, deadLetterLimit - 1])
      .exec();
  };

  /** Runs one job's handler; every failure is thrown as an AgenticGenError. */
  const runJob = async (job: BullMq.Job, signal: AbortSignal, attempt: number): Promise<unknown> => {
    const handler = Object.hasOwn(handlers, job.name) ? handlers[job.name] : undefined;
    const data = job.data as JobData;
    if (handler === undefined) {
      throw new AgenticGenError(
        'not-found',
        `[orchestration] no handler "${job.name}" in this worker; known: ${Object.keys(handlers).join(', ')}`,
      );
    }
    if (data.deadline !== undefined && Date.now() >= data.deadline) {
      throw new AgenticGenError(
        'deadline-exceeded',
        `[orchestration] task ${job.id} missed its deadline ${new Date(data.deadline).toISOString()}`,
      );
    }
    // A cancellation that raced with this worker taking the task (the cancel event finds it tracked from here).
    const cancelled = await (await redis()).get(cancelKey(String(job.id)));
    if (cancelled !== null) throw cancelledError(String(job.id), cancelled);
    const remaining = data.deadline === undefined ? undefined : data.deadline - Date.now();
    const limit =
      data.timeoutMs === undefined
        ? remaining
        : remaining === undefined
          ? data.timeoutMs
          : Math.min(data.timeoutMs, remaining);
    const guard = combineSignals(`orchestration task ${job.id}`, signal, limit);
    try {
      const context: TaskContext = {
        taskId: String(job.id),
        attempt,
        signal: guard.signal,
        progress(fraction) {
          void job.updateProgress(Math.min(1, Math.max(0, fraction))).catch(() => undefined);
        },
      };
      const work = Promise.resolve().then(() => handler(data.input, context));
      const aborted = new Promise<never>((_, reject) => {
        guard.signal.addEventListener('abort', () => reject(guard.signal.reason), { once: true });
      });
      return await Promise.race([work, aborted]);
    } finally {
      guard.dispose();
    }
  };

  return async (job: BullMq.Job, _token: string | undefined, signal: AbortSignal | undefined): Promise<unknown> => {
    // Counts every start, also restarts after a stall (attemptsMade counts failures only).
    const attempt = Math.max(job.attemptsStarted ?? 0, job.attemptsMade + 1);
    // BullMQ aborts a cancelled job's signal with our reason string; the handler sees an `aborted` error.
    const jobSignal = new AbortController();
    const onAbort = () => {
      const reason = cancelReasons.get(String(job.id));
      jobSignal.abort(reason === undefined ? signal?.reason : cancelledError(String(job.id), reason));
    };
    if (signal?.aborted) onAbort();
    else signal?.addEventListener('abort', onAbort, { once: true });
    try {
      return await runJob(job, jobSignal.signal, attempt);
    } catch (thrown) {
      const error = AgenticGenError.isInstance(thrown)
        ? thrown
        : new AgenticGenError(
            'task-failed',
            `[orchestration] task ${job.id} ("${job.name}") failed: ${thrown instanceof Error ? thrown.message : String(thrown)}`,
            { cause: thrown, retryable: true },
          );
      const recoverable = error.retryable && error.code !== 'deadline-exceeded';
      const final = !recoverable || job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      // Written before the job moves to failed, so a caller who saw the failure finds its dead letter.
      if (final && error.code !== 'aborted') await recordDeadLetter(job, error, attempt);
      throw recoverable ? new Error(encodeError(error)) : new bullmq.UnrecoverableError(encodeError(error));
    } finally {
      signal?.removeEventListener('abort', onAbort);
      cancelReasons.delete(String(job.id));
    }
  };
}
