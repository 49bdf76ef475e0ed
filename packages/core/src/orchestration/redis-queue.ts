import type * as BullMq from 'bullmq';
import { combineSignals } from '../errors/abort.js';
import { AgenticGenError, type SerializedAgenticGenError } from '../errors/agenticgen-error.js';
import type { TaskContext } from './task.js';

/**
 * A task queue shared by several processes through Redis, built on BullMQ (an optional peer dependency,
 * loaded on first use). Producers `enqueue`, any process can `process` with handlers by task name.
 */

/** Connection: a `redis://` URL or BullMQ/ioredis options (`{ host, port, password, … }`). */
export type RedisConnection = string | Readonly<Record<string, unknown>>;

export interface RedisTaskQueueOptions {
  /** Queue name; every process using the same name and Redis shares the queue. */
  name: string;
  /** Where Redis is. */
  connection: RedisConnection;
  /** Key prefix in Redis (default `agenticgen`). */
  prefix?: string;
  /** Retries after the first attempt (default 0). */
  retries?: number;
  /** Exponential backoff base delay in ms between retries (default 1000). */
  backoffDelayMs?: number;
  /** Keep at most this many finished jobs in Redis for inspection (default 1000 each of completed and failed). */
  keepFinished?: number;
  /** The `bullmq` module, to inject a specific copy instead of `await import('bullmq')`. */
  bullmq?: unknown;
}

/** Per-task options. */
export interface EnqueueOptions {
  /** Job id; enqueueing an id that exists is a no-op returning the existing job (idempotent producers). */
  id?: string;
  /** Higher runs first (default 0), as with the in-process scheduler. */
  priority?: number;
  /** Overrides the queue's retries. */
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
  /** Waits for the outcome (from any worker process); failures come back as AgenticGenErrors with their code. */
  result(options?: { timeoutMs?: number }): Promise<R>;
  /** Calls `listener` with each `context.progress(fraction)` the worker reports; returns a function that stops. */
  onProgress(listener: (fraction: number) => void): () => void;
}

/** Handler of one task name. */
export type RemoteTaskHandler = (input: unknown, context: TaskContext) => Promise<unknown> | unknown;

/** A running worker of this process. */
export interface RedisQueueWorker {
  /** Stops taking tasks; waits for running ones unless `force`. */
  close(options?: { force?: boolean }): Promise<void>;
}

export interface RedisTaskQueue {
  /** Adds a task for `handlerName`. */
  enqueue<R = unknown>(handlerName: string, input: unknown, options?: EnqueueOptions): Promise<RemoteTaskHandle<R>>;
  /** Starts a worker in this process for the given handlers (default concurrency 4). */
  process(
    handlers: Readonly<Record<string, RemoteTaskHandler>>,
    options?: { concurrency?: number },
  ): Promise<RedisQueueWorker>;
  /** Counts by state. */
  counts(): Promise<{
    waiting: number;
    active: number;
    delayed: number;
    completed: number;
    failed: number;
    prioritized: number;
  }>;
  /** Closes the queue, its event listener and every worker started here. */
  close(): Promise<void>;
}

interface JobData {
  input: unknown;
  deadline?: number;
  timeoutMs?: number;
}

const errorMarker = 'agenticgen-error:';
/** BullMQ priorities: 1 is highest, 2^21-1 lowest; ours: higher first, 0 default → the middle. */
const priorityMiddle = 1_048_576;

function toBullPriority(priority = 0): number {
  return Math.min(2_097_151, Math.max(1, priorityMiddle - Math.round(priority)));
}

function connectionOptions(connection: RedisConnection): Record<string, unknown> {
  if (typeof connection !== 'string') return { maxRetriesPerRequest: null, ...connection };
  const url = new URL(connection);
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') {
    throw new AgenticGenError(
      'invalid-argument',
      `[orchestration] Redis connection must be a redis:// or rediss:// URL, got "${url.protocol}"`,
    );
  }
  const options: Record<string, unknown> = {
    host: url.hostname,
    port: Number(url.port || 6379),
    // Workers block on Redis; BullMQ requires unlimited retries per request for them.
    maxRetriesPerRequest: null,
  };
  if (url.username !== '') options.username = decodeURIComponent(url.username);
  if (url.password !== '') options.password = decodeURIComponent(url.password);
  if (url.pathname.length > 1) options.db = Number(url.pathname.slice(1));
  if (url.protocol === 'rediss:') options.tls = {};
  return options;
}

/** Errors cross the Redis boundary as text: encode our errors so the waiting side rebuilds the code. */
function encodeError(error: AgenticGenError): string {
  const json = error.toJSON();
  delete json.stack;
  return `${errorMarker}${JSON.stringify(json)}`;
}

function decodeError(message: string, jobId: string): AgenticGenError {
  if (message.startsWith(errorMarker)) {
    try {
      return AgenticGenError.fromJSON(JSON.parse(message.slice(errorMarker.length)) as SerializedAgenticGenError);
    } catch {
      // Fall through: an unparseable reason is reported as it is.
    }
  }
  return new AgenticGenError('task-failed', `[orchestration] remote task ${jobId} failed: ${message}`);
}

async function loadBullMq(injected: unknown): Promise<typeof BullMq> {
  if (injected !== undefined) return injected as typeof BullMq;
  try {
    return await import('bullmq');
  } catch (error) {
    throw new AgenticGenError(
      'dependency-missing',
      '[orchestration] the Redis task queue needs the "bullmq" package; install it with "npm install bullmq"',
      { cause: error },
    );
  }
}

