import { AgenticGenError, type ErrorCode } from '@agenticgen/core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createMemoryDriver } from '../drivers/memory.js';
import type { CacheEvents } from './events.js';
import { createCache } from './tiered-cache.js';

/** Moves only `Date.now()`; timers (the L2 timeout) stay real. */
function useClock() {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(new Date('2026-01-01T00:00:00Z'));
  return (ms: number) => vi.setSystemTime(Date.now() + ms);
}

async function expectCode(promise: Promise<unknown> | (() => unknown), code: ErrorCode) {
  let caught: unknown;
  try {
    await (typeof promise === 'function' ? promise() : promise);
  } catch (error) {
    caught = error;
  }
  expect(AgenticGenError.hasCode(caught, code), `expected code ${code}, got ${String(caught)}`).toBe(true);
  expect((caught as Error).message).toMatch(/^\[cache\] /);
}

afterEach(() => {
  vi.useRealTimers();
});

describe('createCache: basic operations', () => {
  it('gets, sets, deletes and reports presence', async () => {
    const cache = createCache();
    expect(await cache.get('a')).toBeUndefined();
    expect(await cache.has('a')).toBe(false);
    await cache.set('a', { answer: 42 });
    expect(await cache.get('a')).toEqual({ answer: 42 });
    expect(await cache.has('a')).toBe(true);
    expect(cache.getSync('a')).toEqual({ answer: 42 });
    expect(cache.peek('a')).toEqual({ answer: 42 });
    await cache.delete('a');
    expect(await cache.get('a')).toBeUndefined();
    expect(cache.getSync('a')).toBeUndefined();
    await cache.delete('never-there');
  });

  it('expires entries after their own TTL or the default TTL', async () => {
    const advance = useClock();
    const cache = createCache({ ttlMs: 10_000 });
    await cache.set('default', 1);
    await cache.set('short', 2, { ttlMs: 1000 });
    await cache.set('forever', 3, { ttlMs: Number.POSITIVE_INFINITY });
    advance(1000);
    expect(cache.getSync('short')).toBeUndefined();
    expect(await cache.get('short')).toBeUndefined();
    expect(await cache.get('default')).toBe(1);
    advance(9000);
    expect(await cache.get('default')).toBeUndefined();
    advance(1e9);
    expect(await cache.get('forever')).toBe(3);
  });

  it('clears everything of its namespace, in L1 and L2', async () => {
    const driver = createMemoryDriver();
    const one = createCache({ namespace: 'one', l2: driver });
    const two = createCache({ namespace: 'two', l2: driver });
    await one.set('a', 1);
    await two.set('a', 2);
    await one.clear();
    expect(await one.get('a')).toBeUndefined();
    expect(await two.get('a')).toBe(2);
    expect(driver.size).toBe(1);
  });
});

