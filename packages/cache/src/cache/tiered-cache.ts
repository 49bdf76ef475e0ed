import { disposeOnce, throwIfAborted } from '@agenticgen/core';
import type { CacheInvalidation, TagVersion } from '../drivers/driver.js';
import { cacheError } from '../errors.js';
import { assertKey, assertTags, maxKeyLength } from '../validation.js';
import { CacheCore } from './cache-core.js';
import { isFresh, rethrow, validateSetOptions } from './cache-helpers.js';
import { CacheCounters, cacheStats } from './cache-stats.js';
import type { CacheLoader, CacheOptions, CacheStats, GetOrSetOptions, SetOptions, TieredCache } from './cache-types.js';
import type { CacheEventName, CacheListener } from './events.js';
import { applyInvalidation } from './invalidation.js';
import { L1Record } from './l1-store.js';
import { joinLoad, refreshInBackground } from './load-path.js';
import { readL1, readL2 } from './read-path.js';
import { createEntry, writeEntry } from './write-path.js';

/**
 * The tiered cache's public methods. The paths behind them live beside it: read-path.ts (L1 and L2 reads),
 * load-path.ts (single-flight loads, negative caching, background refresh), write-path.ts (entries and writes),
 * cache-core.ts (the state they share, counters and events).
 */
export function createCache(options: CacheOptions = {}): TieredCache {
  return new TieredCacheImplementation(options);
}

const noOptions: SetOptions = Object.freeze({});

class TieredCacheImplementation implements TieredCache {
  readonly namespace: string;
  readonly #core: CacheCore;
  readonly #unsubscribe: (() => void) | undefined;
  #disposed = false;

  constructor(options: CacheOptions) {
    this.#core = new CacheCore(options);
    this.namespace = this.#core.namespace;
    this.#unsubscribe = options.l2?.subscribe?.((message) => this.#onInvalidation(message));
  }

  // ── reads ────────────────────────────────────────────────────────────────────────────────────────────────────

