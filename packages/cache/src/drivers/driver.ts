/**
 * The L2 driver contract: three required methods, everything else optional and advertised by presence.
 * A driver stores whole entries (value plus metadata) under full keys (`<namespace>:<kind>:<key>`); the tiered
 * cache owns TTL policy, tags, single-flight and events, so a driver stays a thin adapter over its storage.
 */

/**
 * A tag's version: a counter (drivers with `increment`) or a random token (a versioned record, for drivers without
 * counters). `0` means the tag was never invalidated. Only equality matters, so no clock is ever compared.
 */
export type TagVersion = number | string;

/** One stored entry: the value and the metadata the cache needs to judge it. */
export interface CacheEntry {
  /** The value: JSON data, `Uint8Array`, `Float32Array` and other typed arrays, `ArrayBuffer`, `Date`, `Map`, `Set`. */
  value: unknown;
  /** When the value was written (epoch ms). */
  createdAt: number;
  /** When the value stops being fresh (epoch ms); absent means never. */
  expiresAt?: number;
  /** Until when a stale value may still be served while it is refreshed (epoch ms, >= `expiresAt`). */
  staleUntil?: number;
  /** Tags for group invalidation. */
  tags?: readonly string[];
  /**
   * The version of each tag (same order as `tags`) when the value was produced; the entry is current while every
   * tag still has that version. Absent means all `0`.
   */
  tagVersions?: readonly TagVersion[];
  /** Set when the entry records a loader failure (negative caching); `value` then holds the serialised error. */
  negative?: boolean;
}

/** The moment after which a driver must no longer return the entry: the end of its stale window, else its expiry. */
export function hardExpiryOf(entry: CacheEntry): number | undefined {
  return entry.staleUntil ?? entry.expiresAt;
}

/** A message that tells other cache instances (other processes, tabs) to drop their L1 copies. */
export type CacheInvalidation =
  | {
      /** Keys were set or deleted elsewhere. */
      type: 'keys';
      /** Instance id of the sender; a cache ignores its own messages. */
      origin: string;
      /** The cache namespace the keys belong to. */
      namespace: string;
      /** The user keys (without namespace prefix). */
      keys: readonly string[];
    }
  | {
      /** Tags were invalidated elsewhere. */
      type: 'tags';
      /** Instance id of the sender. */
      origin: string;
      /** The cache namespace. */
      namespace: string;
      /** Tag → its new version. */
      tags: Readonly<Record<string, TagVersion>>;
    }
  | {
      /** The namespace was cleared elsewhere. */
      type: 'clear';
      /** Instance id of the sender. */
      origin: string;
      /** The cache namespace. */
      namespace: string;
    }
  | {
      /**
       * The driver lost its subscription for a while (e.g. a Redis reconnect) and may have missed messages;
       * receivers drop their whole L1 to be safe.
       */
      type: 'resync';
    };

export interface CacheDriver {
  /** Driver name for events and errors: `memory`, `file`, `indexeddb`, `redis`. */
  readonly name: string;
  /**
   * The entry, or `undefined` when absent or past its hard expiry (`staleUntil ?? expiresAt`).
   * Rejects with `cache-entry-corrupt` (after deleting the entry) when stored bytes fail their checks.
   */
  get(key: string): Promise<CacheEntry | undefined>;
  /** Stores the entry, replacing any previous one atomically: readers see the old or the new entry, never a mix. */
  set(key: string, entry: CacheEntry): Promise<void>;
  /** Removes the key; no error when it is absent. */
  delete(key: string): Promise<void>;
  /** Removes every key starting with `prefix`, or every key of this driver when omitted. */
  clear?(prefix?: string): Promise<void>;
  /**
   * Adds one to the counter at `key` atomically and returns the new value (tag versions; Redis `INCR`). Counters
   * live beside entries (`clear` removes them) but are read only with `readCounter`. A driver without the pair gets
   * versioned records (random tokens written with `set`) instead.
   */
  increment?(key: string): Promise<number>;
  /** The counter at `key`, 0 when absent. */
  readCounter?(key: string): Promise<number>;
  /** Sends an invalidation to other instances subscribed through the same backend. */
  publish?(message: CacheInvalidation): Promise<void>;
  /** Receives invalidations from other instances; returns the unsubscribe function. */
  subscribe?(listener: (message: CacheInvalidation) => void): () => void;
  /** Closes connections and handles the driver opened itself. Idempotent. */
  dispose?(): Promise<void>;
  /** The same as `dispose()`, for `await using driver = createXDriver(…)` (the built-in drivers have both). */
  [Symbol.asyncDispose]?(): Promise<void>;
}