describe('createCache: getOrSet', () => {
  it('calls the loader once for 1,000 concurrent callers and caches the result', async () => {
    const cache = createCache({ l2: createMemoryDriver() });
    let calls = 0;
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const loader = async () => {
      calls++;
      await gate; // still loading while all 1,000 callers ask
      return { computed: true };
    };
    const pending = Promise.all(Array.from({ length: 1000 }, () => cache.getOrSet('hot', loader)));
    await vi.waitFor(() => expect(calls).toBe(1));
    release();
    const results = await pending;
    expect(calls).toBe(1);
    expect(new Set(results).size).toBe(1);
    expect(await cache.getOrSet('hot', loader)).toEqual({ computed: true });
    expect(calls).toBe(1);
  });

  it('shares one flight across L1 and L2: a value in L2 is not recomputed by another instance', async () => {
    const driver = createMemoryDriver();
    const writer = createCache({ l2: driver });
    const reader = createCache({ l2: driver });
    await writer.set('k', 'from-writer');
    const loader = vi.fn(async () => 'recomputed');
    const results = await Promise.all(Array.from({ length: 50 }, () => reader.getOrSet('k', loader)));
    expect(results.every((value) => value === 'from-writer')).toBe(true);
    expect(loader).not.toHaveBeenCalled();
    expect(reader.stats().l2.hits).toBe(1);
  });

  it('promotes L2 hits into L1 with the remaining TTL, not a fresh one', async () => {
    const advance = useClock();
    const driver = createMemoryDriver();
    const writer = createCache({ l2: driver });
    const reader = createCache({ l2: driver });
    await writer.set('k', 'v', { ttlMs: 10_000 });
    advance(6000);
    expect(await reader.get('k')).toBe('v');
    expect(reader.getSync('k')).toBe('v'); // now in the reader's L1
    advance(4000);
    expect(reader.getSync('k')).toBeUndefined();
    expect(await reader.get('k')).toBeUndefined();
  });

  it('does not cache loader failures, and does not cache undefined', async () => {
    const cache = createCache();
    const failing = vi.fn(async () => {
      throw new Error('upstream down');
    });
    await expect(cache.getOrSet('k', failing)).rejects.toThrow('upstream down');
    await expect(cache.getOrSet('k', failing)).rejects.toThrow('upstream down');
    expect(failing).toHaveBeenCalledTimes(2);
    expect(await cache.getOrSet('u', async () => undefined)).toBeUndefined();
    expect(await cache.has('u')).toBe(false);
    expect(cache.stats().loader).toEqual({ calls: 3, errors: 2 });
  });

  it('caches failures only when asked, for their own TTL, with the original error code', async () => {
    const advance = useClock();
    const cache = createCache({ l2: createMemoryDriver() });
    const failing = vi.fn(async () => {
      throw new AgenticGenError('rate-limit', '[test] slow down');
    });
    await expectCode(() => cache.getOrSet('k', failing, { negativeTtlMs: 5000 }), 'rate-limit').catch(() => undefined);
    let second: unknown;
    await cache.getOrSet('k', failing, { negativeTtlMs: 5000 }).catch((error: unknown) => {
      second = error;
    });
    expect(AgenticGenError.hasCode(second, 'rate-limit')).toBe(true);
    expect(failing).toHaveBeenCalledTimes(1);
    expect(await cache.get('k')).toBeUndefined(); // a cached failure is not a value
    advance(5000);
    await cache.getOrSet('k', failing, { negativeTtlMs: 5000 }).catch(() => undefined);
    expect(failing).toHaveBeenCalledTimes(2);
  });

  it('lets a set or delete during a load win over the loaded value', async () => {
    const cache = createCache();
    let release: (() => void) | undefined;
    const loading = cache.getOrSet(
      'k',
      () =>
        new Promise<string>((resolve) => {
          release = () => resolve('loaded');
        }),
    );
    await vi.waitFor(() => expect(release).toBeDefined()); // the loader is running
    await cache.set('k', 'explicit');
    release?.();
    expect(await loading).toBe('loaded');
    expect(await cache.get('k')).toBe('explicit');
  });
});

