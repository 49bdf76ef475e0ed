import type { CacheDriver, CacheEntry } from '../drivers/driver.js';
import { cacheError } from '../errors.js';
import { assertDuration, assertNamespace, assertPositiveInteger, assertTtl } from '../validation.js';
import type { CacheOptions } from './cache-types.js';
import type { CacheEvents } from './events.js';
import { failed, L2Tier } from './l2-tier.js';
import { sizeOf as defaultSizeOf } from './size-of.js';
import type { TagVersions } from './tag-versions.js';

const oneHour = 3_600_000;

/** `CacheOptions` checked, with their defaults applied. */
export interface ResolvedCacheOptions {
  namespace: string;
  ttlMs: number;
  staleMs: number;
  negativeTtlMs: number | undefined;
  /** Undefined when L1 is off. */
  l1: { max: number; maxBytes: number | undefined } | undefined;
  /** L1's cap on any entry's freshness (infinite when not set; 0 without L1). */
  l1TtlMs: number;
  /** Estimates a value's bytes; only with `l1.maxBytes`. */
  sizeOf: ((value: unknown) => number) | undefined;
}

/** Validates the options `createCache` takes; every problem is an `invalid-config` error naming the option. */
export function resolveCacheOptions(options: CacheOptions): ResolvedCacheOptions {
  if (typeof options !== 'object' || options === null) {
    throw cacheError('invalid-config', 'createCache takes an options object, e.g. createCache({ l1: { max: 1000 } })');
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
  const namespace = options.namespace ?? 'default';
  assertNamespace(namespace);
  const ttlMs = options.ttlMs ?? oneHour;
  assertTtl(ttlMs, 'ttlMs');
  const staleMs = options.staleWhileRevalidateMs ?? 0;
  assertDuration(staleMs, 'staleWhileRevalidateMs');
  if (options.negativeTtlMs !== undefined) assertTtl(options.negativeTtlMs, 'negativeTtlMs');
  const resolved = { namespace, ttlMs, staleMs, negativeTtlMs: options.negativeTtlMs };
  const l1 = options.l1 ?? {};
  if (l1 === false) return { ...resolved, l1: undefined, l1TtlMs: 0, sizeOf: undefined };
  const max = l1.max ?? 1000;
  assertPositiveInteger(max, 'l1.max');
  if (l1.maxBytes !== undefined) assertPositiveInteger(l1.maxBytes, 'l1.maxBytes');
  if (l1.ttlMs !== undefined) assertTtl(l1.ttlMs, 'l1.ttlMs');
  return {
    ...resolved,
    l1: { max, maxBytes: l1.maxBytes },
    l1TtlMs: l1.ttlMs ?? Number.POSITIVE_INFINITY,
    sizeOf: l1.maxBytes === undefined ? undefined : (l1.sizeOf ?? defaultSizeOf),
  };
}

/** The L2 tier over `driver` with the timeout, circuit breaker and write mode of `options`. */
export function createL2Tier(
  driver: CacheDriver,
  options: CacheOptions,
  onError: (event: CacheEvents['cache-error']) => void,
  onBatchWritten: (keys: string[]) => Promise<void>,
): L2Tier {
  const timeoutMs = options.l2TimeoutMs ?? 500;
  assertTtl(timeoutMs, 'l2TimeoutMs');
  const circuit = options.l2Circuit === false ? { failureThreshold: 0 } : (options.l2Circuit ?? {});
  const writeMode = options.writeMode ?? 'write-through';
  if (writeMode !== 'write-through' && writeMode !== 'write-behind') {
    throw cacheError('invalid-config', `writeMode must be "write-through" or "write-behind", got ${String(writeMode)}`);
  }
  return new L2Tier({
    driver,
    timeoutMs,
    failureThreshold: circuit.failureThreshold ?? 5,
    retryAfterMs: 'retryAfterMs' in circuit ? (circuit.retryAfterMs ?? 1000) : 1000,
    writeBehind: writeMode === 'write-behind',
    onError,
    onBatchWritten,
  });
}

/** Tag versions in L2: the driver's atomic counters, else a record holding a random token per invalidation. */
export function tagVersionSource(
  l2: L2Tier,
  tagKey: (tag: string) => string,
): ConstructorParameters<typeof TagVersions>[0] {
  const { increment, readCounter } = l2.driver;
  if (increment !== undefined && readCounter !== undefined) {
    return {
      read: async (tag) => {
        const version = await l2.attempt('read-tag', () => readCounter.call(l2.driver, tagKey(tag)), tag);
        return version === failed ? undefined : version;
      },
      bump: async (tag) => {
        const version = await l2.attempt('invalidate-tag', () => increment.call(l2.driver, tagKey(tag)), tag);
        return version === failed ? undefined : version;
      },
    };
  }
  return {
    read: async (tag) => {
      // Straight to the driver (markers are written through, never queued): a failure must stay distinguishable
      // from an absent marker, which means version 0.
      const marker = await l2.attempt('read-tag', () => l2.driver.get(tagKey(tag)), tag);
      if (marker === failed) return undefined;
      const version = marker?.value ?? 0;
      return typeof version === 'number' || typeof version === 'string' ? version : undefined;
    },
    bump: async (tag) => {
      const token = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
      // The marker outlives every entry it judges: it has no expiry (a few bytes per tag).
      const entry: CacheEntry = { value: token, createdAt: Date.now() };
      return (await l2.writeThrough(tagKey(tag), tag, { kind: 'set', entry })) ? token : undefined;
    },
  };
}
