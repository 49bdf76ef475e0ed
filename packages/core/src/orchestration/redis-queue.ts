import type * as BullMq from 'bullmq';
import { delay } from '../errors/abort.js';
import { AgenticGenError } from '../errors/agenticgen-error.js';
import { disposeOnce } from '../resources/dispose-once.js';
import { checkInteger, connectionOptions, decodeError, loadBullMq, toBullPriority } from './redis-queue-support.js';
import type {
  DeadLetter,
  EnqueueOptions,
  RedisTaskQueue,
  RedisTaskQueueOptions,
  RemoteTaskHandle,
} from './redis-queue-types.js';
import { cancelledError, createJobProcessor, type JobData } from './redis-queue-worker.js';
import { maxRetriesOf } from './task.js';

/**
 * A task queue shared by several processes through Redis, built on BullMQ (an optional peer dependency,
 * loaded on first use). Producers `enqueue`, any process can `process` with handlers by task name.
 */
export type {
  DeadLetter,
  EnqueueOptions,
  RedisConnection,
  RedisQueueWorker,
  RedisTaskQueue,
  RedisTaskQueueOptions,
  RemoteTaskHandle,
  RemoteTaskHandler,
} from './redis-queue-types.js';

/** QueueEvents also emits per-job (`completed:<id>`) and custom events, which its typings do not list. */
interface EventEmitterLike {
  on(event: string, listener: (args: never) => void): unknown;
  off(event: string, listener: (args: never) => void): unknown;
}

/** The custom queue event that carries a cancellation to every worker process. */
const cancelEvent = 'agenticgen-cancel';
/** How long a cancellation marker stays, so `result()` called later still says `aborted` (one day). */
const cancelMarkerTtlMs = 86_400_000;

