import type { AgenticGenError } from '@agenticgen/core';

/** The tier an event refers to. */
export type CacheTier = 'l1' | 'l2';

/** Why an entry left L1. */
export type EvictionReason = 'capacity' | 'size' | 'expired' | 'invalidated' | 'remote';

/** Events of a tiered cache, by name (noun-verb). */
export interface CacheEvents {
  /** A read found a live value. `stale` is true when a stale value was served while it is refreshed. */
  'cache-hit': {
    /** The key read. */
    key: string;
    /** The tier that had the value. */
    tier: CacheTier;
    /** True when the value was past its TTL and served while a refresh runs (stale-while-revalidate). */
    stale: boolean;
  };
  /** A read found nothing in any tier. */
  'cache-miss': {
    /** The key read. */
    key: string;
  };
  /** A value was written; `tiers` says where (L2 is absent for L1-only caches or while write-behind is pending). */
  'cache-set': {
    /** The key written. */
    key: string;
    /** The tiers written now. */
    tiers: readonly CacheTier[];
  };
  /** An entry left L1 without a delete call. */
  'cache-evict': {
    /** The key evicted. */
    key: string;
    /** Why it left: over the entry count, over the byte size, expired, invalidated, or deleted by another instance. */
    reason: EvictionReason;
  };
  /**
   * Something failed without failing the caller: an L2 operation (timeout, connection, corrupt entry), a background
   * refresh, an invalidation message. `operation` names what was attempted.
   */
  'cache-error': {
    /** The key concerned, when the failure concerns one key. */
    key?: string;
    /** Where it failed: a tier, or the loader of a background refresh. */
    tier: CacheTier | 'loader';
    /** What was attempted: the driver operation (`get`, `set`, `clear`, `publish`, …) or `refresh`. */
    operation: string;
    /** The failure. */
    error: AgenticGenError;
  };
}

export type CacheEventName = keyof CacheEvents;
export type CacheListener<Name extends CacheEventName> = (event: CacheEvents[Name]) => void;
