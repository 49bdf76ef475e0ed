import type { CacheEntry } from '../drivers/driver.js';
import type { CacheCore } from './cache-core.js';
import type { L2ReadMarker } from './invalidation.js';
import { L1Record } from './l1-store.js';

/** How a tiered cache reads its two tiers: L1 with its stale window, L2 with tag checks and promotion into L1. */

/**
 * The L1 item if usable at all: a bare value (always fresh: quick-lru drops it at expiry) or a record that is
 * fresh or within its stale window. `undefined` is a miss (values are never `undefined`).
 */
export function readL1(core: CacheCore, key: string): unknown {
  const item = core.lru?.get(key);
  if (item === undefined || !(item instanceof L1Record)) return item;
  if (item.staleUntil > Date.now()) return item;
  if (core.l1?.delete(key) === true) core.evicted(key, 'expired');
  return undefined;
}

/** Reads L2, checks tags and promotes the entry into L1 with its remaining TTL. */
export async function readL2(core: CacheCore, key: string): Promise<CacheEntry | undefined> {
  const l2 = core.l2;
  if (l2 === undefined) return undefined;
  // Registers the read so a write racing it can stop its (older) result from being promoted. Without an L1
  // nothing is promoted, so nothing is registered.
  const marker: L2ReadMarker | undefined = core.l1 === undefined ? undefined : core.reads.start(key);
  let entry: CacheEntry | undefined;
  try {
    entry = await l2.read(core.fullKey(key), key);
    // Untagged entries skip the (async) tag check: no extra microtask on the common path.
    if (entry?.tags !== undefined && !(await core.tags.isCurrent(entry))) entry = undefined;
  } finally {
    if (marker !== undefined) core.reads.end(key, marker);
  }
  if (entry === undefined) {
    core.counters.l2Misses++;
    return undefined;
  }
  core.counters.l2Hits++;
  // A write that raced this read wins: the older L2 copy is not promoted over it.
  if (marker !== undefined && !marker.invalidated) core.storeL1(key, entry);
  return entry;
}
