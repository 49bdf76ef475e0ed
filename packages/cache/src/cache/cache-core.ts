import { createEventBus } from '@agenticgen/core';
import type QuickLRU from 'quick-lru';
import type { CacheEntry, CacheInvalidation } from '../drivers/driver.js';
import { createL2Tier, resolveCacheOptions, tagVersionSource } from './cache-options.js';
import { CacheCounters } from './cache-stats.js';
import type { CacheOptions } from './cache-types.js';
import type { CacheEvents, EvictionReason } from './events.js';
import { L2ReadMarkers } from './invalidation.js';
import { L1Store } from './l1-store.js';
import type { L2Tier } from './l2-tier.js';
import { SingleFlight } from './single-flight.js';
import { TagVersions } from './tag-versions.js';

/**
 * The state one tiered cache shares between its read path (read-path.ts), its loads (load-path.ts), its writes
 * (write-path.ts) and its public methods (tiered-cache.ts): the tiers, the in-flight tables, the tag versions,
 * and the counters and events every path reports to. Internal: never exported from the package.
 */
export class CacheCore {
  readonly namespace: string;
  readonly instanceId = Math.random().toString(36).slice(2) + Date.now().toString(36);
  readonly l1: L1Store | undefined;
  /** The L1's current map (replaced when eviction tracking turns on), read directly on the hot paths. */
  lru: QuickLRU<string, unknown> | undefined;
  readonly l1TtlMs: number;
  readonly l2: L2Tier | undefined;
  readonly ttlMs: number;
  readonly staleMs: number;
  readonly negativeTtlMs: number | undefined;
  /** Core's event bus: a throwing listener is reported as its `error` event and never reaches the cache's caller. */
  readonly events = createEventBus<CacheEvents>();
  readonly flights = new SingleFlight();
  readonly reads = new L2ReadMarkers();
  readonly tags: TagVersions;
  listeningHit = false;
  listeningMiss = false;
  listeningSet = false;
  /** Default freshness and stale window of an L1 record written with default options (TTL capped by l1.ttlMs). */
  readonly l1FreshMs: number;
  readonly l1StaleMs: number;
  counters = new CacheCounters();

  constructor(options: CacheOptions) {
    const resolved = resolveCacheOptions(options);
    this.namespace = resolved.namespace;
    this.ttlMs = resolved.ttlMs;
    this.staleMs = resolved.staleMs;
    this.negativeTtlMs = resolved.negativeTtlMs;
    this.l1TtlMs = resolved.l1TtlMs;
    if (resolved.l1 !== undefined) {
      this.l1 = new L1Store({
        ...resolved.l1,
        ttlMs: resolved.l1TtlMs,
        sizeOf: resolved.sizeOf,
        onEvict: (key, reason) => this.evicted(key, reason),
      });
      this.lru = this.l1.lru;
    }
    this.l1FreshMs = Math.min(this.ttlMs, this.l1TtlMs);
    this.l1StaleMs = this.l1TtlMs < this.ttlMs ? 0 : this.staleMs;
    const l2 =
      options.l2 === undefined
        ? undefined
        : createL2Tier(
            options.l2,
            options,
            (event) => this.events.emit('cache-error', event),
            (keys) => this.publishKeys(keys),
          );
    this.l2 = l2;
    this.tags = new TagVersions(
      l2 === undefined ? undefined : tagVersionSource(l2, (tag) => `${this.namespace}:t:${tag}`),
      this.l1TtlMs,
    );
  }

  fullKey(key: string): string {
    return `${this.namespace}:k:${key}`;
  }

  storeL1(key: string, entry: CacheEntry): boolean {
    return this.l1?.store(key, entry) ?? false;
  }

  // ── reporting ────────────────────────────────────────────────────────────────────────────────────────────────

  /** A read answered by `tier`; `counted` is false for a background refresh, which no caller asked for. */
  hit(key: string, tier: 'l1' | 'l2', stale: boolean, counted = true): void {
    if (counted) {
      if (tier === 'l1') this.counters.l1Hits++;
      this.counters.hits++;
    }
    if (this.listeningHit) this.events.emit('cache-hit', { key, tier, stale });
  }

  /** A caller's read that neither tier answered (the L1 miss is counted where L1 was consulted). */
  miss(key: string): void {
    this.counters.misses++;
    if (this.listeningMiss) this.events.emit('cache-miss', { key });
  }

  evicted(key: string, reason: EvictionReason): void {
    this.counters.evictions++;
    this.events.emit('cache-evict', { key, reason });
  }

  refreshListening(): void {
    this.listeningHit = this.events.hasListeners('cache-hit');
    this.listeningMiss = this.events.hasListeners('cache-miss');
    this.listeningSet = this.events.hasListeners('cache-set');
    if (this.l1 !== undefined && this.events.hasListeners('cache-evict') && this.l1.trackEvictions()) {
      this.lru = this.l1.lru;
    }
  }

  // ── invalidation ─────────────────────────────────────────────────────────────────────────────────────────────

  /** A write to `key` happened: loads and L2 reads in progress must not cache or promote their older result. */
  invalidateKey(key: string): void {
    this.flights.invalidate(key);
    this.reads.invalidate(key);
  }

  invalidateAll(): void {
    this.flights.invalidateAll();
    this.reads.invalidateAll();
  }

  /** Drops L1 copies carrying any of `tags` (an L1 copy keeps no versions: a later write is simply re-read). */
  dropTagged(tags: readonly string[], reason: EvictionReason): void {
    this.l1?.deleteWhere((record) => record.tags?.some((tag) => tags.includes(tag)) === true, reason);
  }

  async publishKeys(keys: string[]): Promise<void> {
    await this.publish({ type: 'keys', origin: this.instanceId, namespace: this.namespace, keys });
  }

  async publish(message: CacheInvalidation): Promise<void> {
    const l2 = this.l2;
    const publish = l2?.driver.publish;
    if (l2 === undefined || publish === undefined) return;
    await l2.run('publish', () => publish.call(l2.driver, message));
  }
}
