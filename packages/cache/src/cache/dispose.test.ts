import { AgenticGenError } from '@agenticgen/core';
import { checkAsyncResource } from '@agenticgen/core/testing';
import { describe, expect, it, vi } from 'vitest';
import { createMemoryDriver } from '../drivers/memory.js';
import { createCache } from './tiered-cache.js';

const isDisposed = (error: unknown) => AgenticGenError.hasCode(error, 'disposed');

describe('cache and driver disposal', () => {
  it('`await using` disposes the cache and its driver once, however often dispose is called', async () => {
    const driver = createMemoryDriver();
    const driverDispose = vi.spyOn(driver, 'dispose');
    await checkAsyncResource(
      () => createCache({ l2: driver }),
      async (cache) => {
        await expect(cache.get('k')).rejects.toSatisfy(isDisposed);
        expect(driverDispose).toHaveBeenCalledTimes(1);
      },
    );
  });

  it('disposes the driver once when dispose calls overlap (while the first still flushes)', async () => {
    const driver = createMemoryDriver();
    const driverDispose = vi.spyOn(driver, 'dispose');
    const cache = createCache({ l2: driver });
    await cache.set('k', 1);
    await Promise.all([cache.dispose(), cache.dispose(), cache[Symbol.asyncDispose]()]);
    expect(driverDispose).toHaveBeenCalledTimes(1);
  });

  it('`await using` disposes a memory driver', async () => {
    await checkAsyncResource(
      () => createMemoryDriver(),
      async (driver) => {
        await expect(driver.get('k')).rejects.toSatisfy(isDisposed);
      },
    );
  });
});
