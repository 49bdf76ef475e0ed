import type {
  AsyncResource,
  CacheGetOrSetOptions,
  CacheSetOptions,
  CacheStore,
  CacheLoaderContext as CoreCacheLoaderContext,
} from '@agenticgen/core';
import type { CacheDriver } from '../drivers/driver.js';
import type { CacheEventName, CacheListener } from './events.js';

/** L1 (in-process, quick-lru) settings. */
export interface L1Options {
  /** Most recently used entries kept (quick-lru `maxSize`; its generational design may briefly hold up to 2×). Default 1000. */
  max?: number;
  /** Byte budget for L1 (keys and values, estimated by `sizeOf`); least recently used entries go first. Default none. */
  maxBytes?: number;
  /**
   * Longest time an L1 copy is trusted before L2 is asked again, whatever the entry's TTL. Bounds staleness across
   * processes when invalidation messages are lost. Default: the entry's TTL.
   */
  ttlMs?: number;
  /** Custom size estimate for `maxBytes` (default: strings 2 bytes per code unit, binary by length, JSON summed). */
  sizeOf?: (value: unknown) => number;
}

/**
 * Skips L2 for a while after repeated failures, so a dead or slow L2 costs one timeout per period, not one per
 * operation. Reads, writes (set, delete, tag markers), clear and publish all go through it; after `retryAfterMs`
 * one operation probes L2 while the others keep skipping, and its outcome closes or re-opens the circuit.
 */
export interface L2CircuitOptions {
  /** Consecutive failed L2 operations (timeouts included) that open the circuit. Default 5. */
  failureThreshold?: number;
  /** How long L2 is skipped once open, before one probe. Default 1000 ms. */
  retryAfterMs?: number;
}

export interface CacheOptions {
  /** Prefix of every L2 key and scope of invalidation messages: `[A-Za-z0-9_.-]{1,128}`. Default `default`. */
  namespace?: string;
  /** Default time to live in milliseconds (`Infinity` for never). Default 3,600,000 (one hour). */
  ttlMs?: number;
  /** Default stale-while-revalidate window after expiry, in ms; `getOrSet` serves stale and refreshes once. Default 0. */
  staleWhileRevalidateMs?: number;
  /** L1 settings, or `false` to keep nothing in process (every read goes to L2). */
  l1?: L1Options | false;
  /** The L2 driver (`createMemoryDriver`, `createFileDriver`, `createIndexedDbDriver`, `createRedisDriver`). */
  l2?: CacheDriver;
  /** Longest wait for one L2 operation before falling back to L1 or the loader. Default 500 ms. */
  l2TimeoutMs?: number;
  /** Circuit breaker for L2 operations, or `false` to always try L2. */
  l2Circuit?: L2CircuitOptions | false;
  /**
   * `write-through` (default): `set` resolves after L2 has the value. `write-behind`: `set` resolves after L1 and
   * L2 writes happen in the background, coalesced per key; `flush()` waits for them.
   */
  writeMode?: 'write-through' | 'write-behind';
  /** Cache loader failures for this long (negative caching). Default: failures are never cached. */
  negativeTtlMs?: number;
}

/** Options of `set`. */
export interface SetOptions extends CacheSetOptions {
  /** Stale-while-revalidate window for this entry, in ms after its expiry. */
  staleWhileRevalidateMs?: number;
}

/** Options of `getOrSet` (core's `CacheGetOrSetOptions` plus the tiered cache's own). */
export interface GetOrSetOptions extends SetOptions, CacheGetOrSetOptions {
  /** Cache a failure of this loader for this long (overrides the cache's `negativeTtlMs`). */
  negativeTtlMs?: number;
  /**
   * Cancels this caller's wait (it rejects with `aborted`). The loader receives the signal of the caller that
   * started the load; when that caller aborts, callers that joined it (and did not abort) share one new load.
   */
  signal?: AbortSignal;
}

/** What a `getOrSet` loader receives: core's contract type, named here for this package's users. */
export type CacheLoaderContext = CoreCacheLoaderContext;

/** Computes a missing value for `getOrSet`. */
export type CacheLoader<T> = (context: CacheLoaderContext) => Promise<T>;

/** Counters since creation or the last `resetStats()`. Ratios are 0 when there were no reads. */
export interface CacheStats {
  /**
   * Reads answered (fresh or stale) by L1, reads that missed L1, and L1 occupancy. `evictions` counts entries that
   * left L1 without a delete; capacity and expiry evictions are only observed (and counted) while L1 tracks them:
   * with `l1.maxBytes`, or once a `cache-evict` listener was added (tracking has a cost on every write).
   */
  l1: { hits: number; misses: number; hitRatio: number; entries: number; bytes: number; evictions: number };
  /** Reads answered by L2, misses, failed operations (timeouts included) and reads skipped by the open circuit. */
  l2: { hits: number; misses: number; hitRatio: number; errors: number; skipped: number };
  /** Loader calls and failures of `getOrSet` (background refreshes included). */
  loader: { calls: number; errors: number };
  /** Share of reads answered by any tier. */
  hitRatio: number;
  /** Writes and deletes issued by this instance. */
  sets: number;
  deletes: number;
}

/** A tiered cache: a synchronous quick-lru L1 in front of an optional L2 driver. Implements core's `CacheStore`. */
export interface TieredCache extends CacheStore, AsyncResource {
  /** The namespace of this cache's L2 keys and invalidation messages. */
  readonly namespace: string;
  /** L1 only, synchronous, updates recency; `undefined` when absent, expired or stale. For hot loops. */
  getSync<T = unknown>(key: string): T | undefined;
  /** Like `getSync` but leaves recency untouched (a look that does not count as use). */
  peek<T = unknown>(key: string): T | undefined;
  /**
   * Stores a value in L1 synchronously, for hot loops; with an L2 the L2 write is queued in the background (as in
   * write-behind mode; `flush()` waits for it). Throws like `set` on invalid input.
   */
  setSync(key: string, value: unknown, options?: SetOptions): void;
  /** Stores a value in L1 and (write-through by default) L2. */
  set(key: string, value: unknown, options?: SetOptions): Promise<void>;
  /** The cached value, or runs `loader` once for all concurrent callers (across L1 and L2) and caches it. */
  getOrSet<T>(key: string, loader: CacheLoader<T>, options?: GetOrSetOptions): Promise<T>;
  /** Removes every entry tagged with one of `tags`, here, in L2 and (via the driver's messages) elsewhere. */
  invalidateTags(tags: readonly string[]): Promise<void>;
  /** Removes every entry of this namespace from L1 and L2. */
  clear(): Promise<void>;
  /** Subscribes to an event; returns the unsubscribe function. */
  on<Name extends CacheEventName>(name: Name, listener: CacheListener<Name>): () => void;
  /** Counters and hit ratios per tier. */
  stats(): CacheStats;
  /** Sets every counter back to zero. */
  resetStats(): void;
  /** Waits for queued write-behind operations (resolves at once in write-through mode). */
  flush(): Promise<void>;
  /** Flushes, unsubscribes, disposes the driver and empties L1. Later calls reject with `disposed`. */
  dispose(): Promise<void>;
}
