import { AgenticGenError, createEventBus, disposeOnce, raceWithSignal, throwIfAborted } from '@agenticgen/core';
import type QuickLRU from 'quick-lru';
import type { CacheDriver, CacheEntry, CacheInvalidation, TagVersion } from '../drivers/driver.js';
import { cacheError, toCacheError } from '../errors.js';
import { assertKey, assertTags, maxKeyLength } from '../validation.js';
import { isFresh, rethrow, serializeError, validateSetOptions } from './cache-helpers.js';
import { createL2Tier, resolveCacheOptions, tagVersionSource } from './cache-options.js';
import { CacheCounters, cacheStats } from './cache-stats.js';
import type { CacheLoader, CacheOptions, CacheStats, GetOrSetOptions, SetOptions, TieredCache } from './cache-types.js';
import type { CacheEventName, CacheEvents, CacheListener, EvictionReason } from './events.js';
import { applyInvalidation, type L2ReadMarker, L2ReadMarkers } from './invalidation.js';
import { L1Record, L1Store } from './l1-store.js';
import type { L2Tier } from './l2-tier.js';
import { type Flight, SingleFlight } from './single-flight.js';
import { TagVersions } from './tag-versions.js';

export function createCache(options: CacheOptions = {}): TieredCache {
  return new TieredCacheImplementation(options);
}

const noOptions: SetOptions = Object.freeze({});

class TieredCacheImplementation implements TieredCache {
  readonly namespace: string;
  readonly #instanceId = Math.random().toString(36).slice(2) + Date.now().toString(36);
  readonly #l1: L1Store | undefined;
  #lru: QuickLRU<string, unknown> | undefined;
  readonly #l1TtlMs: number;
  readonly #l2: L2Tier | undefined;
  readonly #ttlMs: number;
  readonly #staleMs: number;
  readonly #negativeTtlMs: number | undefined;
  /** Core's event bus: a throwing listener is reported as its `error` event and never reaches the cache's caller. */
  readonly #events = createEventBus<CacheEvents>();
  readonly #flights = new SingleFlight();
  readonly #reads = new L2ReadMarkers();
  readonly #tags: TagVersions;
  readonly #unsubscribe: (() => void) | undefined;
  #listeningHit = false;
  #listeningMiss = false;
  #listeningSet = false;
  /** Default freshness and stale window of an L1 record written with default options (TTL capped by l1.ttlMs). */
  readonly #l1FreshMs: number;
  readonly #l1StaleMs: number;
  #disposed = false;
  #counters = new CacheCounters();

