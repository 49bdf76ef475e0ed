import type { AgenticGenError } from '@agenticgen/core';

/** The tier an event refers to. */
export type CacheTier = 'l1' | 'l2';

/** Why an entry left L1. */
export type EvictionReason = 'capacity' | 'size' | 'expired' | 'invalidated' | 'remote';

/** Events of a tiered cache, by name (noun-verb). */
export interface CacheEvents {
  /** A read found a live value. `stale` is true when a stale value was served while it is refreshed. */
  'cache-hit': { key: string; tier: CacheTier; stale: boolean };
  /** A read found nothing in any tier. */
  'cache-miss': { key: string };
  /** A value was written; `tiers` says where (L2 is absent for L1-only caches or while write-behind is pending). */
  'cache-set': { key: string; tiers: readonly CacheTier[] };
  /** An entry left L1 without a delete call. */
  'cache-evict': { key: string; reason: EvictionReason };
  /**
   * Something failed without failing the caller: an L2 operation (timeout, connection, corrupt entry), a background
   * refresh, an invalidation message. `operation` names what was attempted.
   */
  'cache-error': { key?: string; tier: CacheTier | 'loader'; operation: string; error: AgenticGenError };
}

export type CacheEventName = keyof CacheEvents;
export type CacheListener<Name extends CacheEventName> = (event: CacheEvents[Name]) => void;
