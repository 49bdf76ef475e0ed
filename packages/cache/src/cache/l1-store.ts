import QuickLRU from 'quick-lru';
import type { CacheEntry } from '../drivers/driver.js';
import type { EvictionReason } from './events.js';

/**
 * An L1 entry that needs metadata: tags, a stale window, a cached failure, or a byte size. Plain entries (the
 * common case) are stored as the bare value with quick-lru's own expiry, which keeps the hot paths as cheap as
 * quick-lru itself. Users cannot construct this class, so a stored value is never mistaken for a record.
 */
export class L1Record {
  constructor(
    readonly value: unknown,
    readonly createdAt: number,
    /** Until when the value is served as fresh (the entry's expiry, capped by `l1.ttlMs`); epoch ms. */
    readonly freshUntil: number,
    /** Until when the value may be served stale while it is refreshed; quick-lru drops it then. */
    readonly staleUntil: number,
    readonly tags: readonly string[] | undefined,
    /** A cached loader failure; `value` is the serialised error. */
    readonly negative: boolean,
    /** Estimated bytes (key included); 0 without a byte budget. */
    readonly size: number,
  ) {}
}

export interface L1StoreOptions {
  max: number;
  maxBytes: number | undefined;
  /** Caps any entry's freshness in L1 (infinite for none). */
  ttlMs: number;
  /** Estimates a value's bytes; only with a byte budget. */
  sizeOf: ((value: unknown) => number) | undefined;
  onEvict: (key: string, reason: EvictionReason) => void;
}

/**
 * quick-lru plus a byte budget and eviction reasons. quick-lru is generational (a current and an old map, rotated
 * when the current one fills): it holds between `max` and `2 × max` entries, and an overwritten key can leave a
 * superseded copy in the old map that the rotation later reports as evicted.
 *
 * Tracking evictions costs: quick-lru then walks the whole old map at every rotation (about a third of a write's
 * time). So L1 starts untracked — no eviction callback, writes are one quick-lru call — and switches to tracked
 * mode (rebuilt once, O(n)) when a byte budget needs it or someone listens for `cache-evict`. Tracked writes delete
 * the old copy first, so every reported eviction is real.
 */
export class L1Store {
  lru: QuickLRU<string, unknown>;
  readonly maxBytes: number | undefined;
  bytes = 0;
  readonly #max: number;
  readonly #ttlMs: number;
  readonly #sizeOf: L1StoreOptions['sizeOf'];
  readonly #onEvict: L1StoreOptions['onEvict'];
  #tracked: boolean;
  /** True while quick-lru runs one of our writes: evictions reported then are capacity rotations, else expiries. */
  #writing = false;
  #lastOptions = { maxAge: 0 };

  constructor(options: L1StoreOptions) {
    this.maxBytes = options.maxBytes;
    this.#max = options.max;
    this.#ttlMs = options.ttlMs;
    this.#sizeOf = options.sizeOf;
    this.#onEvict = options.onEvict;
    this.#tracked = options.maxBytes !== undefined;
    this.lru = this.#create();
  }

  /** Whether evictions are tracked (a byte budget, or `cache-evict` listeners since some point). */
  get tracked(): boolean {
    return this.#tracked;
  }

