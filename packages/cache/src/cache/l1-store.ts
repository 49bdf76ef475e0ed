import QuickLRU from 'quick-lru';
import type { EvictionReason } from './events.js';

/** What L1 keeps per key. Times are epoch ms; `Infinity` means never. */
export interface L1Record {
  value: unknown;
  createdAt: number;
  /** Until when the value is served as fresh (the entry's expiry, capped by `l1.ttlMs`). */
  freshUntil: number;
  /** Until when the value may be served stale while it is refreshed; equals `freshUntil` without a stale window. */
  staleUntil: number;
  tags: readonly string[] | undefined;
  /** A cached loader failure; `value` is the serialised error. */
  negative: boolean;
  /** Estimated bytes (key included); 0 when no byte bound is configured. */
  size: number;
}

export interface L1StoreOptions {
  max: number;
  maxBytes: number | undefined;
  onEvict: (key: string, reason: EvictionReason) => void;
}

/**
 * quick-lru plus a byte budget. quick-lru is generational (a current and an old map, rotated when the current one
 * fills), so it holds between `max` and `2 × max` entries and may report an overwritten old copy as evicted; the
 * identity check in `onEviction` filters those out so byte accounting stays exact.
 */
export class L1Store {
  readonly lru: QuickLRU<string, L1Record>;
  readonly maxBytes: number | undefined;
  bytes = 0;
  readonly #onEvict: L1StoreOptions['onEvict'];

  constructor(options: L1StoreOptions) {
    this.maxBytes = options.maxBytes;
    this.#onEvict = options.onEvict;
    this.lru = new QuickLRU<string, L1Record>({
      maxSize: options.max,
      onEviction: (key, record) => {
        // A newer copy of the key lives on: this is the rotation dropping a superseded copy, not an eviction.
        if (this.lru.peek(key) !== record) return;
        this.bytes -= record.size;
        this.#onEvict(key, 'capacity');
      },
    });
  }

  /** Stores the record; returns false when it alone exceeds the byte budget (it is then not kept). */
  set(key: string, record: L1Record): boolean {
    const previous = this.lru.peek(key);
    if (previous !== undefined) this.bytes -= previous.size;
    if (this.maxBytes !== undefined && record.size > this.maxBytes) {
      if (previous !== undefined) this.lru.delete(key);
      return false;
    }
    this.lru.set(key, record);
    this.bytes += record.size;
    if (this.maxBytes !== undefined) this.#evictToBudget(this.maxBytes, key);
    return true;
  }

  delete(key: string): boolean {
    const previous = this.lru.peek(key);
    if (previous === undefined) return false;
    this.bytes -= previous.size;
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
    for (const [key, record] of this.lru.entriesAscending()) if (predicate(record)) doomed.push(key);
    for (const key of doomed) if (this.delete(key)) this.#onEvict(key, reason);
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
