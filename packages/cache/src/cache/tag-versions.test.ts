import { afterEach, describe, expect, it, vi } from 'vitest';
import type { CacheDriver } from '../drivers/driver.js';
import { createMemoryDriver } from '../drivers/memory.js';
import { faultyDriver } from './test-support/faulty-driver.js';
import { createCache } from './tiered-cache.js';

const start = new Date('2026-01-01T00:00:00Z').getTime();

/** Sets this process's wall clock, as if the next call ran on a machine whose clock is `skewMs` off. */
function clockAt(skewMs: number): void {
  vi.setSystemTime(start + skewMs);
}

/** A memory driver without counters, so the cache falls back to versioned records (as for file and IndexedDB). */
function driverWithoutCounters(): CacheDriver {
  const { increment: _increment, ...rest } = createMemoryDriver();
  return rest;
}

/** The same driver without invalidation messages (no broker, like the file driver). */
function silent(driver: CacheDriver): CacheDriver {
  const { publish: _publish, subscribe: _subscribe, ...rest } = driver;
  return rest;
}

afterEach(() => {
  vi.useRealTimers();
});

describe.each([
  ['a driver with counters (memory)', () => createMemoryDriver()],
  ['a driver without counters (versioned records)', driverWithoutCounters],
])('tag invalidation across processes on %s', (_name, makeDriver) => {
  it('does not depend on clocks: a skewed invalidator still drops older entries and keeps newer ones', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const driver = makeDriver();
    const writer = createCache({ l2: driver, l1: false });
    const invalidator = createCache({ l2: driver, l1: false });
    clockAt(0);
    await writer.set('old', 'before the invalidation', { tags: ['t'] });
    clockAt(-10_000); // the invalidating process's clock runs 10 s behind
    await invalidator.invalidateTags(['t']);
    clockAt(0);
    expect(await writer.get('old')).toBeUndefined();
    expect(await invalidator.get('old')).toBeUndefined();

    clockAt(60_000); // and one that runs a minute ahead
    await invalidator.invalidateTags(['u']);
    clockAt(0);
    await writer.set('fresh', 'after the invalidation', { tags: ['u'] });
    expect(await invalidator.get('fresh')).toBe('after the invalidation');
    expect(await writer.get('fresh')).toBe('after the invalidation');
  });

  it('agrees between instances on a write in the same millisecond as an invalidation', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    clockAt(0);
    const driver = makeDriver();
    const first = createCache({ l2: driver, l1: false });
    const second = createCache({ l2: driver, l1: false });
    await first.invalidateTags(['t']);
    await first.set('k', 'written after', { tags: ['t'] });
    expect(await first.get('k')).toBe('written after');
    expect(await second.get('k')).toBe('written after');
  });

  it('does not let a load that started before an invalidation store its value as current', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    clockAt(0);
    const driver = silent(makeDriver());
    const loading = createCache({ l2: driver, l1: false });
    const other = createCache({ l2: driver, l1: false });
    await other.invalidateTags(['t']); // the tag has a version before the load starts
    let release: (value: string) => void = () => undefined;
    let load: Promise<string> | undefined;
    const loaderStarted = new Promise<void>((started) => {
      const loader = () =>
        new Promise<string>((resolve) => {
          release = resolve;
          started();
        });
      load = loading.getOrSet('k', loader, { tags: ['t'] });
    });
    await loaderStarted;
    await other.invalidateTags(['t']); // the source changed while the loader was reading it
    clockAt(1); // the loader returns a millisecond later
    release('read before the change');
    expect(await load).toBe('read before the change');
    expect(await other.get('k')).toBeUndefined();
  });
});

/** A memory driver whose reads of tag-version keys (tag `t`) fail with ECONNRESET while `tagReads.fail` is set. */
function flakyTagReads() {
  const inner = createMemoryDriver();
  const tagReads = { fail: false };
  const driver: CacheDriver = {
    name: 'flaky-tag-reads',
    get: (key) => (tagReads.fail && key.includes(':t:') ? Promise.reject(new Error('ECONNRESET')) : inner.get(key)),
    set: (key, entry) => inner.set(key, entry),
    delete: (key) => inner.delete(key),
  };
  return { inner, driver, tagReads };
}

describe('remembered tag state', () => {
  it('expires with l1.ttlMs, so an invalidation another instance made without messages is seen', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    clockAt(0);
    const driver = silent(createMemoryDriver());
    const writer = createCache({ l2: driver, l1: { ttlMs: 1000 } });
    const reader = createCache({ l2: driver, l1: { ttlMs: 1000 } });
    await writer.set('k', 'v1', { tags: ['t'] });
    expect(await reader.get('k')).toBe('v1'); // the reader now remembers tag t
    await writer.invalidateTags(['t']);
    clockAt(1000);
    expect(await reader.get('k')).toBeUndefined();
  });
});

describe('tag versions when L2 fails', () => {
  it('refuses L2 copies of a tag whose invalidation L2 did not take, until l1.ttlMs passes', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    clockAt(0);
    const { driver, state } = faultyDriver();
    const cache = createCache({ l2: driver, l1: { ttlMs: 1000 }, l2Circuit: false });
    await cache.set('k', 'v', { tags: ['t'] });
    state.mode = 'fail';
    await cache.invalidateTags(['t']); // reported as a cache-error, not thrown
    state.mode = 'ok';
    expect(await cache.get('k')).toBeUndefined();
    clockAt(1000); // the local version is forgotten: L2 is the authority again
    expect(await cache.get('k')).toBe('v');
  });

  it('stamps a value written while its tag versions cannot be read so that it is never current', async () => {
    const { inner, driver, tagReads } = flakyTagReads();
    const writer = createCache({ l2: driver, l1: false, l2Circuit: false });
    const reader = createCache({ l2: driver, l1: false, l2Circuit: false });
    await reader.invalidateTags(['t']); // the tag has a version the writer cannot read below
    tagReads.fail = true;
    expect(await writer.getOrSet('k', async () => 'loaded', { tags: ['t'] })).toBe('loaded');
    tagReads.fail = false;
    expect((await inner.get('default:k:k'))?.value).toBe('loaded'); // stored, but with a version matching nothing
    expect(await reader.get('k')).toBeUndefined();
    expect(await writer.get('k')).toBeUndefined();
  });

  it('refuses a tagged entry when its tag versions cannot be read, rather than taking it as current', async () => {
    const { driver, tagReads } = flakyTagReads();
    const writer = createCache({ l2: driver, l1: false, l2Circuit: false });
    await writer.set('k', 'before the invalidation', { tags: ['t'] });
    await createCache({ l2: driver, l1: false }).invalidateTags(['t']);
    tagReads.fail = true;
    const reader = createCache({ l2: driver, l1: false, l2Circuit: false });
    expect(await reader.get('k')).toBeUndefined();
  });
});
