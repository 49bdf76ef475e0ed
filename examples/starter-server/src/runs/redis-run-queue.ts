import { AgenticGenError } from '@agenticgen/core';
import { createRedisTaskQueue, type RedisQueueWorker, type RedisTaskQueue } from '@agenticgen/core/redis-queue';
import type { ChatTurn } from '../gateway/messages.ts';
import type { Logger } from '../log.ts';
import { connectPubSub } from '../redis-pub-sub.ts';
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
  /** Stops taking runs (waits for the ones executing here), then closes the Redis connections. */
  close(): Promise<void>;
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
  log: Logger;
}): Promise<RunQueue> {
  const { publisher, subscriber } = await connectPubSub(options.redisUrl, { log: options.log, scope: 'runs' });
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
    executed: () => executedCount,
    cancelled: () => cancelledCount,
    async submit(runId, spec, { signal, emit }) {
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
    },
    async close() {
      await worker?.close();
      await queue.close();
      publisher.disconnect();
      subscriber.disconnect();
    },
  };
}
