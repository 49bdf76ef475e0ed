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

/** What a `getOrSet` loader receives. */
export interface CacheLoaderContext {
  /** The signal of the caller that started this load, when it passed one. */
  signal?: AbortSignal;
}

/** Options of `CacheStore.getOrSet`. */
export interface CacheGetOrSetOptions extends CacheSetOptions {
  /** Cancels this caller's wait for the value (it rejects with `aborted`). */
  signal?: AbortSignal;
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
  /**
   * Returns the cached value or runs `loader` once (concurrent callers share the call) and caches it. An aborted
   * `options.signal` rejects this caller's wait with `aborted`; the loader receives the signal of the caller that
   * started the load, to pass on to `fetch` or the model call (`context` is optional so stores written before
   * the signal existed, which call `loader()`, still satisfy the contract).
   */
  getOrSet<T>(
    key: string,
    loader: (context?: CacheLoaderContext) => Promise<T>,
    options?: CacheGetOrSetOptions,
  ): Promise<T>;
  /** Removes every entry carrying one of the tags, if the store supports tags. */
  invalidateTags?(tags: readonly string[]): Promise<void>;
  /** Removes every entry (of this namespace). */
  clear?(): Promise<void>;
}
