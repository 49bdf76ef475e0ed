import type { AsyncResource } from '@agenticgen/core';
import type { Redis, RedisOptions } from 'ioredis';
import { cacheError } from '../errors.js';
import { type CodecOptions, type DecodedEntry, decodeEntryFast, encodeEntry } from '../serialization/codec.js';
import { type CacheDriver, type CacheEntry, type CacheInvalidation, hardExpiryOf } from './driver.js';

/**
 * An ioredis client as the driver takes it: a `new Redis(...)` satisfies it. Declared here so the published
 * types never import the optional peer (a project without ioredis type-checks with skipLibCheck off).
 */
export interface RedisClient {
  duplicate(...args: never[]): unknown;
  publish(...args: never[]): unknown;
  subscribe(...args: never[]): unknown;
}

export interface RedisDriverOptions extends CodecOptions {
  /** `redis://[user:password@]host:port[/db]`; ignored when `client` is given. Default `redis://127.0.0.1:6379`. */
  url?: string;
  /** Extra ioredis options (its `RedisOptions`) for the connections this driver opens. */
  redis?: object;
  /**
   * An ioredis client to use instead of opening one. The driver never closes it; it opens one duplicate for
   * pub/sub (a subscribed connection cannot run commands) and closes that on dispose.
   */
  client?: RedisClient;
  /** Prefix of every key this driver writes (default `agenticgen:cache:`); `clear()` only touches these keys. */
  prefix?: string;
  /** Pub/sub channel for L1 invalidation (default `<prefix>invalidations`). */
  channel?: string;
  /** Publish and receive invalidations (default true). */
  pubSub?: boolean;
  /** Longest wait for the first connection before operations fail (default 5000 ms). */
  connectTimeoutMs?: number;
  /** Loads ioredis; replace to inject a build or to test the missing-dependency path. Default `import('ioredis')`. */
  loadIoredis?: () => Promise<{ Redis: new (...args: never[]) => unknown }>;
}

/**
 * Redis L2 (ioredis, loaded lazily). Values are stored as the checksummed byte format with a PX expiry at the end
 * of their stale window. Set and delete publish an invalidation so caches in other processes drop their L1 copy.
 * Commands fail fast while the server is unreachable (the cache then serves L1 or the loader) and ioredis
 * reconnects in the background; after a reconnect subscribers receive a `resync` because messages may be lost.
 */
