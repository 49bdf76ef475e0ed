import QuickLRU from 'quick-lru';
import type { CacheEntry } from '../drivers/driver.js';

/**
 * When each tag was last invalidated, as learned from this process, from L2 markers and from other processes'
 * messages. An entry is current when it was written after every one of its tags' invalidations; an entry written
 * in the same millisecond counts as invalidated (the safe side). Bounded: a forgotten tag is read from L2 again.
 */
export class TagClock {
  readonly #times = new QuickLRU<string, number>({ maxSize: 10_000 });
  readonly #readMarker: ((tag: string) => Promise<number>) | undefined;

  /** `readMarker` fetches a tag's invalidation time from L2 (0 when it was never invalidated). */
  constructor(readMarker: ((tag: string) => Promise<number>) | undefined) {
    this.#readMarker = readMarker;
  }

  record(tag: string, at: number): void {
    this.#times.set(tag, Math.max(at, this.#times.get(tag) ?? 0));
  }

  clear(): void {
    this.#times.clear();
  }

  async isCurrent(entry: CacheEntry): Promise<boolean> {
    if (entry.tags === undefined || entry.tags.length === 0) return true;
    for (const tag of entry.tags) {
      let invalidatedAt = this.#times.get(tag);
      if (invalidatedAt === undefined && this.#readMarker !== undefined) {
        invalidatedAt = await this.#readMarker(tag);
        this.record(tag, invalidatedAt);
      }
      if (invalidatedAt !== undefined && entry.createdAt <= invalidatedAt) return false;
    }
    return true;
  }
}
