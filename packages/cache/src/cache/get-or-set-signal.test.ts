import { AgenticGenError, type CacheStore } from '@agenticgen/core';
import { describe, expect, it, vi } from 'vitest';
import { createMemoryDriver } from '../drivers/memory.js';
import { createCache } from './tiered-cache.js';

const isAborted = (error: unknown) => AgenticGenError.hasCode(error, 'aborted');

/** A loader that waits until its signal aborts (then rejects like fetch does) or until `release` is called. */
function controllableLoader() {
  const signals: (AbortSignal | undefined)[] = [];
  const releases: ((value: string) => void)[] = [];
  const loader = vi.fn(
    ({ signal }: { signal?: AbortSignal }) =>
      new Promise<string>((resolve, reject) => {
        signals.push(signal);
        releases.push(resolve);
        signal?.addEventListener('abort', () => reject(signal.reason), { once: true });
      }),
  );
  return { loader, signals, release: (index: number, value: string) => releases[index]?.(value) };
}

describe('createCache: getOrSet with a signal', () => {
  it('passes the caller signal to the loader, and an abort rejects the caller with aborted', async () => {
    const cache = createCache({ l2: createMemoryDriver() });
    const { loader, signals } = controllableLoader();
    const controller = new AbortController();
    const pending = cache.getOrSet('k', loader, { signal: controller.signal });
    await vi.waitFor(() => expect(loader).toHaveBeenCalledTimes(1));
    expect(signals[0]).toBe(controller.signal);
    controller.abort();
    await expect(pending).rejects.toSatisfy(isAborted);
    expect(await cache.get('k')).toBeUndefined(); // nothing was stored
  });

  it('rejects at once for an already aborted signal without calling the loader', async () => {
    const cache = createCache();
    const loader = vi.fn(async () => 'value');
    await expect(cache.getOrSet('k', loader, { signal: AbortSignal.abort() })).rejects.toSatisfy(isAborted);
    expect(loader).not.toHaveBeenCalled();
  });

  it('stops only the waiting of a caller that joined, not the shared load', async () => {
    const cache = createCache();
    const { loader, release } = controllableLoader();
    const first = cache.getOrSet('k', loader);
    await vi.waitFor(() => expect(loader).toHaveBeenCalledTimes(1));
    const controller = new AbortController();
    const joined = cache.getOrSet('k', loader, { signal: controller.signal });
    controller.abort();
    await expect(joined).rejects.toSatisfy(isAborted);
    release(0, 'shared');
    expect(await first).toBe('shared');
    expect(loader).toHaveBeenCalledTimes(1);
  });

  it('re-joins one new shared load when the caller that started the load aborts it', async () => {
    const cache = createCache({ negativeTtlMs: 60_000 });
    const { loader, release } = controllableLoader();
    const controller = new AbortController();
    const starter = cache.getOrSet('k', loader, { signal: controller.signal });
    await vi.waitFor(() => expect(loader).toHaveBeenCalledTimes(1));
    const joined = Array.from({ length: 99 }, () => cache.getOrSet('k', loader));
    controller.abort();
    await expect(starter).rejects.toSatisfy(isAborted);
    await vi.waitFor(() => expect(loader).toHaveBeenCalledTimes(2));
    release(1, 'second');
    expect(new Set(await Promise.all(joined))).toEqual(new Set(['second']));
    expect(loader).toHaveBeenCalledTimes(2);
    // The cancelled load is not remembered as a failure (negative caching is on).
    expect(await cache.getOrSet('k', loader)).toBe('second');
  });

  it('rejects a signal that is not an AbortSignal with invalid-argument', async () => {
    const cache = createCache();
    const error = await cache
      .getOrSet('k', async () => 1, { signal: 'stop' as unknown as AbortSignal })
      .catch((caught: unknown) => caught);
    expect(AgenticGenError.hasCode(error, 'invalid-argument')).toBe(true);
  });

  it("honours the signal through core's CacheStore contract (what the model manager and memory program against)", async () => {
    const store: CacheStore = createCache({ l2: createMemoryDriver() });
    const { loader, signals } = controllableLoader();
    const controller = new AbortController();
    const pending = store.getOrSet('k', (context) => loader(context ?? {}), { signal: controller.signal, ttlMs: 1000 });
    await vi.waitFor(() => expect(signals).toHaveLength(1));
    expect(signals[0]).toBe(controller.signal);
    controller.abort();
    await expect(pending).rejects.toSatisfy(isAborted);
    expect(await store.has('k')).toBe(false);
  });
});
