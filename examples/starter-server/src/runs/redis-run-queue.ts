import { AgenticGenError } from '@agenticgen/core';
import { createRedisTaskQueue, type RedisQueueWorker, type RedisTaskQueue } from '@agenticgen/core/redis-queue';
import type { Redis } from 'ioredis';
import type { ChatTurn } from '../gateway/messages.ts';
import type { Logger } from '../log.ts';
import { connectPubSub } from '../redis-pub-sub.ts';
import { redisUnavailable } from './redis-unavailable.ts';
import type { RunEvent } from './run-manager.ts';

/** What a queued run does, as data: any instance can rebuild the work from it. */
export type RunSpec = { kind: 'chat'; turns: readonly ChatTurn[] } | { kind: 'collaboration'; task: string };

/** Executes a spec on this instance (the same code as a local run). */
export type SpecExecutor = (
  spec: RunSpec,
  context: { signal: AbortSignal; emit: (event: RunEvent) => void },
) => Promise<unknown>;

export interface RunQueue {
  /** Whether this instance also executes queued runs (`AGENTICGEN_RUN_WORKER=0` makes it submit only). */
  readonly executesRuns: boolean;
  /** Queues the run and relays its events as they happen, wherever it executes; resolves with its result. */
  submit(
    runId: string,
    spec: RunSpec,
    context: { signal: AbortSignal; emit: (event: RunEvent) => void },
  ): Promise<unknown>;
  /** Queued runs this instance executed since start (wherever they were submitted). */
  executed(): number;
  /** Of those, the ones a cancel stopped while they ran here. */
  cancelled(): number;
  /** False while this instance's Redis connections are down (then `/ready` is 503 and new runs are refused). */
  readonly available: boolean;
  /**
   * Stops taking runs (waits for the ones executing here), then closes the Redis connections. With Redis down
   * that wait could last until it returns: after `timeoutMs` the workers are closed by force and the
   * connections cut, and it resolves.
   */
  close(options?: { timeoutMs?: number }): Promise<void>;
}

const prefix = 'agenticgen:starter';
const eventsChannel = (runId: string) => `${prefix}:run-events:${runId}`;
const cancelChannel = `${prefix}:run-cancel`;
/** The last message on a run's channel: the executor published everything before it. */
const endOfEvents = '__end';

/**
 * Runs through the Redis task queue (core's BullMQ queue), so every instance behind a load balancer shares the
 * work: the instance a client reached submits the run and streams its events to that client; whichever
 * instance picks it up executes it and publishes each event on the run's Redis channel. The result comes back
 * through the queue; the events' end marker makes sure the client sees every event before `run-finish`.
 * Cancelling publishes on a shared channel that every executing instance listens to.
 */
