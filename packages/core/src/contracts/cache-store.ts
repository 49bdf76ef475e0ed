/**
 * The cache contract other packages program against (model manager response cache, conversation memory,
 * embedding cache). `@agenticgen/cache` implements it with tiers; a `Map` can implement it in tests.
 */
export interface CacheSetOptions {
  /** Time to live in milliseconds; omitted means the store's default; `Infinity` means the entry never expires. */
  ttlMs?: number;
  /** Tags for group invalidation. */
  tags?: readonly string[];
}

export interface CacheStore {
  /** The value, or `undefined` on a miss or expiry. Never rejects because a lower tier is down. */
  get<T = unknown>(key: string): Promise<T | undefined>;
  /** Stores a structured-clone-able value (JSON, `Uint8Array`, `Float32Array`, …). */
  set(key: string, value: unknown, options?: CacheSetOptions): Promise<void>;
  /** Removes the key; no error if it was absent. */
  delete(key: string): Promise<void>;
  /** Whether a live entry exists. */
  has(key: string): Promise<boolean>;
  /** Returns the cached value or runs `loader` once (concurrent callers share the call) and caches it. */
  getOrSet<T>(key: string, loader: () => Promise<T>, options?: CacheSetOptions): Promise<T>;
  /** Removes every entry carrying one of the tags, if the store supports tags. */
  invalidateTags?(tags: readonly string[]): Promise<void>;
  /** Removes every entry (of this namespace). */
  clear?(): Promise<void>;
}
