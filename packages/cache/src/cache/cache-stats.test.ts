import { describe, expect, it } from 'vitest';
import { createMemoryDriver } from '../drivers/memory.js';
import { createCache } from './tiered-cache.js';

describe('cache stats', () => {
  it('counts no L1 miss in a cache without L1, and reads answered by L2 as hits', async () => {
    const driver = createMemoryDriver();
    await createCache({ l2: driver }).set('shared', 1);
    const cache = createCache({ l1: false, l2: driver });
    expect(await cache.get('shared')).toBe(1);
    expect(await cache.get('absent')).toBeUndefined();
    expect(await cache.getOrSet('loaded', async () => 2)).toBe(2);
    const stats = cache.stats();
    expect(stats.l1).toMatchObject({ hits: 0, misses: 0, hitRatio: 0 });
    expect(stats.l2).toMatchObject({ hits: 1, misses: 2 });
    expect(stats.hitRatio).toBeCloseTo(1 / 3);
  });

  it('counts each read once per tier it consulted: L1 hit, L2 hit after an L1 miss, miss of both', async () => {
    const driver = createMemoryDriver();
    await createCache({ l2: driver }).set('shared', 1);
    const cache = createCache({ l2: driver });
    await cache.get('shared'); // L1 miss, L2 hit (promoted)
    await cache.get('shared'); // L1 hit
    expect(cache.getSync('absent')).toBeUndefined(); // L1 miss, L2 not consulted
    await cache.get('absent'); // L1 miss, L2 miss
    const stats = cache.stats();
    expect(stats.l1).toMatchObject({ hits: 1, misses: 3, hitRatio: 0.25 });
    expect(stats.l2).toMatchObject({ hits: 1, misses: 1, hitRatio: 0.5 });
    expect(stats.hitRatio).toBeCloseTo(2 / 4);
  });
});
