import { AgenticGenError, createEventBus, disposeOnce, raceWithSignal, throwIfAborted } from '@agenticgen/core';
import type QuickLRU from 'quick-lru';
import type { CacheDriver, CacheEntry, CacheInvalidation, TagVersion } from '../drivers/driver.js';
import { cacheError, toCacheError } from '../errors.js';
import {
  assertDuration,
  assertKey,
  assertNamespace,
  assertPositiveInteger,
  assertTags,
  assertTtl,
  maxKeyLength,
} from '../validation.js';
import { emptyCounters, isFresh, ratio, rethrow, serializeError, validateSetOptions } from './cache-helpers.js';
import type { CacheLoader, CacheOptions, CacheStats, GetOrSetOptions, SetOptions, TieredCache } from './cache-types.js';
import type { CacheEventName, CacheEvents, CacheListener, EvictionReason } from './events.js';
import { L1Record, L1Store } from './l1-store.js';
import { failed, L2Tier } from './l2-tier.js';
import { sizeOf as defaultSizeOf } from './size-of.js';
import { TagVersions } from './tag-versions.js';

interface L2ReadMarker {
  /** Set by a write of the key while the read runs: its result must not be promoted into L1. */
  invalidated: boolean;
  /** Reads of the key in progress sharing this marker. */
  readers: number;
}

interface Flight {
  promise: Promise<unknown>;
  /** Set by a set/delete/invalidation of the key while the flight runs: its result must not be cached. */
  invalidated: boolean;
  /** The signal of the caller that started the load (handed to the loader). */
  signal: AbortSignal | undefined;
}

export function createCache(options: CacheOptions = {}): TieredCache {
  return new TieredCacheImplementation(options);
}

const oneHour = 3_600_000;
const noOptions: SetOptions = Object.freeze({});

class TieredCacheImplementation implements TieredCache {
  readonly namespace: string;
  readonly #instanceId = Math.random().toString(36).slice(2) + Date.now().toString(36);
  readonly #l1: L1Store | undefined;
  #lru: QuickLRU<string, unknown> | undefined;
  readonly #l1TtlMs: number;
  readonly #sizeOf: ((value: unknown) => number) | undefined;
  readonly #l2: L2Tier | undefined;
  readonly #ttlMs: number;
  readonly #staleMs: number;
  readonly #negativeTtlMs: number | undefined;
  /** Core's event bus: a throwing listener is reported as its `error` event and never reaches the cache's caller. */
  readonly #events = createEventBus<CacheEvents>();
  readonly #flights = new Map<string, Flight>();
  /** L2 reads in progress per key; a write marks them so their (older) result is not promoted into L1. */
  readonly #reads = new Map<string, L2ReadMarker>();
  readonly #tags: TagVersions;
  readonly #unsubscribe: (() => void) | undefined;
  #listeningHit = false;
  #listeningMiss = false;
  #listeningSet = false;
  /** Default freshness and stale window of an L1 record written with default options (TTL capped by l1.ttlMs). */
  readonly #l1FreshMs: number;
  readonly #l1StaleMs: number;
  #disposed = false;
  #counters = emptyCounters();