describe('createCache: stale-while-revalidate', () => {
  it('serves the stale value at once and refreshes it once in the background', async () => {
    const advance = useClock();
    const cache = createCache({ l2: createMemoryDriver(), staleWhileRevalidateMs: 60_000 });
    let version = 0;
    let release: () => void = () => undefined;
    const loader = vi.fn(async () => {
      version++;
      if (version > 1) await new Promise<void>((resolve) => (release = resolve));
      return `v${version}`;
    });
    expect(await cache.getOrSet('k', loader, { ttlMs: 1000 })).toBe('v1');
    advance(2000);
    const events: CacheEvents['cache-hit'][] = [];
    cache.on('cache-hit', (event) => events.push(event));
    const stale = await Promise.all(Array.from({ length: 10 }, () => cache.getOrSet('k', loader, { ttlMs: 1000 })));
    expect(stale.every((value) => value === 'v1')).toBe(true);
    expect(events[0]).toEqual({ key: 'k', tier: 'l1', stale: true });
    await vi.waitFor(() => expect(loader).toHaveBeenCalledTimes(2));
    release();
    await vi.waitFor(() => expect(cache.getSync('k')).toBe('v2'));
    expect(loader).toHaveBeenCalledTimes(2);
  });

  it('keeps the stale value and reports a cache-error when the refresh fails (even with negative caching)', async () => {
    const advance = useClock();
    const cache = createCache({ staleWhileRevalidateMs: 60_000, negativeTtlMs: 60_000 });
    await cache.set('k', 'old', { ttlMs: 1000 });
    advance(1500);
    const errors: CacheEvents['cache-error'][] = [];
    cache.on('cache-error', (event) => errors.push(event));
    const value = await cache.getOrSet('k', async () => {
      throw new Error('refresh failed');
    });
    expect(value).toBe('old');
    await vi.waitFor(() => expect(errors).toHaveLength(1));
    expect(errors[0]).toMatchObject({ key: 'k', tier: 'loader', operation: 'refresh' });
    expect(await cache.getOrSet('k', async () => 'new')).toBe('old'); // still stale-servable; refresh runs again
    await vi.waitFor(() => expect(cache.getSync('k')).toBe('new'));
  });

  it('stops serving after the stale window', async () => {
    const advance = useClock();
    const cache = createCache({ staleWhileRevalidateMs: 1000 });
    await cache.set('k', 'old', { ttlMs: 1000 });
    advance(2500);
    expect(await cache.getOrSet('k', async () => 'fresh')).toBe('fresh');
  });
});

describe('createCache: tags', () => {
  it('invalidates every entry carrying a tag and nothing else', async () => {
    const cache = createCache({ l2: createMemoryDriver() });
    await cache.set('a', 1, { tags: ['user:1'] });
    await cache.set('b', 2, { tags: ['user:1', 'team:1'] });
    await cache.set('c', 3, { tags: ['team:2'] });
    await cache.invalidateTags(['user:1']);
    expect(await cache.get('a')).toBeUndefined();
    expect(await cache.get('b')).toBeUndefined();
    expect(await cache.get('c')).toBe(3);
    await cache.set('a', 4, { tags: ['user:1'] });
    expect(await cache.get('a')).toBe(4); // entries written after the invalidation survive it
  });

  it('invalidates L2 copies that other instances read later, and their L1 copies through messages', async () => {
    const driver = createMemoryDriver();
    const first = createCache({ l2: driver });
    const second = createCache({ l2: driver });
    const third = createCache({ l2: driver });
    await first.set('a', 'tagged', { tags: ['t'] });
    expect(await second.get('a')).toBe('tagged'); // now in second's L1
    await first.invalidateTags(['t']);
    await vi.waitFor(() => expect(second.getSync('a')).toBeUndefined());
    expect(await second.get('a')).toBeUndefined();
    expect(await third.get('a')).toBeUndefined(); // never had it in L1: L2 copy is judged by the tag marker
  });
});

