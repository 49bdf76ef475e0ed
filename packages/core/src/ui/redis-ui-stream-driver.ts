import { AgenticGenError } from '../errors/agenticgen-error.js';
import type { UIStreamDriver } from './ui-stream-driver.js';

/** The ioredis commands the driver uses (an `ioredis` `Redis` instance satisfies it). */
export interface UIStreamRedisClient {
  get(key: string): Promise<string | null>;
  set(key: string, value: string, mode: 'EX', seconds: number): Promise<unknown>;
  del(...keys: string[]): Promise<number>;
  expire(key: string, seconds: number): Promise<number>;
  xrange(key: string, start: string, end: string, count: 'COUNT', n: number): Promise<Array<[string, string[]]>>;
  publish(channel: string, message: string): Promise<number>;
  /** Batches commands into one round trip. */
  pipeline(): UIStreamRedisPipeline;
}

/** The pipeline commands the driver uses. */
export interface UIStreamRedisPipeline {
  xadd(key: string, ...args: Array<string | number>): unknown;
  expire(key: string, seconds: number): unknown;
  exec(): Promise<Array<[Error | null, unknown]> | null>;
}

/** A connection in subscriber mode (an `ioredis` `Redis` instance used only for subscriptions). */
export interface UIStreamRedisSubscriber {
  subscribe(channel: string): Promise<unknown>;
  unsubscribe(channel: string): Promise<unknown>;
  on(event: 'message', listener: (channel: string, message: string) => void): unknown;
}

export interface RedisUIStreamDriverOptions {
  /** Runs the commands. The driver never closes it. */
  client: UIStreamRedisClient;
  /** A second connection for pub/sub (Redis forbids commands on a subscribed connection). Never closed by the driver. */
  subscriber: UIStreamRedisSubscriber;
  /** Key and channel prefix (default `agenticgen:ui-stream`). */
  prefix?: string;
  /** Seconds a stream's keys live after its last write (default 3600). */
  ttlSeconds?: number;
  /** Cap of the Redis stream of one run, in events (default 100,000; match the registry's `maxEventsPerStream`). */
  maxEvents?: number;
  /** Events read per XRANGE (default 1000). */
  readBatch?: number;
}

/**
 * Streams in Redis, so any instance can resume or cancel them: each run is a capped Redis stream whose entry ids
 * are `0-<index+1>` (so a reader asks for "from index N" directly), a state key, and two pub/sub channels (new
 * events, cancel). Readers subscribe before reading, so no event published after their read is missed.
 */
export function createRedisUIStreamDriver(options: RedisUIStreamDriverOptions): UIStreamDriver {
  const { client, subscriber } = options;
  const prefix = options.prefix ?? 'agenticgen:ui-stream';
  const ttl = options.ttlSeconds ?? 3600;
  const maxEvents = options.maxEvents ?? 100_000;
  const readBatch = options.readBatch ?? 1000;
  const keys = (id: string) => ({
    events: `${prefix}:${id}:events`,
    state: `${prefix}:${id}:state`,
    appended: `${prefix}:${id}:appended`,
    cancel: `${prefix}:${id}:cancel`,
  });
  const listeners = new Map<string, Set<() => void>>();
  subscriber.on('message', (channel) => {
    for (const listener of listeners.get(channel) ?? []) listener();
  });

  async function listen(channel: string, listener: () => void): Promise<() => void> {
    let set = listeners.get(channel);
    if (set === undefined) {
      set = new Set();
      listeners.set(channel, set);
      set.add(listener);
      await subscriber.subscribe(channel);
    } else set.add(listener);
    const current = set;
    return () => {
      current.delete(listener);
      if (current.size === 0 && listeners.get(channel) === current) {
        listeners.delete(channel);
        void subscriber.unsubscribe(channel).catch(() => undefined);
      }
    };
  }

  return {
    name: 'redis',
    async create(streamId) {
      const key = keys(streamId);
      if ((await client.get(key.state)) === 'active')
        throw new AgenticGenError(
          'conflict',
          '[ui] a stream with this id is still active; cancel it or wait for it to end',
        );
      await client.del(key.events);
      await client.set(key.state, 'active', 'EX', ttl);
    },
    async append(streamId, from, events) {
      const key = keys(streamId);
      const pipeline = client.pipeline();
      for (const [offset, event] of events.entries())
        pipeline.xadd(key.events, 'MAXLEN', maxEvents, `0-${from + offset + 1}`, 'e', event);
      pipeline.expire(key.events, ttl);
      const failure = (await pipeline.exec())?.find(([error]) => error !== null)?.[0];
      if (failure)
        throw new AgenticGenError('network', `[ui] redis append failed: ${failure.message.slice(0, 200)}`, {
          cause: failure,
        });
      await client.publish(key.appended, String(from + events.length));
    },
    async finish(streamId) {
      const key = keys(streamId);
      await client.set(key.state, 'finished', 'EX', ttl);
      await client.expire(key.events, ttl);
      await client.publish(key.appended, 'finished');
    },
    async state(streamId) {
      const value = await client.get(keys(streamId).state);
      return value === 'active' || value === 'finished' ? value : undefined;
    },
    async *read(streamId, from, signal) {
      const key = keys(streamId);
      let notified = 0;
      let wake: (() => void) | undefined;
      const stop = await listen(key.appended, () => {
        notified += 1;
        wake?.();
      });
      const onAbort = () => wake?.();
      signal?.addEventListener('abort', onAbort);
      try {
        let next = Math.max(0, from) + 1;
        for (;;) {
          if (signal?.aborted) return;
          const seen = notified;
          const entries = await client.xrange(key.events, `0-${next}`, '+', 'COUNT', readBatch);
          if (entries.length > 0) {
            if (signal?.aborted) return;
            next = Number((entries.at(-1) as [string, string[]])[0].slice(2)) + 1;
            yield entries.map(([, fields]) => fields[1] as string);
            continue;
          }
          // Nothing new: the stream is over once finished (the last append precedes finish), else wait.
          if ((await client.get(key.state)) !== 'active') {
            const tail = await client.xrange(key.events, `0-${next}`, '+', 'COUNT', readBatch);
            if (tail.length === 0) return;
            continue;
          }
          if (notified === seen)
            await new Promise<void>((resolve) => {
              wake = resolve;
            });
          wake = undefined;
        }
      } finally {
        signal?.removeEventListener('abort', onAbort);
        stop();
      }
    },
    async cancel(streamId) {
      await client.publish(keys(streamId).cancel, 'cancel');
    },
    onCancel: (streamId, listener) => listen(keys(streamId).cancel, listener),
  };
}
