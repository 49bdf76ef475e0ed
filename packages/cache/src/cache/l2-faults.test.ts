import { AgenticGenError } from '@agenticgen/core';
import { describe, expect, it, vi } from 'vitest';
import type { CacheDriver } from '../drivers/driver.js';
import { createMemoryDriver } from '../drivers/memory.js';
import type { CacheEvents } from './events.js';
import { faultyDriver } from './test-support/faulty-driver.js';
import { createCache } from './tiered-cache.js';

describe('an L2 that is down, slow or corrupt', () => {
  it('never blocks a read beyond l2TimeoutMs: serves L1, or the loader, and reports a timeout', async () => {
    const { driver, state } = faultyDriver();
    const cache = createCache({ l2: driver, l2TimeoutMs: 50, l1: { max: 100 } });
    const errors: CacheEvents['cache-error'][] = [];
    cache.on('cache-error', (event) => errors.push(event));
    await cache.set('warm', 'in-l1');
    state.mode = 'hang';
    expect(await cache.get('warm')).toBe('in-l1'); // L1 hit never touches L2
    expect(await cache.get('cold')).toBeUndefined();
    expect(await cache.getOrSet('cold', async () => 'loaded')).toBe('loaded');
    expect(cache.getSync('cold')).toBe('loaded'); // kept in L1 although the L2 write timed out
    expect(errors.length).toBeGreaterThanOrEqual(2);
    expect(errors.every((event) => AgenticGenError.hasCode(event.error, 'timeout'))).toBe(true);
    expect(errors.map((event) => event.operation)).toEqual(expect.arrayContaining(['get', 'set']));
    expect(cache.stats().l2.errors).toBe(errors.length);
  });

  it('turns driver failures into cache-error events and misses, never into rejected reads', async () => {
    const { driver, state } = faultyDriver();
    const cache = createCache({ l2: driver });
    const errors: CacheEvents['cache-error'][] = [];
    cache.on('cache-error', (event) => errors.push(event));
    state.mode = 'fail';
    expect(await cache.get('k')).toBeUndefined();
    expect(await cache.has('k')).toBe(false);
    await cache.set('k', 1); // write failures are reported, not thrown
    await cache.delete('other');
    expect(errors[0]).toMatchObject({ key: 'k', tier: 'l2', operation: 'get' });
    expect(AgenticGenError.hasCode(errors[0]?.error, 'cache-l2-failed')).toBe(true);
    expect(errors[0]?.error.message).toMatch(/ECONNREFUSED/);
    expect(errors.map((event) => event.operation)).toEqual(['get', 'get', 'set', 'delete']);
  });

  it('opens a circuit after repeated failures so a dead L2 costs nothing, and closes it later', async () => {
    const { driver, state } = faultyDriver();
    vi.useFakeTimers({ toFake: ['Date'] });
    const cache = createCache({ l2: driver, l2Circuit: { failureThreshold: 3, retryAfterMs: 100 } });
    state.mode = 'fail';
    for (let index = 0; index < 10; index++) await cache.get(`k${index}`);
    expect(state.calls).toBe(3);
    expect(cache.stats().l2.skipped).toBe(7);
    state.mode = 'ok';
    await driver.set('default:k:back', { value: 'again', createdAt: Date.now() });
    vi.setSystemTime(Date.now() + 99);
    expect(await cache.get('back')).toBeUndefined(); // still open: skipped
    vi.setSystemTime(Date.now() + 2);
    expect(await cache.get('back')).toBe('again');
    vi.useRealTimers();
  });

  it('drops a corrupt L2 entry, reports it, and reloads the value', async () => {
    const { driver, state, inner } = faultyDriver();
    const cache = createCache({ l2: driver });
    const errors: CacheEvents['cache-error'][] = [];
    cache.on('cache-error', (event) => errors.push(event));
    await inner.set('default:k:k', { value: 'whatever', createdAt: Date.now() });
    state.mode = 'corrupt';
    const loader = vi.fn(async () => 'reloaded');
    expect(await cache.getOrSet('k', loader)).toBe('reloaded');
    expect(loader).toHaveBeenCalledTimes(1);
    expect(AgenticGenError.hasCode(errors[0]?.error, 'cache-entry-corrupt')).toBe(true);
    state.mode = 'ok';
    expect((await inner.get('default:k:k'))?.value).toBe('reloaded');
  });

  it('does not promote an L2 value read before a concurrent set over the newer value', async () => {
    const inner = createMemoryDriver();
    let releaseRead: (() => void) | undefined;
    const slowRead: CacheDriver = {
      name: 'slow-read',
      get: async (key) => {
        const entry = await inner.get(key); // read now, answer later: the value is from before the set below
        await new Promise<void>((resolve) => (releaseRead = resolve));
        return entry;
      },
      set: (key, entry) => inner.set(key, entry),
      delete: (key) => inner.delete(key),
    };
    const cache = createCache({ l2: slowRead });
    await inner.set('default:k:k', { value: 'old', createdAt: Date.now() });
    const reading = cache.get('k');
    await vi.waitFor(() => expect(releaseRead).toBeDefined()); // the read has reached L2
    await cache.set('k', 'new');
    releaseRead?.();
    expect(await reading).toBe('old'); // that read began before the write
    expect(cache.getSync('k')).toBe('new'); // but it did not overwrite the newer L1 copy
  });

  it('answers reads that start after a write with the write, not with an older read in flight (no L1)', async () => {
    const inner = createMemoryDriver();
    const gates: (() => void)[] = [];
    const gated: CacheDriver = {
      name: 'gated',
      get: async (key) => {
        const entry = await inner.get(key);
        await new Promise<void>((resolve) => gates.push(resolve));
        return entry;
      },
      set: (key, entry) => inner.set(key, entry),
      delete: (key) => inner.delete(key),
    };
    const cache = createCache({ l1: false, l2: gated });
    await cache.set('k', 'v1');
    const before = cache.get('k');
    await vi.waitFor(() => expect(gates).toHaveLength(1)); // the first read has reached L2
    await cache.set('k', 'v2');
    const after = cache.get('k');
    await vi.waitFor(() => expect(gates).toHaveLength(2));
    for (const open of gates) open();
    expect(await before).toBe('v1');
    expect(await after).toBe('v2');
  });
});