describe('createCache: L1 bounds and events', () => {
  it('keeps L1 within its byte budget, evicting least recently used entries', async () => {
    const cache = createCache({ l1: { max: 1000, maxBytes: 4000 } });
    const evictions: CacheEvents['cache-evict'][] = [];
    cache.on('cache-evict', (event) => evictions.push(event));
    for (let index = 0; index < 10; index++) await cache.set(`k${index}`, 'x'.repeat(500)); // ~1 KB each
    expect(cache.stats().l1.bytes).toBeLessThanOrEqual(4000);
    expect(evictions.length).toBeGreaterThan(0);
    expect(evictions.every((event) => event.reason === 'size')).toBe(true);
    expect(cache.getSync('k9')).toBe('x'.repeat(500));
    expect(cache.getSync('k0')).toBeUndefined();
  });

  it('measures binary values by byte length and keeps oversized values out of L1 but in L2', async () => {
    const driver = createMemoryDriver();
    const cache = createCache({ l1: { maxBytes: 10_000 }, l2: driver });
    await cache.set('vector', new Float32Array(1000)); // 4,000 bytes
    expect(cache.stats().l1.bytes).toBeGreaterThanOrEqual(4000);
    await cache.set('huge', new Uint8Array(20_000));
    expect(cache.getSync('huge')).toBeUndefined();
    expect(await cache.get('huge')).toEqual(new Uint8Array(20_000));
  });

  it('evicts by count and reports capacity evictions', async () => {
    const cache = createCache({ l1: { max: 10 } });
    const reasons = new Set<string>();
    cache.on('cache-evict', (event) => reasons.add(event.reason));
    for (let index = 0; index < 100; index++) await cache.set(`k${index}`, index);
    expect(cache.stats().l1.entries).toBeLessThanOrEqual(20);
    expect(reasons).toEqual(new Set(['capacity']));
    expect(cache.getSync('k99')).toBe(99);
  });

  it('keeps entries and their expiry when a cache-evict listener turns on eviction tracking later', async () => {
    const advance = useClock();
    const cache = createCache({ l1: { max: 100 } });
    await cache.set('short', 1, { ttlMs: 1000 });
    await cache.set('long', 2, { ttlMs: 10_000 });
    await cache.set('tagged', 3, { tags: ['t'] });
    const evictions: string[] = [];
    cache.on('cache-evict', (event) => evictions.push(`${event.key}:${event.reason}`));
    expect([cache.getSync('short'), cache.getSync('long'), cache.getSync('tagged')]).toEqual([1, 2, 3]);
    advance(1000);
    expect(cache.getSync('short')).toBeUndefined();
    expect(cache.getSync('long')).toBe(2);
    expect(evictions).toEqual(['short:expired']);
    for (let index = 0; index < 300; index++) await cache.set(`filler${index}`, index);
    expect(evictions.some((event) => event.endsWith(':capacity'))).toBe(true);
    expect(cache.stats().l1.evictions).toBe(evictions.length);
  });

  it('emits hit, miss and set events and counts hit ratios per tier', async () => {
    const driver = createMemoryDriver();
    const writer = createCache({ l2: driver });
    const cache = createCache({ l2: driver });
    const seen: string[] = [];
    cache.on('cache-hit', (event) => seen.push(`hit:${event.tier}`));
    cache.on('cache-miss', () => seen.push('miss'));
    cache.on('cache-set', (event) => seen.push(`set:${event.tiers.join('+')}`));
    await writer.set('shared', 1);
    await cache.get('absent');
    await cache.get('shared');
    await cache.get('shared');
    await cache.set('own', 2);
    expect(seen).toEqual(['miss', 'hit:l2', 'hit:l1', 'set:l1+l2']);
    const stats = cache.stats();
    expect(stats.l1).toMatchObject({ hits: 1, misses: 2, hitRatio: 1 / 3 });
    expect(stats.l2).toMatchObject({ hits: 1, misses: 1, hitRatio: 0.5 });
    expect(stats.hitRatio).toBeCloseTo(2 / 3);
    cache.resetStats();
    expect(cache.stats().l1.hits).toBe(0);
  });

  it('keeps working when a listener throws', async () => {
    const cache = createCache();
    const errorSpy = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    cache.on('cache-set', () => {
      throw new Error('listener bug');
    });
    await cache.set('k', 1);
    expect(await cache.get('k')).toBe(1);
    expect(errorSpy).toHaveBeenCalled(); // reported by core's event bus, not thrown into set()
    errorSpy.mockRestore();
  });

  it('drops L1 copies in other instances when a key is set or deleted (invalidation messages)', async () => {
    const driver = createMemoryDriver();
    const first = createCache({ l2: driver });
    const second = createCache({ l2: driver });
    await first.set('k', 'v1');
    expect(await second.get('k')).toBe('v1');
    await first.set('k', 'v2');
    await vi.waitFor(() => expect(second.getSync('k')).toBeUndefined());
    expect(await second.get('k')).toBe('v2');
    await first.delete('k');
    await vi.waitFor(() => expect(second.getSync('k')).toBeUndefined());
    expect(await second.get('k')).toBeUndefined();
  });
});

