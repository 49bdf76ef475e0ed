import { runCacheDriverSuite } from '@agenticgen/cache/testing';
import { describe, expect, it, vi } from 'vitest';
import type { CacheInvalidation } from './driver.js';
import { createMemoryDriver } from './memory.js';

// Two memory drivers are two separate stores; their pub/sub reaches caches sharing one driver (tested below).
runCacheDriverSuite('memory', () => createMemoryDriver(), { skip: ['publish-subscribe'] });

describe('memory driver', () => {
  it('stores references when cloning is off (fast path for trusted values)', async () => {
    const driver = createMemoryDriver({ clone: false });
    const value = { list: [1] };
    await driver.set('ns:k:a', { value, createdAt: Date.now() });
    expect((await driver.get('ns:k:a'))?.value).toBe(value);
  });

  it('delivers published messages to every current subscriber of the same driver', async () => {
    const driver = createMemoryDriver();
    const first: CacheInvalidation[] = [];
    const second: CacheInvalidation[] = [];
    driver.subscribe?.((message) => first.push(message));
    const off = driver.subscribe?.((message) => second.push(message));
    off?.();
    const message: CacheInvalidation = { type: 'clear', origin: 'x', namespace: 'ns' };
    await driver.publish?.(message);
    await vi.waitFor(() => expect(first).toEqual([message])); // delivered asynchronously, like a broker
    expect(second).toEqual([]);
  });
});