export async function createRedisRunQueue(options: {
  redisUrl: string;
  execute: SpecExecutor;
  executesRuns: boolean;
  concurrency?: number;
  /** How long runs in flight wait for a lost Redis connection to come back before failing with `unavailable`. */
  outageMs?: number;
  log: Logger;
}): Promise<RunQueue> {
  const { publisher, subscriber } = await connectPubSub(options.redisUrl, { log: options.log, scope: 'runs' });
  const outageMs = options.outageMs ?? 5_000;
  const health = watchConnections([publisher, subscriber], options.log);
  const queue: RedisTaskQueue = await createRedisTaskQueue({
    name: 'starter-runs',
    connection: options.redisUrl,
    prefix,
  });

  /** Runs submitted here: events arriving on their channels go to their clients. */
  const watching = new Map<string, { emit: (event: RunEvent) => void; ended: () => void }>();
  /** Runs executing here, by id, so a cancel published by the submitting instance reaches them. */
  const executing = new Map<string, AbortController>();
  let executedCount = 0;
  let cancelledCount = 0;

  // Runs executing here whose events and result can no longer reach anyone stop too when the outage lasts.
  health.onOutage(outageMs, () => {
    for (const controller of executing.values()) {
      controller.abort(redisUnavailable(`for ${outageMs} ms: this run's events and result cannot be delivered`));
    }
  });

  subscriber.on('message', (channel: string, raw: string) => {
    if (channel === cancelChannel) {
      executing.get(raw)?.abort(new AgenticGenError('aborted', `[server] run ${raw} was cancelled by its client`));
      return;
    }
    const runId = channel.slice(eventsChannel('').length);
    const watcher = watching.get(runId);
    if (watcher === undefined) return;
    let event: RunEvent;
    try {
      event = JSON.parse(raw) as RunEvent;
    } catch {
      options.log('warn', 'runs: dropped a malformed event from Redis', { runId });
      return;
    }
    if (event.type === endOfEvents) watcher.ended();
    else watcher.emit(event);
  });
  await subscriber.subscribe(cancelChannel);

  let worker: RedisQueueWorker | undefined;
  if (options.executesRuns) {
    worker = await queue.process(
      {
        async run(input, taskContext) {
          const { runId, spec } = input as { runId: string; spec: RunSpec };
          const controller = new AbortController();
          const abort = () => controller.abort(taskContext.signal.reason);
          taskContext.signal.addEventListener('abort', abort, { once: true });
          executing.set(runId, controller);
          const publish = (event: unknown) => {
            publisher.publish(eventsChannel(runId), JSON.stringify(event)).catch((error: Error) => {
              options.log('warn', 'runs: could not publish an event', { runId, error: error.message });
            });
          };
          try {
            executedCount++;
            return await options.execute(spec, { signal: controller.signal, emit: publish });
          } finally {
            if (controller.signal.aborted) cancelledCount++;
            // Published on the same connection after every event, so it arrives after them.
            publish({ type: endOfEvents });
            executing.delete(runId);
            taskContext.signal.removeEventListener('abort', abort);
          }
        },
      },
      { concurrency: options.concurrency ?? 4 },
    );
  }

  return {
    executesRuns: options.executesRuns,
    get available() {
      return health.up;
    },
    async submit(runId, spec, { signal, emit }) {
      // Refused at once rather than queued behind a connection that may not come back (BullMQ would wait).
      if (!health.up) throw redisUnavailable('(the run queue is shared through it)');
      // The run ends when its result comes, when Redis has been gone too long, or when it is aborted (the client
      // left, shutdown): waiting on BullMQ alone could last as long as the outage.
      let stop!: (error: unknown) => void;
      const stopped = new Promise<never>((_, reject) => {
        stop = reject;
      });
      const stopWatching = health.onOutage(outageMs, () =>
        stop(redisUnavailable(`for ${outageMs} ms while this run was in flight; the run was lost`)),
      );
      const onAbort = () => stop(signal.reason);
      signal.addEventListener('abort', onAbort, { once: true });
      try {
        return await Promise.race([submitAndWait(runId, spec, { signal, emit }), stopped]);
      } finally {
        stopWatching();
        signal.removeEventListener('abort', onAbort);
      }
    },
    executed: () => executedCount,
    cancelled: () => cancelledCount,
    async close(closeOptions = {}) {
      const timeoutMs = closeOptions.timeoutMs ?? 5_000;
      let timer: ReturnType<typeof setTimeout> | undefined;
      const deadline = new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), timeoutMs);
      });
      const graceful = (async () => {
        await worker?.close();
        await queue.close();
      })();
      graceful.catch(() => {});
      const outcome = await Promise.race([graceful, deadline]);
      clearTimeout(timer);
      if (outcome === 'timeout') {
        options.log('warn', 'runs: the Redis queue did not close in time; closing by force', { timeoutMs });
        void worker?.close({ force: true }).catch(() => {});
      }
      health.dispose();
      publisher.disconnect();
      subscriber.disconnect();
    },
  };

  async function submitAndWait(
    runId: string,
    spec: RunSpec,
    { signal, emit }: { signal: AbortSignal; emit: (event: RunEvent) => void },
  ): Promise<unknown> {
    let ended!: () => void;
    const allEvents = new Promise<void>((resolve) => {
      ended = resolve;
    });
    watching.set(runId, { emit, ended });
    const cancel = () => {
      publisher.publish(cancelChannel, runId).catch(() => {});
    };
    try {
      await subscriber.subscribe(eventsChannel(runId));
      signal.addEventListener('abort', cancel, { once: true });
      const handle = await queue.enqueue('run', { runId, spec }, { id: runId });
      try {
        return await handle.result();
      } finally {
        // The result can overtake the last events on the other connection; the end marker cannot.
        await Promise.race([allEvents, new Promise((resolve) => setTimeout(resolve, 5_000).unref())]);
      }
    } finally {
      signal.removeEventListener('abort', cancel);
      watching.delete(runId);
      await subscriber.unsubscribe(eventsChannel(runId)).catch(() => {});
    }
  }
}

/** Whether every connection is up, and timers that fire when an outage has lasted long enough. */
function watchConnections(clients: readonly Redis[], log: Logger) {
  const listeners = new Set<() => void>();
  let up = clients.every((client) => client.status === 'ready');
  const update = () => {
    const now = clients.every((client) => client.status === 'ready');
    if (now === up) return;
    up = now;
    log(up ? 'info' : 'warn', up ? 'runs: Redis is back' : 'runs: Redis connection lost');
    for (const listener of [...listeners]) listener();
  };
  const events = ['ready', 'close', 'end', 'reconnecting', 'error'] as const;
  for (const client of clients) for (const event of events) client.on(event, update);
  return {
    get up() {
      return up;
    },
    /** Calls `callback` once Redis has been down for `afterMs` without coming back; returns a function that stops. */
    onOutage(afterMs: number, callback: () => void): () => void {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const check = () => {
        if (!up && timer === undefined) {
          timer = setTimeout(() => {
            timer = undefined;
            callback();
          }, afterMs);
        } else if (up && timer !== undefined) {
          clearTimeout(timer);
          timer = undefined;
        }
      };
      listeners.add(check);
      check();
      return () => {
        listeners.delete(check);
        if (timer !== undefined) clearTimeout(timer);
      };
    },
    dispose() {
      listeners.clear();
      for (const client of clients) for (const event of events) client.off(event, update);
    },
  };
}