  constructor(options: CacheOptions) {
    const resolved = resolveCacheOptions(options);
    this.namespace = resolved.namespace;
    this.#ttlMs = resolved.ttlMs;
    this.#staleMs = resolved.staleMs;
    this.#negativeTtlMs = resolved.negativeTtlMs;
    this.#l1TtlMs = resolved.l1TtlMs;
    if (resolved.l1 !== undefined) {
      this.#l1 = new L1Store({
        ...resolved.l1,
        ttlMs: resolved.l1TtlMs,
        sizeOf: resolved.sizeOf,
        onEvict: (key, reason) => this.#evicted(key, reason),
      });
      this.#lru = this.#l1.lru;
    }
    this.#l1FreshMs = Math.min(this.#ttlMs, this.#l1TtlMs);
    this.#l1StaleMs = this.#l1TtlMs < this.#ttlMs ? 0 : this.#staleMs;
    const l2 = options.l2 === undefined ? undefined : this.#createL2(options.l2, options);
    this.#l2 = l2;
    this.#tags = new TagVersions(
      l2 === undefined ? undefined : tagVersionSource(l2, (tag) => `${this.namespace}:t:${tag}`),
      this.#l1TtlMs,
    );
    this.#unsubscribe = options.l2?.subscribe?.((message) => this.#onInvalidation(message));
  }

  // ── reads ────────────────────────────────────────────────────────────────────────────────────────────────────

  getSync<T = unknown>(key: string): T | undefined {
    const item = this.#lru?.get(key);
    if (item !== undefined) {
      // Bare values are fresh by construction: quick-lru drops them at their expiry.
      const value = item instanceof L1Record ? (isFresh(item) ? item.value : undefined) : item;
      if (value !== undefined) {
        this.#counters.l1Hits++;
        this.#counters.hits++;
        if (this.#listeningHit) this.#events.emit('cache-hit', { key, tier: 'l1', stale: false });
        return value as T;
      }
    } else if (typeof key !== 'string') assertKey(key);
    if (this.#l1 !== undefined) this.#counters.l1Misses++;
    this.#counters.misses++;
    return undefined;
  }

  peek<T = unknown>(key: string): T | undefined {
    const item = this.#lru?.peek(key);
    if (item === undefined || (item instanceof L1Record && !isFresh(item))) return undefined;
    return (item instanceof L1Record ? item.value : item) as T;
  }

  async get<T = unknown>(key: string): Promise<T | undefined> {
    this.#assertUsable();
    assertKey(key);
    const item = this.#readL1(key);
    if (item !== undefined && (!(item instanceof L1Record) || item.freshUntil > Date.now())) {
      this.#hit(key, 'l1', false);
      if (!(item instanceof L1Record)) return item as T;
      return item.negative ? undefined : (item.value as T);
    }
    if (this.#l1 !== undefined) this.#counters.l1Misses++;
    // An L1-only cache answers a miss without awaiting anything.
    const entry = this.#l2 === undefined ? undefined : await this.#readL2(key);
    if (entry !== undefined && (entry.expiresAt ?? Number.POSITIVE_INFINITY) > Date.now()) {
      this.#hit(key, 'l2', false);
      return entry.negative === true ? undefined : (entry.value as T);
    }
    this.#miss(key);
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
    const item = this.#readL1(key);
    if (item instanceof L1Record) {
      const now = Date.now();
      if (item.freshUntil > now) {
        this.#hit(key, 'l1', false);
        return item.negative ? rethrow(item.value) : (item.value as T);
      }
      if (!item.negative && item.staleUntil > now) {
        this.#hit(key, 'l1', true);
        this.#refreshInBackground(key, loader, options);
        return item.value as T;
      }
    } else if (item !== undefined) {
      this.#hit(key, 'l1', false);
      return item as T;
    }
    return this.#join(key, loader, options) as Promise<T>;
  }

  // ── writes ───────────────────────────────────────────────────────────────────────────────────────────────────

  async set(key: string, value: unknown, options: SetOptions = {}): Promise<void> {
    this.#assertUsable();
    assertKey(key);
    if (value === undefined) {
      throw cacheError('invalid-argument', `cannot store undefined under ${JSON.stringify(key)}; use delete() instead`);
    }
    validateSetOptions(options);
    this.#invalidateKey(key);
    const entry = this.#entry(value, options, false);
    await this.#write(
      key,
      entry,
      entry.tags !== undefined && this.#tags.active ? this.#tags.stamp(entry.tags) : undefined,
    );
  }

  setSync(key: string, value: unknown, options?: SetOptions): void {
    this.#assertUsable();
    if (typeof key !== 'string' || key.length === 0 || key.length > maxKeyLength) assertKey(key);
    if (value === undefined) {
      throw cacheError('invalid-argument', `cannot store undefined under ${JSON.stringify(key)}; use delete() instead`);
    }
    if (this.#flights.size !== 0 || this.#reads.size !== 0) this.#invalidateKey(key);
    const l1 = this.#l1;
    if (options === undefined && this.#l2 === undefined && l1 !== undefined) {
      // Hot path of an L1-only cache with default options: no entry object, straight into L1.
      const now = Date.now();
      const freshUntil = now + this.#l1FreshMs;
      const inL1 = l1.put(key, value, now, now, freshUntil, freshUntil + this.#l1StaleMs, undefined, false);
      this.#counters.sets++;
      if (this.#listeningSet) this.#events.emit('cache-set', { key, tiers: inL1 ? ['l1'] : [] });
      return;
    }
    if (options !== undefined) validateSetOptions(options);
    const entry = this.#entry(value, options ?? noOptions, false);
    if (entry.tags !== undefined && this.#tags.active) entry.tagVersions = this.#tags.stampSync(entry.tags);
    const inL1 = this.#storeL1(key, entry);
    this.#counters.sets++;
    this.#l2?.queue(this.#fullKey(key), key, { kind: 'set', entry });
    if (this.#listeningSet) this.#events.emit('cache-set', { key, tiers: inL1 ? ['l1'] : [] });
  }

  async delete(key: string): Promise<void> {
    this.#assertUsable();
    assertKey(key);
    this.#invalidateKey(key);
    this.#l1?.delete(key);
    this.#counters.deletes++;
    if (this.#l2 === undefined) return;
    if (await this.#l2.write(this.#fullKey(key), key, { kind: 'delete' })) await this.#publishKeys([key]);
  }

  async invalidateTags(tags: readonly string[]): Promise<void> {
    this.#assertUsable();
    assertTags(tags);
    if (tags.length === 0) return;
    this.#dropTagged(tags, 'invalidated');
    this.#invalidateAll();
    if (!this.#tags.active) return;
    const versions: Record<string, TagVersion> = {};
    await Promise.all(
      tags.map(async (tag) => {
        versions[tag] = await this.#tags.invalidate(tag);
      }),
    );
    await this.#publish({ type: 'tags', origin: this.#instanceId, namespace: this.namespace, tags: versions });
  }

  async clear(): Promise<void> {
    this.#assertUsable();
    this.#l1?.clear();
    this.#tags.clear();
    this.#invalidateAll();
    const l2 = this.#l2;
    if (l2 === undefined) return;
    const clear = l2.driver.clear;
    if (clear === undefined) {
      throw cacheError('unsupported', `the ${l2.driver.name} driver cannot clear; delete keys one by one instead`);
    }
    const prefix = `${this.namespace}:`;
    l2.dropPending(prefix);
    if (await l2.run('clear', () => clear.call(l2.driver, prefix))) {
      await this.#publish({ type: 'clear', origin: this.#instanceId, namespace: this.namespace });
    }
  }

  // ── observability and lifecycle ──────────────────────────────────────────────────────────────────────────────

  on<Name extends CacheEventName>(name: Name, listener: CacheListener<Name>): () => void {
    const off = this.#events.on(name, listener);
    this.#refreshListening();
    return () => {
      off();
      this.#refreshListening();
    };
  }

  stats(): CacheStats {
    return cacheStats(this.#counters, this.#l1, this.#l2);
  }

  resetStats(): void {
    this.#counters = new CacheCounters();
    if (this.#l2 !== undefined) {
      this.#l2.errors = 0;
      this.#l2.skipped = 0;
    }
  }

  async flush(): Promise<void> {
    await this.#l2?.flush();
  }

  /** One release for every `dispose()` / `await using` call, also concurrent ones (the driver is disposed once). */
  readonly #release = disposeOnce(async () => {
    await this.flush();
    this.#disposed = true;
    this.#unsubscribe?.();
    this.#l1?.clear();
    await this.#l2?.driver.dispose?.();
  });

  dispose(): Promise<void> {
    return this.#release();
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.#release();
  }

  // ── internals ────────────────────────────────────────────────────────────────────────────────────────────────

  #createL2(driver: CacheDriver, options: CacheOptions): L2Tier {
    return createL2Tier(
      driver,
      options,
      (event) => this.#events.emit('cache-error', event),
      (keys) => this.#publishKeys(keys),
    );
  }

  #fullKey(key: string): string {
    return `${this.namespace}:k:${key}`;
  }

  /**
   * The L1 item if usable at all: a bare value (always fresh: quick-lru drops it at expiry) or a record that is
   * fresh or within its stale window. `undefined` is a miss (values are never `undefined`).
   */
  #readL1(key: string): unknown {
    const item = this.#lru?.get(key);
    if (item === undefined || !(item instanceof L1Record)) return item;
    if (item.staleUntil > Date.now()) return item;
    if (this.#l1?.delete(key) === true) this.#evicted(key, 'expired');
    return undefined;
  }

  /** Reads L2, checks tags and promotes the entry into L1 with its remaining TTL. */
  async #readL2(key: string): Promise<CacheEntry | undefined> {
    const l2 = this.#l2;
    if (l2 === undefined) return undefined;
    const marker = this.#startL2Read(key);
    let entry: CacheEntry | undefined;
    try {
      entry = await l2.read(this.#fullKey(key), key);
      // Untagged entries skip the (async) tag check: no extra microtask on the common path.
      if (entry?.tags !== undefined && !(await this.#tags.isCurrent(entry))) entry = undefined;
    } finally {
      this.#endL2Read(key, marker);
    }
    return this.#finishL2Read(key, marker, entry) ? entry : undefined;
  }

  /**
   * Registers an L2 read of `key` so a write racing it can stop its (older) result from being promoted. Without
   * an L1 nothing is promoted, so nothing is registered.
   */
  #startL2Read(key: string): L2ReadMarker | undefined {
    return this.#l1 === undefined ? undefined : this.#reads.start(key);
  }

  #endL2Read(key: string, marker: L2ReadMarker | undefined): void {
    if (marker !== undefined) this.#reads.end(key, marker);
  }

  /** Counts the L2 result and promotes a hit into L1 with its remaining TTL; true for a hit. */
  #finishL2Read(key: string, marker: L2ReadMarker | undefined, entry: CacheEntry | undefined): boolean {
    if (entry === undefined) {
      this.#counters.l2Misses++;
      return false;
    }
    this.#counters.l2Hits++;
    // A write that raced this read wins: the older L2 copy is not promoted over it.
    if (marker !== undefined && !marker.invalidated) this.#storeL1(key, entry);
    return true;
  }

  /** Waits for the key's load, joining one in progress or starting it. */
  #join(key: string, loader: CacheLoader<unknown>, options: GetOrSetOptions): Promise<unknown> {
    return this.#flights.join(options.signal, () => this.#load(key, loader, options, false));
  }

  #load(key: string, loader: CacheLoader<unknown>, options: GetOrSetOptions, refreshing: boolean): Flight {
    let refreshAfter = false;
    const run = async (flight: Flight) => {
      if (!refreshing && this.#l1 !== undefined) this.#counters.l1Misses++;
      const entry = await this.#readL2(key);
      if (entry !== undefined) {
        const fresh = (entry.expiresAt ?? Number.POSITIVE_INFINITY) > Date.now();
        if (fresh || (!refreshing && entry.negative !== true)) {
          this.#hit(key, 'l2', !fresh, !refreshing);
          refreshAfter = !fresh;
          return entry.negative === true ? rethrow(entry.value) : entry.value;
        }
      }
      if (!refreshing) this.#miss(key);
      return await this.#runLoader(key, loader, options, flight, refreshing);
    };
    // The next load of the key starts once this one has left the table.
    return this.#flights.start(key, options.signal, run, () => {
      if (refreshAfter) this.#refreshInBackground(key, loader, options);
    });
  }

  #refreshInBackground(key: string, loader: CacheLoader<unknown>, options: GetOrSetOptions): void {
    if (this.#flights.has(key)) return;
    // A background refresh outlives the request that triggered it: no caller's signal cancels it.
    const { signal: _signal, ...refreshOptions } = options;
    this.#load(key, loader, refreshOptions, true).promise.catch((error: unknown) => {
      this.#events.emit('cache-error', {
        key,
        tier: 'loader',
        operation: 'refresh',
        error: AgenticGenError.isInstance(error)
          ? error
          : cacheError(
              'cache-loader-failed',
              `background refresh of ${JSON.stringify(key)} failed; the stale value stays`,
              {
                cause: error,
              },
            ),
      });
    });
  }

  async #runLoader(
    key: string,
    loader: CacheLoader<unknown>,
    options: GetOrSetOptions,
    flight: Flight,
    refreshing: boolean,
  ) {
    this.#counters.loaderCalls++;
    // Tag versions from before the loader reads its source: an invalidation during the load makes the result stale.
    const tags = options.tags !== undefined && options.tags.length > 0 && this.#tags.active ? options.tags : undefined;
    const versions = tags === undefined ? undefined : await this.#tags.stamp(tags);
    let value: unknown;
    try {
      value = await loader(flight.signal === undefined ? {} : { signal: flight.signal });
    } catch (error) {
      this.#counters.loaderErrors++;
      const negativeTtlMs = options.negativeTtlMs ?? this.#negativeTtlMs;
      // A failed background refresh keeps serving the stale value (stale-if-error) instead of caching the failure;
      // a cancelled load says nothing about the source, so it is not remembered either.
      if (negativeTtlMs !== undefined && !flight.invalidated && !refreshing && flight.signal?.aborted !== true) {
        try {
          await this.#write(
            key,
            this.#entry(serializeError(error), { ...options, ttlMs: negativeTtlMs }, true),
            versions,
          );
        } catch (writeError) {
          // The caller must see the loader's error, not a failure to cache it.
          this.#events.emit('cache-error', {
            key,
            tier: 'l1',
            operation: 'negative-set',
            error: toCacheError(writeError, 'negative caching'),
          });
        }
      }
      throw error;
    }
    if (value !== undefined && !flight.invalidated)
      await this.#write(key, this.#entry(value, options, false), versions);
    return value;
  }

  #entry(value: unknown, options: SetOptions, negative: boolean): CacheEntry {
    const now = Date.now();
    const ttlMs = options.ttlMs ?? this.#ttlMs;
    const entry: CacheEntry = { value, createdAt: now };
    if (ttlMs !== Number.POSITIVE_INFINITY) {
      entry.expiresAt = now + ttlMs;
      const staleMs = negative ? 0 : (options.staleWhileRevalidateMs ?? this.#staleMs);
      if (staleMs > 0) entry.staleUntil = entry.expiresAt + staleMs;
    }
    if (options.tags !== undefined && options.tags.length > 0) entry.tags = [...options.tags];
    if (negative) entry.negative = true;
    return entry;
  }

  async #write(
    key: string,
    entry: CacheEntry,
    tagVersions?: readonly TagVersion[] | Promise<readonly TagVersion[]>,
  ): Promise<void> {
    const inL1 = this.#storeL1(key, entry);
    this.#counters.sets++;
    const l2 = this.#l2;
    let inL2 = false;
    if (l2 !== undefined) {
      if (tagVersions !== undefined) entry.tagVersions = await tagVersions;
      try {
        inL2 = await l2.write(this.#fullKey(key), key, { kind: 'set', entry });
      } catch (error) {
        this.#l1?.delete(key); // the value cannot be stored at all; do not keep a copy only this process sees
        throw error;
      }
      if (inL2) await this.#publishKeys([key]);
    }
    if (this.#listeningSet) {
      const tiers: ('l1' | 'l2')[] = [];
      if (inL1) tiers.push('l1');
      if (inL2) tiers.push('l2');
      this.#events.emit('cache-set', { key, tiers });
    }
  }

  #storeL1(key: string, entry: CacheEntry): boolean {
    return this.#l1?.store(key, entry) ?? false;
  }

  /** A write to `key` happened: loads and L2 reads in progress must not cache or promote their older result. */
  #invalidateKey(key: string): void {
    this.#flights.invalidate(key);
    this.#reads.invalidate(key);
  }

  #invalidateAll(): void {
    this.#flights.invalidateAll();
    this.#reads.invalidateAll();
  }

  /** Drops L1 copies carrying any of `tags` (an L1 copy keeps no versions: a later write is simply re-read). */
  #dropTagged(tags: readonly string[], reason: EvictionReason): void {
    this.#l1?.deleteWhere((record) => record.tags?.some((tag) => tags.includes(tag)) === true, reason);
  }

  async #publishKeys(keys: string[]): Promise<void> {
    await this.#publish({ type: 'keys', origin: this.#instanceId, namespace: this.namespace, keys });
  }

  async #publish(message: CacheInvalidation): Promise<void> {
    const l2 = this.#l2;
    const publish = l2?.driver.publish;
    if (l2 === undefined || publish === undefined) return;
    await l2.run('publish', () => publish.call(l2.driver, message));
  }

  #onInvalidation(message: CacheInvalidation): void {
    applyInvalidation(message, {
      instanceId: this.#instanceId,
      namespace: this.namespace,
      clearLocal: () => {
        this.#l1?.clear();
        this.#tags.clear();
      },
      dropKey: (key) => this.#l1?.delete(key) === true,
      invalidateKey: (key) => this.#invalidateKey(key),
      invalidateAll: () => this.#invalidateAll(),
      rememberTag: (tag, version) => this.#tags.remember(tag, version),
      dropTagged: (tags, reason) => this.#dropTagged(tags, reason),
      evicted: (key, reason) => this.#evicted(key, reason),
    });
  }

  /** A read answered by `tier`; `counted` is false for a background refresh, which no caller asked for. */
  #hit(key: string, tier: 'l1' | 'l2', stale: boolean, counted = true): void {
    if (counted) {
      if (tier === 'l1') this.#counters.l1Hits++;
      this.#counters.hits++;
    }
    if (this.#listeningHit) this.#events.emit('cache-hit', { key, tier, stale });
  }

  /** A caller's read that neither tier answered (the L1 miss is counted where L1 was consulted). */
  #miss(key: string): void {
    this.#counters.misses++;
    if (this.#listeningMiss) this.#events.emit('cache-miss', { key });
  }

  #evicted(key: string, reason: EvictionReason): void {
    this.#counters.evictions++;
    this.#events.emit('cache-evict', { key, reason });
  }

  #refreshListening(): void {
    this.#listeningHit = this.#events.hasListeners('cache-hit');
    this.#listeningMiss = this.#events.hasListeners('cache-miss');
    this.#listeningSet = this.#events.hasListeners('cache-set');
    if (this.#l1 !== undefined && this.#events.hasListeners('cache-evict') && this.#l1.trackEvictions()) {
      this.#lru = this.#l1.lru;
    }
  }

  #assertUsable(): void {
    if (this.#disposed) throw cacheError('disposed', `cache "${this.namespace}" was disposed; create a new one`);
  }
}