describe('createCache: write-behind', () => {
  it('resolves set before L2 is written, reads its own pending writes, and coalesces per key', async () => {
    const driver = createMemoryDriver();
    const set = vi.spyOn(driver, 'set');
    const remove = vi.spyOn(driver, 'delete');
    const cache = createCache({ l1: { max: 2 }, l2: driver, writeMode: 'write-behind' });
    await cache.set('a', 1);
    await cache.set('a', 2);
    await cache.set('b', 1);
    await cache.delete('b');
    for (let index = 0; index < 10; index++) await cache.set(`filler${index}`, index); // push a and b out of L1
    expect(await cache.get('a')).toBe(2);
    expect(await cache.get('b')).toBeUndefined();
    await cache.flush();
    expect(set.mock.calls.filter(([key]) => key === 'default:k:a')).toHaveLength(1);
    expect(set.mock.calls.some(([key]) => key === 'default:k:b')).toBe(false);
    expect(remove.mock.calls.filter(([key]) => key === 'default:k:b')).toHaveLength(1);
    expect((await driver.get('default:k:a'))?.value).toBe(2);
  });
});

describe('createCache: bad input', () => {
  it('rejects invalid keys, TTLs, tags, sizes and options with codes', async () => {
    const cache = createCache();
    await expectCode(cache.get(''), 'invalid-argument');
    await expectCode(cache.get(42 as unknown as string), 'invalid-argument');
    await expectCode(cache.set('x'.repeat(5000), 1), 'invalid-argument');
    await expectCode(cache.set('k', undefined), 'invalid-argument');
    await expectCode(cache.set('k', 1, { ttlMs: 0 }), 'invalid-argument');
    await expectCode(cache.set('k', 1, { ttlMs: -5 }), 'invalid-argument');
    await expectCode(cache.set('k', 1, { ttlMs: Number.NaN }), 'invalid-argument');
    await expectCode(cache.set('k', 1, { tags: [''] }), 'invalid-argument');
    await expectCode(cache.set('k', 1, { tags: 'user' as unknown as string[] }), 'invalid-argument');
    await expectCode(cache.getOrSet('k', 'nope' as unknown as () => Promise<number>), 'invalid-argument');
    await expectCode(() => createCache({ l1: { max: 0 } }), 'invalid-config');
    await expectCode(() => createCache({ l1: { maxBytes: -1 } }), 'invalid-config');
    await expectCode(() => createCache({ namespace: 'a:b' }), 'invalid-config');
    await expectCode(() => createCache({ ttlMs: -1 }), 'invalid-argument');
    await expectCode(() => createCache(null as never), 'invalid-config');
    await expectCode(() => createCache({ l2: {} as never }), 'invalid-config');
    await expectCode(
      () => createCache({ writeMode: 'sometimes' as never, l2: createMemoryDriver() }),
      'invalid-config',
    );
    expect(await cache.has('k')).toBe(false); // nothing was stored by the failed calls
  });

  it('rejects values no tier can store when an L2 is configured, and keeps no L1 copy', async () => {
    const cache = createCache({ l2: createMemoryDriver() });
    await expectCode(cache.set('k', { callback: () => 1 }), 'cache-value-unsupported');
    expect(cache.getSync('k')).toBeUndefined();
  });

  it('rejects every operation after dispose', async () => {
    const cache = createCache({ l2: createMemoryDriver() });
    await cache.set('k', 1);
    await cache.dispose();
    await cache.dispose();
    await expectCode(cache.get('k'), 'disposed');
    await expectCode(cache.set('k', 2), 'disposed');
  });
});

beforeEach(() => {
  vi.useRealTimers();
});