  constructor(options: CacheOptions) {
    if (typeof options !== 'object' || options === null) {
      throw cacheError(
        'invalid-config',
        'createCache takes an options object, e.g. createCache({ l1: { max: 1000 } })',
      );
    }
    const driver = options.l2;
    if (
      driver !== undefined &&
      ['get', 'set', 'delete'].some((method) => typeof Reflect.get(driver, method) !== 'function')
    ) {
      throw cacheError(
        'invalid-config',
        'l2 must be a cache driver with get, set and delete (e.g. createMemoryDriver())',
      );
    }
    this.namespace = options.namespace ?? 'default';
    assertNamespace(this.namespace);
    this.#ttlMs = options.ttlMs ?? oneHour;
    assertTtl(this.#ttlMs, 'ttlMs');
    this.#staleMs = options.staleWhileRevalidateMs ?? 0;
    assertDuration(this.#staleMs, 'staleWhileRevalidateMs');
    if (options.negativeTtlMs !== undefined) assertTtl(options.negativeTtlMs, 'negativeTtlMs');
    this.#negativeTtlMs = options.negativeTtlMs;
    const l1 = options.l1 ?? {};
    if (l1 !== false) {
      const max = l1.max ?? 1000;
      assertPositiveInteger(max, 'l1.max');
      if (l1.maxBytes !== undefined) assertPositiveInteger(l1.maxBytes, 'l1.maxBytes');
      if (l1.ttlMs !== undefined) assertTtl(l1.ttlMs, 'l1.ttlMs');
      this.#l1TtlMs = l1.ttlMs ?? Number.POSITIVE_INFINITY;
      this.#sizeOf = l1.maxBytes === undefined ? undefined : (l1.sizeOf ?? defaultSizeOf);
      this.#l1 = new L1Store({
        max,
        maxBytes: l1.maxBytes,
        onEvict: (key, reason) => this.#evicted(key, reason),
      });
      this.#lru = this.#l1.lru;
    } else {
      this.#l1TtlMs = 0;
      this.#sizeOf = undefined;
    }
    this.#l1FreshMs = Math.min(this.#ttlMs, this.#l1TtlMs);
    this.#l1StaleMs = this.#l1TtlMs < this.#ttlMs ? 0 : this.#staleMs;
    if (options.l2 !== undefined) this.#l2 = this.#createL2(options.l2, options);
    const l2 = this.#l2;
    this.#tags = new TagVersions(l2 === undefined ? undefined : this.#tagVersionSource(l2), this.#l1TtlMs);
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
        if (this.#listeningHit) this.#events.emit('cache-hit', { key, tier: 'l1', stale: false });
        return value as T;
      }
    } else if (typeof key !== 'string') assertKey(key);
    this.#counters.l1Misses++;
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
    const l2 = this.#l2;
    if (l2 !== undefined) {
      // #readL2 inlined: the L1-miss path awaits the tier's read directly, one promise layer less per read.
      const marker = this.#startL2Read(key);
      let entry: CacheEntry | undefined;
      try {
        entry = await l2.read(this.#fullKey(key), key);
        if (entry?.tags !== undefined && !(await this.#tags.isCurrent(entry))) entry = undefined;
      } finally {
        this.#endL2Read(key, marker);
      }
      if (this.#finishL2Read(key, marker, entry) && entry !== undefined) {
        if ((entry.expiresAt ?? Number.POSITIVE_INFINITY) > Date.now()) {
          this.#hit(key, 'l2', false);
          return entry.negative === true ? undefined : (entry.value as T);
        }
      }
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
      // Hot path of an L1-only cache with default options: the bare value goes to quick-lru with its max age.
      let inL1: boolean;
      if (this.#sizeOf === undefined && this.#l1StaleMs === 0) {
        inL1 = l1.set(key, value, this.#l1FreshMs);
      } else {
        const now = Date.now();
        const freshUntil = now + this.#l1FreshMs;
        const size = this.#sizeOf === undefined ? 0 : key.length * 2 + this.#sizeOf(value);
        const staleUntil = freshUntil + this.#l1StaleMs;
        const record = new L1Record(value, now, freshUntil, staleUntil, undefined, false, size);
        inL1 = l1.set(key, record, staleUntil - now);
      }
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
    const c = this.#counters;
    const reads = c.l1Hits + c.l1Misses;
    const l2Reads = c.l2Hits + c.l2Misses;
    return {
      l1: {
        hits: c.l1Hits,
        misses: c.l1Misses,
        hitRatio: ratio(c.l1Hits, reads),
        entries: this.#lru?.size ?? 0,
        bytes: this.#l1?.bytes ?? 0,
        evictions: c.evictions,
      },
      l2: {
        hits: c.l2Hits,
        misses: c.l2Misses,
        hitRatio: ratio(c.l2Hits, l2Reads),
        errors: this.#l2?.errors ?? 0,
        skipped: this.#l2?.skipped ?? 0,
      },
      loader: { calls: c.loaderCalls, errors: c.loaderErrors },
      hitRatio: ratio(c.l1Hits + c.l2Hits, reads),
      sets: c.sets,
      deletes: c.deletes,
    };
  }

  resetStats(): void {
    this.#counters = emptyCounters();
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
    const timeoutMs = options.l2TimeoutMs ?? 500;
    assertTtl(timeoutMs, 'l2TimeoutMs');
    const circuit = options.l2Circuit === false ? { failureThreshold: 0 } : (options.l2Circuit ?? {});
    const writeMode = options.writeMode ?? 'write-through';
    if (writeMode !== 'write-through' && writeMode !== 'write-behind') {
      throw cacheError(
        'invalid-config',
        `writeMode must be "write-through" or "write-behind", got ${String(writeMode)}`,
      );
    }
    return new L2Tier({
      driver,
      timeoutMs,
      failureThreshold: circuit.failureThreshold ?? 5,
      retryAfterMs: 'retryAfterMs' in circuit ? (circuit.retryAfterMs ?? 1000) : 1000,
      writeBehind: writeMode === 'write-behind',
      onError: (event) => this.#events.emit('cache-error', event),
      onBatchWritten: (keys) => this.#publishKeys(keys),
    });
  }

  #fullKey(key: string): string {
    return `${this.namespace}:k:${key}`;
  }

  #tagKey(tag: string): string {
    return `${this.namespace}:t:${tag}`;
  }

  /** Tag versions in L2: the driver's atomic counters, else a record holding a random token per invalidation. */
  #tagVersionSource(l2: L2Tier): ConstructorParameters<typeof TagVersions>[0] {
    const { increment, readCounter } = l2.driver;
    if (increment !== undefined && readCounter !== undefined) {
      return {
        read: async (tag) => {
          const version = await l2.attempt('read-tag', () => readCounter.call(l2.driver, this.#tagKey(tag)), tag);
          return version === failed ? undefined : version;
        },
        bump: async (tag) => {
          const version = await l2.attempt('invalidate-tag', () => increment.call(l2.driver, this.#tagKey(tag)), tag);
          return version === failed ? undefined : version;
        },
      };
    }
    return {
      read: async (tag) => {
        // Straight to the driver (markers are written through, never queued): a failure must stay distinguishable
        // from an absent marker, which means version 0.
        const marker = await l2.attempt('read-tag', () => l2.driver.get(this.#tagKey(tag)), tag);
        if (marker === failed) return undefined;
        const version = marker?.value ?? 0;
        return typeof version === 'number' || typeof version === 'string' ? version : undefined;
      },
      bump: async (tag) => {
        const token = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
        // The marker outlives every entry it judges: it has no expiry (a few bytes per tag).
        const entry: CacheEntry = { value: token, createdAt: Date.now() };
        return (await l2.writeThrough(this.#tagKey(tag), tag, { kind: 'set', entry })) ? token : undefined;
      },
    };
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
    if (this.#l1 === undefined) return undefined;
    let marker = this.#reads.get(key);
    if (marker === undefined) {
      marker = { invalidated: false, readers: 0 };
      this.#reads.set(key, marker);
    }
    marker.readers++;
    return marker;
  }

  #endL2Read(key: string, marker: L2ReadMarker | undefined): void {
    if (marker === undefined) return;
    marker.readers--;
    if (marker.readers === 0 && this.#reads.get(key) === marker) this.#reads.delete(key);
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

  /**
   * Waits for the key's load (joining one in progress or starting it). The caller's signal ends only its own wait;
   * when the caller that started the load cancels it, the others did not ask for that and join one new load.
   */
  async #join(key: string, loader: CacheLoader<unknown>, options: GetOrSetOptions): Promise<unknown> {
    const signal = options.signal;
    for (;;) {
      const flight = this.#load(key, loader, options, false);
      try {
        return await (signal === undefined ? flight.promise : raceWithSignal(flight.promise, signal, 'cache getOrSet'));
      } catch (error) {
        // Ends: each retry follows a load whose starter aborted, and a starter that aborted never starts another.
        if (flight.signal?.aborted !== true || flight.signal === signal || signal?.aborted === true) throw error;
      }
    }
  }

  #load(key: string, loader: CacheLoader<unknown>, options: GetOrSetOptions, refreshing: boolean): Flight {
    const existing = this.#flights.get(key);
    if (existing !== undefined) return existing;
    const flight: Flight = { promise: Promise.resolve(), invalidated: false, signal: options.signal };
    let refreshAfter = false;
    flight.promise = (async () => {
      try {
        const entry = await this.#readL2(key);
        if (entry !== undefined) {
          const now = Date.now();
          const fresh = (entry.expiresAt ?? Number.POSITIVE_INFINITY) > now;
          if (fresh || (!refreshing && entry.negative !== true)) {
            this.#hit(key, 'l2', !fresh);
            refreshAfter = !fresh;
            return entry.negative === true ? rethrow(entry.value) : entry.value;
          }
        }
        if (!refreshing) this.#miss(key);
        return await this.#runLoader(key, loader, options, flight, refreshing);
      } finally {
        if (this.#flights.get(key) === flight) this.#flights.delete(key);
        if (refreshAfter) this.#refreshInBackground(key, loader, options);
      }
    })();
    this.#flights.set(key, flight);
    return flight;
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
    const l1 = this.#l1;
    if (l1 === undefined) return false;
    const now = Date.now();
    const expiresAt = entry.expiresAt ?? Number.POSITIVE_INFINITY;
    const freshUntil = Math.min(expiresAt, now + this.#l1TtlMs);
    // A copy capped by l1.ttlMs gets no stale window: past the cap L1 must ask L2 again, not serve on.
    const staleUntil = freshUntil === expiresAt ? Math.max(freshUntil, entry.staleUntil ?? freshUntil) : freshUntil;
    const negative = entry.negative === true;
    const plain = this.#sizeOf === undefined && !negative && entry.tags === undefined && staleUntil === freshUntil;
    if (plain) return l1.set(key, entry.value, freshUntil - now);
    const size = this.#sizeOf === undefined ? 0 : key.length * 2 + this.#sizeOf(entry.value);
    const record = new L1Record(entry.value, entry.createdAt, freshUntil, staleUntil, entry.tags, negative, size);
    return l1.set(key, record, staleUntil - now);
  }

  /** A write to `key` happened: loads and L2 reads in progress must not cache or promote their older result. */
  #invalidateKey(key: string): void {
    const flight = this.#flights.get(key);
    if (flight !== undefined) flight.invalidated = true;
    const read = this.#reads.get(key);
    if (read !== undefined) read.invalidated = true;
  }

  #invalidateAll(): void {
    for (const flight of this.#flights.values()) flight.invalidated = true;
    for (const read of this.#reads.values()) read.invalidated = true;
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
    if (message.type === 'resync') {
      // Messages may have been missed while the subscription was down: trust nothing held locally.
      this.#l1?.clear();
      this.#tags.clear();
      return;
    }
    if (message.origin === this.#instanceId || message.namespace !== this.namespace) return;
    if (message.type === 'keys') {
      for (const key of message.keys) {
        this.#invalidateKey(key);
        if (this.#l1?.delete(key) === true) this.#evicted(key, 'remote');
      }
    } else if (message.type === 'tags') {
      for (const [tag, version] of Object.entries(message.tags)) this.#tags.remember(tag, version);
      this.#dropTagged(Object.keys(message.tags), 'remote');
      this.#invalidateAll();
    } else if (message.type === 'clear') {
      this.#l1?.clear();
      this.#tags.clear();
      this.#invalidateAll();
    }
  }

  #hit(key: string, tier: 'l1' | 'l2', stale: boolean): void {
    if (tier === 'l1') this.#counters.l1Hits++;
    else this.#counters.l1Misses++;
    if (this.#listeningHit) this.#events.emit('cache-hit', { key, tier, stale });
  }

  #miss(key: string): void {
    this.#counters.l1Misses++;
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