  /** Switches to tracked mode for good; returns true when `lru` was replaced (callers holding it must re-read). */
  trackEvictions(): boolean {
    if (this.#tracked) return false;
    this.#tracked = true;
    const previous = this.lru;
    this.lru = this.#create();
    for (const [key, item] of previous.entriesAscending()) {
      const remaining = previous.expiresIn(key) ?? Number.POSITIVE_INFINITY;
      if (remaining > 0)
        this.#write(key, item, remaining === Number.POSITIVE_INFINITY ? undefined : { maxAge: remaining });
    }
    return true;
  }

  #create(): QuickLRU<string, unknown> {
    if (!this.#tracked) return new QuickLRU<string, unknown>({ maxSize: this.#max });
    return new QuickLRU<string, unknown>({
      maxSize: this.#max,
      onEviction: (key, item) => {
        if (item instanceof L1Record) this.bytes -= item.size;
        this.#onEvict(key, this.#writing ? 'capacity' : 'expired');
      },
    });
  }

  /**
   * Stores a bare value or a record for `maxAgeMs` (quick-lru drops it afterwards). Returns false when it was not
   * kept: already expired, or alone larger than the byte budget.
   */
  set(key: string, item: unknown, maxAgeMs: number): boolean {
    if (maxAgeMs <= 0) {
      this.delete(key);
      return false;
    }
    let options: { maxAge: number } | undefined;
    if (maxAgeMs !== Number.POSITIVE_INFINITY) {
      // Most writes use the default TTL: reuse one options object (quick-lru only reads it) instead of allocating.
      if (this.#lastOptions.maxAge !== maxAgeMs) this.#lastOptions = { maxAge: maxAgeMs };
      options = this.#lastOptions;
    }
    if (!this.#tracked) {
      this.lru.set(key, item, options); // no eviction callback: one quick-lru call
      return true;
    }
    const size = item instanceof L1Record ? item.size : 0;
    this.delete(key);
    if (this.maxBytes !== undefined && size > this.maxBytes) return false;
    this.#write(key, item, options);
    this.bytes += size;
    if (this.maxBytes !== undefined) this.#evictToBudget(this.maxBytes, key);
    return true;
  }

  /** Stores a copy of an entry (written here or read from L2) with its remaining TTL, capped by `ttlMs`. */
  store(key: string, entry: CacheEntry): boolean {
    const now = Date.now();
    const expiresAt = entry.expiresAt ?? Number.POSITIVE_INFINITY;
    const freshUntil = Math.min(expiresAt, now + this.#ttlMs);
    // A copy capped by l1.ttlMs gets no stale window: past the cap L1 must ask L2 again, not serve on.
    const staleUntil = freshUntil === expiresAt ? Math.max(freshUntil, entry.staleUntil ?? freshUntil) : freshUntil;
    const negative = entry.negative === true;
    return this.put(key, entry.value, now, entry.createdAt, freshUntil, staleUntil, entry.tags, negative);
  }

  /**
   * The one way values enter L1: a plain value (no byte budget, tags, stale window or negative flag) goes to
   * quick-lru bare with its max age, which keeps reads as cheap as quick-lru's; anything else as an `L1Record`.
   */
  put(
    key: string,
    value: unknown,
    now: number,
    createdAt: number,
    freshUntil: number,
    staleUntil: number,
    tags: readonly string[] | undefined,
    negative: boolean,
  ): boolean {
    const sizeOf = this.#sizeOf;
    if (sizeOf === undefined && !negative && tags === undefined && staleUntil === freshUntil) {
      return this.set(key, value, freshUntil - now);
    }
    const size = sizeOf === undefined ? 0 : key.length * 2 + sizeOf(value);
    return this.set(
      key,
      new L1Record(value, createdAt, freshUntil, staleUntil, tags, negative, size),
      staleUntil - now,
    );
  }

  /**
   * `put` of a value written now, fresh for `freshMs` with a stale window of `staleMs`: a plain value with no
   * stale window goes to quick-lru with `freshMs` as its max age without reading the clock (quick-lru reads it).
   */
  putFresh(key: string, value: unknown, freshMs: number, staleMs: number): boolean {
    if (staleMs === 0 && this.#sizeOf === undefined) return this.set(key, value, freshMs);
    const now = Date.now();
    return this.put(key, value, now, now, now + freshMs, now + freshMs + staleMs, undefined, false);
  }

  delete(key: string): boolean {
    const previous = this.lru.peek(key);
    if (previous === undefined) return false;
    if (previous instanceof L1Record) this.bytes -= previous.size;
    this.lru.delete(key);
    return true;
  }

  clear(): void {
    this.lru.clear();
    this.bytes = 0;
  }

  /** Removes every record matching `predicate` (tag invalidation); O(n), invalidations are rare. */
  deleteWhere(predicate: (record: L1Record) => boolean, reason: EvictionReason): void {
    const doomed: string[] = [];
    for (const [key, item] of this.lru.entriesAscending()) {
      if (item instanceof L1Record && predicate(item)) doomed.push(key);
    }
    for (const key of doomed) if (this.delete(key)) this.#onEvict(key, reason);
  }

  #write(key: string, item: unknown, options: { maxAge: number } | undefined): void {
    this.#writing = true;
    try {
      this.lru.set(key, item, options);
    } finally {
      this.#writing = false;
    }
  }

  #evictToBudget(maxBytes: number, keep: string): void {
    while (this.bytes > maxBytes) {
      const oldest = this.lru.entriesAscending().next();
      if (oldest.done === true) return;
      const [key] = oldest.value;
      if (key === keep) return; // only the newest entry is left; it fits by the check in set()
      this.delete(key);
      this.#onEvict(key, 'size');
    }
  }
}