/** Creates a Redis-backed task queue (BullMQ). Node only. */
export async function createRedisTaskQueue(options: RedisTaskQueueOptions): Promise<RedisTaskQueue> {
  if (typeof options?.name !== 'string' || !/^[\w.-]{1,100}$/.test(options.name)) {
    throw new AgenticGenError(
      'invalid-argument',
      '[orchestration] the queue name must be 1–100 letters, digits, ".", "_" or "-"',
    );
  }
  checkInteger('lockDurationMs', options.lockDurationMs, 100, 2 ** 31 - 1);
  checkInteger('stalledIntervalMs', options.stalledIntervalMs, 100, 2 ** 31 - 1);
  checkInteger('maxStalls', options.maxStalls, 0, 1000);
  checkInteger('deadLetterLimit', options.deadLetterLimit, 1, 10_000_000);
  const bullmq = await loadBullMq(options.bullmq);
  const connection = connectionOptions(options.connection);
  const prefix = options.prefix ?? 'agenticgen';
  const keep = options.keepFinished ?? 1000;
  const deadLetterLimit = options.deadLetterLimit ?? 10_000;
  const queue = new bullmq.Queue(options.name, {
    connection,
    prefix,
    defaultJobOptions: {
      attempts: (maxRetriesOf(options) ?? 0) + 1,
      backoff: { type: 'exponential', delay: options.backoffDelayMs ?? 1000 },
      removeOnComplete: { count: keep },
      removeOnFail: { count: keep },
    },
  });
  // Every concurrent add() briefly listens for "closing"; bursts of producers are normal, not a leak.
  queue.setMaxListeners(1000);
  // BullMQ's own Redis connection, for the few keys of ours.
  const redis = () => queue.getBackend().client;
  // Our own keys sit beside BullMQ's, under the same prefix and queue name.
  const keyBase = `${prefix}:${options.name}:agenticgen`;
  const cancelKey = (id: string) => `${keyBase}:cancel:${id}`;
  const deadLetterKey = `${keyBase}:dead-letters`;
  let events: BullMq.QueueEvents | undefined;
  let producer: BullMq.QueueEventsProducer | undefined;
  const workers = new Set<BullMq.Worker>();
  const queueEvents = async () => {
    if (events === undefined) {
      events = new bullmq.QueueEvents(options.name, { connection, prefix });
      events.setMaxListeners(0);
      await events.waitUntilReady();
    }
    return events;
  };

  /** The task's job is gone: cancelled (and removed) or finished and trimmed by keepFinished. */
  const jobGone = async (id: string): Promise<never> => {
    const reason = await (await redis()).get(cancelKey(id));
    if (reason !== null) throw cancelledError(id, reason);
    throw new AgenticGenError(
      'result-expired',
      `[orchestration] remote task ${id} finished but its job is no longer in Redis (keepFinished: ${keep} keeps only the newest finished jobs); read result() sooner or raise keepFinished`,
      { data: { taskId: id, keepFinished: keep } },
    );
  };

  const waitForOutcome = async <R>(id: string, jobEvents: EventEmitterLike, signal: AbortSignal): Promise<R> => {
    let stop = () => {};
    // Listening starts before the first state check, so a completion in between is not missed.
    const announced = new Promise<R>((resolve, reject) => {
      const onCompleted = (args: { returnvalue: unknown }) => resolve(args.returnvalue as R);
      const onFailed = (args: { failedReason: string }) => reject(decodeError(String(args.failedReason), id));
      jobEvents.on(`completed:${id}`, onCompleted);
      jobEvents.on(`failed:${id}`, onFailed);
      stop = () => {
        jobEvents.off(`completed:${id}`, onCompleted);
        jobEvents.off(`failed:${id}`, onFailed);
      };
    });
    // Events are fast, but QueueEvents can miss one while its stream read (re)starts; a slow poll of the job's
    // state closes that gap, and finds tasks that finished before this call.
    const polled = (async (): Promise<R> => {
      for (let waitMs = 0; ; waitMs = Math.min(Math.max(waitMs * 2, 100), 1000)) {
        if (waitMs > 0) await delay(waitMs, undefined, 'queue');
        if (signal.aborted) return new Promise<R>(() => {});
        const job = await queue.getJob(id);
        if (job === undefined) return jobGone(id);
        const state = await job.getState();
        if (state === 'unknown') return jobGone(id);
        if (state !== 'completed' && state !== 'failed') continue;
        // The job was read before its state: a task that finished in between has a stale (null) return value
        // and no failure reason in that copy, so read it again now that it is final.
        const final = await queue.getJob(id);
        if (final === undefined) return jobGone(id);
        if (state === 'completed') return final.returnvalue as R;
        throw decodeError(final.failedReason ?? 'failed', id);
      }
    })();
    try {
      return await Promise.race([announced, polled]);
    } finally {
      stop();
    }
  };

  /** Closes workers, listener, producer and queue once for every `close()` / `dispose()` / `await using`. */
  const close = disposeOnce(async () => {
    await Promise.all([...workers].map((worker) => worker.close()));
    workers.clear();
    await events?.close();
    await producer?.close();
    await queue.close();
  });

  return {
    async enqueue<R>(
      handlerName: string,
      input: unknown,
      enqueueOptions: EnqueueOptions = {},
    ): Promise<RemoteTaskHandle<R>> {
      if (typeof handlerName !== 'string' || handlerName === '') {
        throw new AgenticGenError('invalid-argument', '[orchestration] enqueue needs a handler name');
      }
      const data: JobData = { input };
      if (enqueueOptions.deadline !== undefined) {
        data.deadline =
          enqueueOptions.deadline instanceof Date ? enqueueOptions.deadline.getTime() : enqueueOptions.deadline;
      }
      if (enqueueOptions.timeoutMs !== undefined) data.timeoutMs = enqueueOptions.timeoutMs;
      // Start listening before adding, so a job finishing instantly is not missed.
      const jobEvents = await queueEvents();
      const maxRetries = maxRetriesOf(enqueueOptions);
      const job = await queue.add(handlerName, data, {
        priority: toBullPriority(enqueueOptions.priority),
        ...(enqueueOptions.id === undefined ? {} : { jobId: enqueueOptions.id }),
        ...(maxRetries === undefined ? {} : { attempts: maxRetries + 1 }),
        ...(enqueueOptions.delayMs === undefined ? {} : { delay: enqueueOptions.delayMs }),
      });
      const id = String(job.id);
      return {
        id,
        onProgress(listener) {
          const onEvent = ({ jobId, data }: { jobId: string; data: unknown }) => {
            if (jobId === id && typeof data === 'number') listener(data);
          };
          jobEvents.on('progress', onEvent);
          return () => void jobEvents.off('progress', onEvent);
        },
        async result(resultOptions = {}) {
          const done = new AbortController();
          let timer: ReturnType<typeof setTimeout> | undefined;
          const timeout = new Promise<never>((_, reject) => {
            if (resultOptions.timeoutMs === undefined) return;
            timer = setTimeout(
              () =>
                reject(
                  new AgenticGenError(
                    'timeout',
                    `[orchestration] remote task ${id} did not finish within ${resultOptions.timeoutMs} ms`,
                  ),
                ),
              resultOptions.timeoutMs,
            );
          });
          try {
            return await Promise.race([
              waitForOutcome<R>(id, jobEvents as unknown as EventEmitterLike, done.signal),
              timeout,
            ]);
          } finally {
            done.abort();
            if (timer !== undefined) clearTimeout(timer);
          }
        },
      };
    },

    async process(handlers, processOptions = {}) {
      const cancelReasons = new Map<string, string>();
      const worker = new bullmq.Worker(
        options.name,
        createJobProcessor({ bullmq, redis, cancelKey, deadLetterKey, deadLetterLimit, handlers, cancelReasons }),
        {
          connection,
          prefix,
          concurrency: processOptions.concurrency ?? 4,
          lockDuration: options.lockDurationMs ?? 5000,
          stalledInterval: options.stalledIntervalMs ?? 5000,
          maxStalledCount: options.maxStalls ?? 1,
        },
      );
      const jobEvents = (await queueEvents()) as unknown as EventEmitterLike;
      const onCancel = ({ jobId, reason }: { jobId: string; reason: string }) => {
        cancelReasons.set(jobId, String(reason));
        if (!worker.cancelJob(jobId, String(reason))) cancelReasons.delete(jobId);
      };
      jobEvents.on(cancelEvent, onCancel);
      await worker.waitUntilReady();
      workers.add(worker);
      return {
        async close(closeOptions = {}) {
          workers.delete(worker);
          jobEvents.off(cancelEvent, onCancel);
          await worker.close(closeOptions.force ?? false);
        },
      };
    },

    async cancel(id, reason = 'cancel() was called') {
      const job = await queue.getJob(id);
      if (job === undefined) return false;
      const state = await job.getState();
      if (state === 'completed' || state === 'failed' || state === 'unknown') return false;
      // The marker first: a worker that takes the task from now on sees it before running the handler.
      await (await redis()).set(cancelKey(id), reason.slice(0, 200), { PX: cancelMarkerTtlMs });
      if (state !== 'active') {
        // Fails when a worker locked the task in the meantime; the event below then reaches that worker.
        await job.remove().catch(() => undefined);
      }
      producer ??= new bullmq.QueueEventsProducer(options.name, { connection, prefix });
      await producer.publishEvent({ eventName: cancelEvent, jobId: id, reason: reason.slice(0, 200) });
      return true;
    },

    async deadLetters(listOptions = {}) {
      const limit = listOptions.limit ?? deadLetterLimit;
      checkInteger('limit', limit, 1, deadLetterLimit);
      const entries = await (await redis()).lrange(deadLetterKey, 0, limit - 1);
      return entries.map((entry: string) => JSON.parse(entry) as DeadLetter);
    },

    async counts() {
      const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'completed', 'failed', 'prioritized');
      return {
        waiting: counts.waiting ?? 0,
        active: counts.active ?? 0,
        delayed: counts.delayed ?? 0,
        completed: counts.completed ?? 0,
        failed: counts.failed ?? 0,
        prioritized: counts.prioritized ?? 0,
      };
    },

    close,
    dispose: close,
    [Symbol.asyncDispose]: close,
  };
}