/** Creates a Redis-backed task queue (BullMQ). Node only. */
export async function createRedisTaskQueue(options: RedisTaskQueueOptions): Promise<RedisTaskQueue> {
  if (typeof options?.name !== 'string' || !/^[\w.-]{1,100}$/.test(options.name)) {
    throw new AgenticGenError(
      'invalid-argument',
      '[orchestration] the queue name must be 1–100 letters, digits, ".", "_" or "-"',
    );
  }
  const bullmq = await loadBullMq(options.bullmq);
  const connection = connectionOptions(options.connection);
  const prefix = options.prefix ?? 'agenticgen';
  const keep = options.keepFinished ?? 1000;
  const queue = new bullmq.Queue(options.name, {
    connection,
    prefix,
    defaultJobOptions: {
      attempts: (options.retries ?? 0) + 1,
      backoff: { type: 'exponential', delay: options.backoffDelayMs ?? 1000 },
      removeOnComplete: { count: keep },
      removeOnFail: { count: keep },
    },
  });
  // Every concurrent add() briefly listens for "closing"; bursts of producers are normal, not a leak.
  queue.setMaxListeners(1000);
  let events: BullMq.QueueEvents | undefined;
  const workers = new Set<BullMq.Worker>();
  const queueEvents = async () => {
    if (events === undefined) {
      events = new bullmq.QueueEvents(options.name, { connection, prefix });
      events.setMaxListeners(0);
      await events.waitUntilReady();
    }
    return events;
  };

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
      const job = await queue.add(handlerName, data, {
        priority: toBullPriority(enqueueOptions.priority),
        ...(enqueueOptions.id === undefined ? {} : { jobId: enqueueOptions.id }),
        ...(enqueueOptions.retries === undefined ? {} : { attempts: enqueueOptions.retries + 1 }),
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
          // Events are fast, but QueueEvents can miss a completion that lands while its stream read (re)starts;
          // a slow poll of the job's state closes that gap, so a finished task is never waited on forever.
          let settled = false;
          const poll = async (): Promise<R> => {
            for (let delay = 100; ; delay = Math.min(delay * 2, 1000)) {
              await new Promise((resolve) => setTimeout(resolve, delay));
              if (settled) return new Promise<R>(() => {});
              const current = await queue.getJob(id);
              const state = current === undefined ? undefined : await current.getState();
              if (state === 'completed') return current?.returnvalue as R;
              if (state === 'failed') throw new Error(current?.failedReason ?? 'failed');
            }
          };
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
            return await Promise.race([job.waitUntilFinished(jobEvents) as Promise<R>, poll(), timeout]);
          } catch (error) {
            if (AgenticGenError.isInstance(error)) throw error;
            throw decodeError(error instanceof Error ? error.message : String(error), id);
          } finally {
            settled = true;
            if (timer !== undefined) clearTimeout(timer);
          }
        },
      };
    },

    async process(handlers, processOptions = {}) {
      const worker = new bullmq.Worker(
        options.name,
        async (job, _token, signal) => {
          const handler = Object.hasOwn(handlers, job.name) ? handlers[job.name] : undefined;
          const data = job.data as JobData;
          const fail = (error: AgenticGenError, recoverable: boolean): never => {
            throw recoverable ? new Error(encodeError(error)) : new bullmq.UnrecoverableError(encodeError(error));
          };
          if (handler === undefined) {
            fail(
              new AgenticGenError(
                'not-found',
                `[orchestration] no handler "${job.name}" in this worker; known: ${Object.keys(handlers).join(', ')}`,
              ),
              false,
            );
          }
          if (data.deadline !== undefined && Date.now() >= data.deadline) {
            fail(
              new AgenticGenError(
                'deadline-exceeded',
                `[orchestration] task ${job.id} missed its deadline ${new Date(data.deadline).toISOString()}`,
              ),
              false,
            );
          }
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
              attempt: job.attemptsMade + 1,
              signal: guard.signal,
              progress(fraction) {
                void job.updateProgress(Math.min(1, Math.max(0, fraction))).catch(() => undefined);
              },
            };
            const work = Promise.resolve().then(() => (handler as RemoteTaskHandler)(data.input, context));
            const aborted = new Promise<never>((_, reject) => {
              guard.signal.addEventListener('abort', () => reject(guard.signal.reason), { once: true });
            });
            return await Promise.race([work, aborted]);
          } catch (thrown) {
            const error = AgenticGenError.isInstance(thrown)
              ? thrown
              : new AgenticGenError(
                  'task-failed',
                  `[orchestration] task ${job.id} ("${job.name}") failed: ${thrown instanceof Error ? thrown.message : String(thrown)}`,
                  {
                    cause: thrown,
                    retryable: true,
                  },
                );
            return fail(error, error.retryable && error.code !== 'deadline-exceeded');
          } finally {
            guard.dispose();
          }
        },
        { connection, prefix, concurrency: processOptions.concurrency ?? 4 },
      );
      await worker.waitUntilReady();
      workers.add(worker);
      return {
        async close(closeOptions = {}) {
          workers.delete(worker);
          await worker.close(closeOptions.force ?? false);
        },
      };
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

    async close() {
      await Promise.all([...workers].map((worker) => worker.close()));
      workers.clear();
      await events?.close();
      await queue.close();
    },
  };
}