export function createRedisDriver(options: RedisDriverOptions = {}): CacheDriver & AsyncResource {
  const prefix = options.prefix ?? 'agenticgen:cache:';
  const channel = options.channel ?? `${prefix}invalidations`;
  const connectTimeoutMs = options.connectTimeoutMs ?? 5000;
  const codec: CodecOptions = {};
  if (options.compression !== undefined) codec.compression = options.compression;
  if (options.compressAboveBytes !== undefined) codec.compressAboveBytes = options.compressAboveBytes;
  // `.catch` on the import itself lets bundlers (esbuild) leave a missing optional peer to run time.
  const load = options.loadIoredis ?? (() => import('ioredis').catch((error: unknown) => Promise.reject(error)));
  // The given client and options are ioredis' own (RedisClient only describes them): used through its types.
  const given = options.client as Redis | undefined;
  const owned: Redis[] = [];
  const listeners = new Set<(message: CacheInvalidation) => void>();
  let command: Promise<Redis> | undefined;
  let subscriber: Promise<Redis> | undefined;
  let disposed = false;

  async function open(purpose: 'commands' | 'subscriber'): Promise<Redis> {
    if (disposed) throw cacheError('disposed', 'the Redis driver was disposed; create a new one');
    const base: RedisOptions = {
      // Fail fast while disconnected: the cache falls back to L1 or the loader instead of queueing reads.
      enableOfflineQueue: purpose === 'subscriber',
      maxRetriesPerRequest: 1,
      ...(options.redis as RedisOptions | undefined),
    };
    let client: Redis;
    if (given !== undefined) {
      if (purpose === 'commands') return given;
      client = given.duplicate({ enableOfflineQueue: true });
    } else {
      let module: { Redis: new (...args: never[]) => unknown };
      try {
        module = await load();
      } catch (error) {
        throw cacheError('dependency-missing', 'createRedisDriver needs the ioredis package: npm install ioredis', {
          cause: error,
        });
      }
      const Constructor = module.Redis as unknown as new (url: string, options: RedisOptions) => Redis;
      client = new Constructor(options.url ?? 'redis://127.0.0.1:6379', base);
    }
    // Errors surface on the commands that hit them; without a listener ioredis would log every reconnect attempt.
    client.on('error', () => undefined);
    owned.push(client);
    return client;
  }

  /** Set once the command connection was ready once; from then on commands go straight to it (no await). */
  let connected: Redis | undefined;
  async function connect(): Promise<Redis> {
    command ??= open('commands');
    const client = await command;
    if (client.status !== 'ready') await waitForReady(client, connectTimeoutMs);
    connected = client;
    return client;
  }

  function startSubscriber(): void {
    if (subscriber !== undefined) return;
    subscriber = open('subscriber');
    subscriber.then(
      (client) => {
        let readyBefore = false;
        client.on('ready', () => {
          // ioredis resubscribes on its own; anything published while we were away is lost, so say so.
          if (readyBefore) for (const listener of listeners) listener({ type: 'resync' });
          readyBefore = true;
        });
        if (client.status === 'ready') readyBefore = true;
        client.on('messageBuffer', (_channel: Buffer, payload: Buffer) => {
          const message = parseMessage(payload.toString('utf8'));
          if (message !== undefined) for (const listener of listeners) listener(message);
        });
        client.subscribe(channel).catch(() => undefined);
      },
      () => {
        subscriber = undefined; // e.g. ioredis missing; commands report it
      },
    );
  }

  /** The entry if it belongs to `key` and is not past its hard expiry; a mismatched key is corruption. */
  function accept(key: string, decoded: DecodedEntry): CacheEntry | undefined {
    if (decoded.key !== key) {
      throw cacheError('cache-entry-corrupt', `the value at ${JSON.stringify(key)} holds another key; it was dropped`);
    }
    const hardExpiry = hardExpiryOf(decoded.entry);
    return hardExpiry !== undefined && hardExpiry <= Date.now() ? undefined : decoded.entry;
  }

  /** Deletes an entry that failed its checks, then rejects with the reason. */
  async function dropCorrupt(client: Redis, key: string, error: unknown): Promise<never> {
    await client.del(prefix + key).catch(() => undefined);
    throw error;
  }

  const driver: CacheDriver & AsyncResource = {
    name: 'redis',
    get(key) {
      // A plain `.then` chain, not an async function: one promise less on every L2 read.
      const client = connected;
      if (client === undefined) return connect().then(() => driver.get(key));
      return client.getBuffer(prefix + key).then((bytes) => {
        if (bytes === null) return undefined;
        try {
          const result = decodeEntryFast(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
          if (!(result instanceof Promise)) return accept(key, result);
          return result
            .then((decoded) => accept(key, decoded))
            .catch((error: unknown) => dropCorrupt(client, key, error));
        } catch (error) {
          return dropCorrupt(client, key, error);
        }
      });
    },
    async set(key, entry) {
      const bytes = await encodeEntry(key, entry, codec);
      const client = connected ?? (await connect());
      const value = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      const hardExpiry = hardExpiryOf(entry);
      if (hardExpiry === undefined) {
        await client.set(prefix + key, value);
        return;
      }
      const ttlMs = Math.ceil(hardExpiry - Date.now());
      if (ttlMs <= 0) await client.del(prefix + key);
      else await client.set(prefix + key, value, 'PX', ttlMs);
    },
    async delete(key) {
      const client = connected ?? (await connect());
      await client.del(prefix + key);
    },
    async increment(key) {
      const client = connected ?? (await connect());
      return client.incr(prefix + key);
    },
    async readCounter(key) {
      const client = connected ?? (await connect());
      const text = await client.get(prefix + key);
      const value = text === null ? 0 : Number(text);
      if (!Number.isSafeInteger(value)) {
        throw cacheError('cache-entry-corrupt', `the counter at ${JSON.stringify(key)} is not an integer`);
      }
      return value;
    },
    async clear(subPrefix) {
      const client = connected ?? (await connect());
      const pattern = `${escapeGlob(prefix + (subPrefix ?? ''))}*`;
      let cursor = '0';
      do {
        const [next, keys] = await client.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
        cursor = next;
        if (keys.length > 0) await client.unlink(...keys);
      } while (cursor !== '0');
    },
    async dispose() {
      if (disposed) return;
      disposed = true;
      connected = undefined;
      listeners.clear();
      await Promise.allSettled([command, subscriber]);
      await Promise.all(
        owned.map(async (client) => {
          if (client === given) return;
          if (client.status === 'ready') await client.quit().catch(() => client.disconnect());
          else client.disconnect();
        }),
      );
    },
    [Symbol.asyncDispose]() {
      return this.dispose();
    },
  };
  if (options.pubSub !== false) {
    driver.publish = async (message) => {
      const client = connected ?? (await connect());
      await client.publish(channel, JSON.stringify(message));
    };
    driver.subscribe = (listener) => {
      listeners.add(listener);
      startSubscriber();
      return () => listeners.delete(listener);
    };
  }
  return driver;
}

function waitForReady(client: Redis, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      client.off('ready', onReady);
      reject(cacheError('timeout', `no Redis connection within ${timeoutMs} ms; is the server running?`));
    }, timeoutMs);
    const onReady = () => {
      clearTimeout(timer);
      resolve();
    };
    client.once('ready', onReady);
  });
}

function parseMessage(text: string): CacheInvalidation | undefined {
  try {
    const message = JSON.parse(text) as CacheInvalidation;
    if (typeof message !== 'object' || message === null) return undefined;
    if (message.type === 'resync') return message;
    if (typeof message.origin !== 'string' || typeof message.namespace !== 'string') return undefined;
    if (message.type === 'keys' && Array.isArray(message.keys)) return message;
    if (message.type === 'tags' && typeof message.tags === 'object' && message.tags !== null) return message;
    if (message.type === 'clear') return message;
    return undefined;
  } catch {
    return undefined;
  }
}

function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, '\\$&');
}
