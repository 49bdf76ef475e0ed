import { AgenticGenError } from '@agenticgen/core';
import { createStore, get, set } from 'idb-keyval';
import { describe, expect, it, vi } from 'vitest';
import { createCache } from '../cache/tiered-cache.js';
import { runCacheDriverSuite } from './driver-suite.js';
import { createIndexedDbDriver } from './indexeddb.js';

let counter = 0;
// One database per driver instance keeps cases independent.
const databaseName = () => `agenticgen-cache-test-${Date.now()}-${counter++}`;

let lastName = '';
const freshName = () => {
  lastName = databaseName();
  return lastName;
};
runCacheDriverSuite(
  'indexeddb',
  () => createIndexedDbDriver({ databaseName: freshName() }),
  // A second driver on the same database: another tab, as far as BroadcastChannel is concerned.
  { sibling: () => createIndexedDbDriver({ databaseName: lastName }) },
);
runCacheDriverSuite(
  'indexeddb (compressed)',
  () => createIndexedDbDriver({ databaseName: freshName(), compression: true, compressAboveBytes: 0 }),
  { sibling: () => createIndexedDbDriver({ databaseName: lastName, compression: true }) },
);

describe('IndexedDB driver in Chromium', () => {
  it('persists entries across driver instances (a reload of the page)', async () => {
    const name = databaseName();
    const first = createIndexedDbDriver({ databaseName: name });
    await first.set('ns:k:a', { value: new Float32Array([1, 2, 3]), createdAt: Date.now() });
    await first.dispose?.();
    const second = createIndexedDbDriver({ databaseName: name });
    expect((await second.get('ns:k:a'))?.value).toEqual(new Float32Array([1, 2, 3]));
  });

  it('detects a damaged record, deletes it and reports cache-entry-corrupt', async () => {
    const name = databaseName();
    const driver = createIndexedDbDriver({ databaseName: name });
    const raw = createStore(name, 'entries');
    await driver.set('ns:k:a', { value: 'ok', createdAt: Date.now() });
    const stored = (await get<Uint8Array>('ns:k:a', raw)) as Uint8Array;
    await set('ns:k:a', stored.subarray(0, stored.length - 4), raw);
    const truncated = await driver.get('ns:k:a').catch((caught: unknown) => caught);
    expect(AgenticGenError.hasCode(truncated, 'cache-entry-corrupt')).toBe(true);
    expect(await get('ns:k:a', raw)).toBeUndefined();
    await set('ns:k:b', { not: 'bytes' }, raw);
    const foreign = await driver.get('ns:k:b').catch((caught: unknown) => caught);
    expect(AgenticGenError.hasCode(foreign, 'cache-entry-corrupt')).toBe(true);
  });

  it('invalidates L1 copies of another cache (another tab) through BroadcastChannel', async () => {
    const name = databaseName();
    const first = createCache({ l2: createIndexedDbDriver({ databaseName: name }) });
    const second = createCache({ l2: createIndexedDbDriver({ databaseName: name }) });
    await first.set('k', 'v1');
    expect(await second.get('k')).toBe('v1');
    await first.set('k', 'v2');
    await vi.waitFor(() => expect(second.getSync('k')).toBeUndefined());
    expect(await second.get('k')).toBe('v2');
    await first.dispose();
    await second.dispose();
  });

  it('serves a tiered cache with L1 in front of IndexedDB', async () => {
    const cache = createCache({ l2: createIndexedDbDriver({ databaseName: databaseName() }), namespace: 'app' });
    const loader = vi.fn(async () => ({ embedding: new Float32Array([0.25, 0.5]) }));
    const results = await Promise.all(Array.from({ length: 100 }, () => cache.getOrSet('doc:1', loader)));
    expect(loader).toHaveBeenCalledTimes(1);
    expect(results[0]?.embedding).toBeInstanceOf(Float32Array);
    await cache.dispose();
  });
});
