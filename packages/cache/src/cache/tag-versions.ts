import QuickLRU from 'quick-lru';
import type { CacheEntry, TagVersion } from '../drivers/driver.js';

/** Where tag versions live (L2): read the current one, or replace it with a new one. `undefined`: L2 failed. */
export interface TagVersionSource {
  read(tag: string): Promise<TagVersion | undefined>;
  bump(tag: string): Promise<TagVersion | undefined>;
}

/** Matches no stored version: an entry stamped with it is never current (L2 did not answer when it was written). */
const unknownVersion = 'unknown';
/** Versions only this cache knows (an invalidation L2 did not take); L2 tokens never start with it. */
const localPrefix = 'local:';

/**
 * Tag versions of one cache. Each tagged entry carries the version of each of its tags from before its value was
 * produced; `invalidateTags` replaces the versions in L2 (a counter, or a random token), so an entry is current
 * exactly while its versions are — no clocks compared across processes. Versions read from L2 are remembered for
 * `rememberMs` (the cache's `l1.ttlMs`), so an invalidation made elsewhere without a message is seen within that
 * time; a stored version that differs from the remembered one is re-read before the entry is refused.
 */
export class TagVersions {
  readonly #known = new QuickLRU<string, TagVersion>({ maxSize: 10_000 });
  readonly #source: TagVersionSource | undefined;
  readonly #remember: { maxAge: number } | undefined;
  readonly #rememberMs: number;

  /** Without a source (no L2) versions are not needed: L1 copies are dropped on invalidation. */
  constructor(source: TagVersionSource | undefined, rememberMs: number) {
    this.#source = source;
    this.#rememberMs = rememberMs;
    this.#remember = Number.isFinite(rememberMs) ? { maxAge: rememberMs } : undefined;
  }

  /** Whether entries need versions (there is an L2 to judge them). */
  get active(): boolean {
    return this.#source !== undefined;
  }

  remember(tag: string, version: TagVersion): void {
    if (this.#rememberMs > 0) this.#known.set(tag, version, this.#remember);
  }

  clear(): void {
    this.#known.clear();
  }

  /** The versions to store with a value about to be produced: remembered, else read from L2. */
  async stamp(tags: readonly string[]): Promise<TagVersion[]> {
    return Promise.all(tags.map(async (tag) => this.#known.get(tag) ?? (await this.#read(tag)) ?? unknownVersion));
  }

  /** Like `stamp` without waiting: a tag not remembered is stamped 0, which at worst makes the entry a miss. */
  stampSync(tags: readonly string[]): TagVersion[] {
    return tags.map((tag) => this.#known.get(tag) ?? 0);
  }

  async isCurrent(entry: CacheEntry): Promise<boolean> {
    const tags = entry.tags;
    if (tags === undefined || tags.length === 0 || this.#source === undefined) return true;
    for (let index = 0; index < tags.length; index++) {
      const tag = tags[index]!;
      const stored = entry.tagVersions?.[index] ?? 0;
      const known = this.#known.get(tag);
      if (known === stored) continue;
      // This cache invalidated the tag but L2 did not take the new version: refuse L2's copies until it is forgotten.
      if (typeof known === 'string' && known.startsWith(localPrefix)) return false;
      // Not remembered, or remembered differently: the entry may be newer than what this cache knows.
      if ((await this.#read(tag)) !== stored) return false;
    }
    return true;
  }

  /**
   * Gives `tag` a new version in L2 and returns it. Until L2 answers (and if it fails) the tag holds a version only
   * this cache knows, so L2 copies read meanwhile are refused here.
   */
  async invalidate(tag: string): Promise<TagVersion> {
    const local = `${localPrefix}${Math.random().toString(36).slice(2)}`;
    this.remember(tag, local);
    const version = (await this.#source?.bump(tag)) ?? local;
    this.remember(tag, version);
    return version;
  }

  async #read(tag: string): Promise<TagVersion | undefined> {
    const version = await this.#source?.read(tag);
    if (version !== undefined) this.remember(tag, version);
    return version;
  }
}