  getSync<T = unknown>(key: string): T | undefined {
    const item = this.#core.lru?.get(key);
    if (item !== undefined) {
      // Bare values are fresh by construction: quick-lru drops them at their expiry.
      const value = item instanceof L1Record ? (isFresh(item) ? item.value : undefined) : item;
      if (value !== undefined) {
        this.#core.counters.l1Hits++;
        this.#core.counters.hits++;
        if (this.#core.listeningHit) this.#core.events.emit('cache-hit', { key, tier: 'l1', stale: false });
        return value as T;
      }
    } else if (typeof key !== 'string') assertKey(key);
    if (this.#core.l1 !== undefined) this.#core.counters.l1Misses++;
    this.#core.counters.misses++;
    return undefined;
  }

  peek<T = unknown>(key: string): T | undefined {
    const item = this.#core.lru?.peek(key);
    if (item === undefined || (item instanceof L1Record && !isFresh(item))) return undefined;
    return (item instanceof L1Record ? item.value : item) as T;
  }

  async get<T = unknown>(key: string): Promise<T | undefined> {
    this.#assertUsable();
    assertKey(key);
    const item = readL1(this.#core, key);
    if (item !== undefined && (!(item instanceof L1Record) || item.freshUntil > Date.now())) {
      this.#core.hit(key, 'l1', false);
      if (!(item instanceof L1Record)) return item as T;
      return item.negative ? undefined : (item.value as T);
    }
    if (this.#core.l1 !== undefined) this.#core.counters.l1Misses++;
    // An L1-only cache answers a miss without awaiting anything.
    const entry = this.#core.l2 === undefined ? undefined : await readL2(this.#core, key);
    if (entry !== undefined && (entry.expiresAt ?? Number.POSITIVE_INFINITY) > Date.now()) {
      this.#core.hit(key, 'l2', false);
      return entry.negative === true ? undefined : (entry.value as T);
    }
    this.#core.miss(key);
    return undefined;
  }

  async has(key: string): Promise<boolean> {
    return (await this.get(key)) !== undefined;
  }

  async getOrSet<T>(key: string, loader: CacheLoader<T>, options: GetOrSetOptions = {}): Promise<T> {
    this.#assertUsable();
    assertKey(key);
    if (typeof loader !== 'function') throw cacheError('invalid-argument', 'getOrSet needs a loader function');
    validateSetOptions(options);
    throwIfAborted(options.signal, 'cache getOrSet');
    const item = readL1(this.#core, key);
    if (item instanceof L1Record) {
      const now = Date.now();
      if (item.freshUntil > now) {
        this.#core.hit(key, 'l1', false);
        return item.negative ? rethrow(item.value) : (item.value as T);
      }
      if (!item.negative && item.staleUntil > now) {
        this.#core.hit(key, 'l1', true);
        refreshInBackground(this.#core, key, loader, options);
        return item.value as T;
      }
    } else if (item !== undefined) {
      this.#core.hit(key, 'l1', false);
      return item as T;
    }
    return joinLoad(this.#core, key, loader, options) as Promise<T>;
  }

  // ── writes ───────────────────────────────────────────────────────────────────────────────────────────────────

  async set(key: string, value: unknown, options: SetOptions = {}): Promise<void> {
    this.#assertUsable();
    assertKey(key);
    if (value === undefined) {
      throw cacheError('invalid-argument', `cannot store undefined under ${JSON.stringify(key)}; use delete() instead`);
    }
    validateSetOptions(options);
    this.#core.invalidateKey(key);
    const entry = createEntry(this.#core, value, options, false);
    await writeEntry(
      this.#core,
      key,
      entry,
      entry.tags !== undefined && this.#core.tags.active ? this.#core.tags.stamp(entry.tags) : undefined,
    );
  }

  setSync(key: string, value: unknown, options?: SetOptions): void {
    this.#assertUsable();
    if (typeof key !== 'string' || key.length === 0 || key.length > maxKeyLength) assertKey(key);
    if (value === undefined) {
      throw cacheError('invalid-argument', `cannot store undefined under ${JSON.stringify(key)}; use delete() instead`);
    }
    if (this.#core.flights.size !== 0 || this.#core.reads.size !== 0) this.#core.invalidateKey(key);
    const l1 = this.#core.l1;
    if (options === undefined && this.#core.l2 === undefined && l1 !== undefined) {
      // Hot path of an L1-only cache with default options: no entry object, straight into L1.
      const inL1 = l1.putFresh(key, value, this.#core.l1FreshMs, this.#core.l1StaleMs);
      this.#core.counters.sets++;
      if (this.#core.listeningSet) this.#core.events.emit('cache-set', { key, tiers: inL1 ? ['l1'] : [] });
      return;
    }
    if (options !== undefined) validateSetOptions(options);
    const entry = createEntry(this.#core, value, options ?? noOptions, false);
    if (entry.tags !== undefined && this.#core.tags.active) entry.tagVersions = this.#core.tags.stampSync(entry.tags);
    const inL1 = this.#core.storeL1(key, entry);
    this.#core.counters.sets++;
    this.#core.l2?.queue(this.#core.fullKey(key), key, { kind: 'set', entry });
    if (this.#core.listeningSet) this.#core.events.emit('cache-set', { key, tiers: inL1 ? ['l1'] : [] });
  }

  async delete(key: string): Promise<void> {
    this.#assertUsable();
    assertKey(key);
    this.#core.invalidateKey(key);
    this.#core.l1?.delete(key);
    this.#core.counters.deletes++;
    if (this.#core.l2 === undefined) return;
    if (await this.#core.l2.write(this.#core.fullKey(key), key, { kind: 'delete' }))
      await this.#core.publishKeys([key]);
  }

  async invalidateTags(tags: readonly string[]): Promise<void> {
    this.#assertUsable();
    assertTags(tags);
    if (tags.length === 0) return;
    this.#core.dropTagged(tags, 'invalidated');
    this.#core.invalidateAll();
    if (!this.#core.tags.active) return;
    const versions: Record<string, TagVersion> = {};
    await Promise.all(
      tags.map(async (tag) => {
        versions[tag] = await this.#core.tags.invalidate(tag);
      }),
    );
    await this.#core.publish({
      type: 'tags',
      origin: this.#core.instanceId,
      namespace: this.namespace,
      tags: versions,
    });
  }

  async clear(): Promise<void> {
    this.#assertUsable();
    this.#core.l1?.clear();
    this.#core.tags.clear();
    this.#core.invalidateAll();
    const l2 = this.#core.l2;
    if (l2 === undefined) return;
    const clear = l2.driver.clear;
    if (clear === undefined) {
      throw cacheError('unsupported', `the ${l2.driver.name} driver cannot clear; delete keys one by one instead`);
    }
    const prefix = `${this.namespace}:`;
    l2.dropPending(prefix);
    if (await l2.run('clear', () => clear.call(l2.driver, prefix))) {
      await this.#core.publish({ type: 'clear', origin: this.#core.instanceId, namespace: this.namespace });
    }
  }

  // ── observability and lifecycle ──────────────────────────────────────────────────────────────────────────────

  on<Name extends CacheEventName>(name: Name, listener: CacheListener<Name>): () => void {
    const off = this.#core.events.on(name, listener);
    this.#core.refreshListening();
    return () => {
      off();
      this.#core.refreshListening();
    };
  }

  stats(): CacheStats {
    return cacheStats(this.#core.counters, this.#core.l1, this.#core.l2);
  }

  resetStats(): void {
    this.#core.counters = new CacheCounters();
    if (this.#core.l2 !== undefined) {
      this.#core.l2.errors = 0;
      this.#core.l2.skipped = 0;
    }
  }

  async flush(): Promise<void> {
    await this.#core.l2?.flush();
  }

  /** One release for every `dispose()` / `await using` call, also concurrent ones (the driver is disposed once). */
  readonly #release = disposeOnce(async () => {
    await this.flush();
    this.#disposed = true;
    this.#unsubscribe?.();
    this.#core.l1?.clear();
    await this.#core.l2?.driver.dispose?.();
  });

  dispose(): Promise<void> {
    return this.#release();
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.#release();
  }

  #onInvalidation(message: CacheInvalidation): void {
    applyInvalidation(message, {
      instanceId: this.#core.instanceId,
      namespace: this.namespace,
      clearLocal: () => {
        this.#core.l1?.clear();
        this.#core.tags.clear();
      },
      dropKey: (key) => this.#core.l1?.delete(key) === true,
      invalidateKey: (key) => this.#core.invalidateKey(key),
      invalidateAll: () => this.#core.invalidateAll(),
      rememberTag: (tag, version) => this.#core.tags.remember(tag, version),
      dropTagged: (tags, reason) => this.#core.dropTagged(tags, reason),
      evicted: (key, reason) => this.#core.evicted(key, reason),
    });
  }

  #assertUsable(): void {
    if (this.#disposed) throw cacheError('disposed', `cache "${this.namespace}" was disposed; create a new one`);
  }
}
