import type { CacheStats } from './cache-types.js';
import type { L1Store } from './l1-store.js';
import type { L2Tier } from './l2-tier.js';

/**
 * The tiered cache's counters. Each tier counts only the reads that consulted it (a cache without L1 counts no
 * L1 misses); `hits` and `misses` count the reads callers made, whichever tier answered, so the overall hit ratio
 * does not depend on which tiers exist. Background refreshes are not callers' reads.
 */
export class CacheCounters {
  l1Hits = 0;
  l1Misses = 0;
  l2Hits = 0;
  l2Misses = 0;
  hits = 0;
  misses = 0;
  loaderCalls = 0;
  loaderErrors = 0;
  evictions = 0;
  sets = 0;
  deletes = 0;
}

export function ratio(part: number, whole: number): number {
  return whole === 0 ? 0 : part / whole;
}

/** The public snapshot of `counters` and the tiers' own figures. */
export function cacheStats(c: CacheCounters, l1: L1Store | undefined, l2: L2Tier | undefined): CacheStats {
  return {
    l1: {
      hits: c.l1Hits,
      misses: c.l1Misses,
      hitRatio: ratio(c.l1Hits, c.l1Hits + c.l1Misses),
      entries: l1?.lru.size ?? 0,
      bytes: l1?.bytes ?? 0,
      evictions: c.evictions,
    },
    l2: {
      hits: c.l2Hits,
      misses: c.l2Misses,
      hitRatio: ratio(c.l2Hits, c.l2Hits + c.l2Misses),
      errors: l2?.errors ?? 0,
      skipped: l2?.skipped ?? 0,
    },
    loader: { calls: c.loaderCalls, errors: c.loaderErrors },
    hitRatio: ratio(c.hits, c.hits + c.misses),
    sets: c.sets,
    deletes: c.deletes,
  };
}
