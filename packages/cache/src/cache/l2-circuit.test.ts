import { AgenticGenError } from '@agenticgen/core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CacheEvents } from './events.js';
import { faultyDriver } from './test-support/faulty-driver.js';
import { createCache } from './tiered-cache.js';

const timeoutMs = 50;
const retryAfterMs = 1000;

/** A cache over an L2 that stalls (every operation hangs), with the timeouts it reported. */
function stalledCache(failureThreshold = 2) {
  const { driver, state, inner } = faultyDriver();
  const cache = createCache({ l2: driver, l2TimeoutMs: timeoutMs, l2Circuit: { failureThreshold, retryAfterMs } });
  const errors: CacheEvents['cache-error'][] = [];
  cache.on('cache-error', (event) => errors.push(event));
  state.mode = 'hang';
  const timeouts = () => errors.filter((event) => AgenticGenError.hasCode(event.error, 'timeout')).length;
  return { cache, state, inner, errors, timeouts };
}

/** Settles `operation` under fake timers, letting L2 time limits pass; returns the fake time it took. */
async function timed(operation: Promise<unknown>): Promise<number> {
  const started = Date.now();
  let settledAt: number | undefined;
  const settle = () => {
    settledAt = Date.now();
  };
  operation.then(settle, settle);
  while (settledAt === undefined) await vi.advanceTimersByTimeAsync(1);
  return settledAt - started;
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('the L2 circuit breaker', () => {
  it('covers writes: once open, set, delete and invalidateTags skip a stalled L2 instead of waiting', async () => {
    const { cache, state, timeouts } = stalledCache(2);
    expect(await timed(cache.set('a', 1))).toBeGreaterThanOrEqual(timeoutMs);
    expect(await timed(cache.set('b', 2))).toBeGreaterThanOrEqual(timeoutMs);
    const calls = state.calls;
    expect(await timed(cache.set('c', 3))).toBe(0);
    expect(await timed(cache.delete('a'))).toBe(0);
    expect(await timed(cache.invalidateTags(['t']))).toBe(0);
    expect(await timed(cache.getOrSet('d', async () => 4))).toBe(0); // a miss no longer pays two timeouts
    expect(state.calls).toBe(calls);
    expect(timeouts()).toBe(2);
    expect(cache.getSync('c')).toBe(3); // L1 still serves this process
    expect(cache.stats().l2.skipped).toBeGreaterThanOrEqual(4);
  });

  it('lets one half-open probe decide after retryAfterMs, whatever the number of callers', async () => {
    const { cache, state, inner } = stalledCache(2);
    await timed(cache.get('x'));
    await timed(cache.get('y'));
    await vi.advanceTimersByTimeAsync(retryAfterMs);
    const calls = state.calls;
    const reads = Array.from({ length: 10 }, (_, index) => cache.get(`k${index}`));
    const writes = Array.from({ length: 10 }, (_, index) => cache.set(`w${index}`, index));
    await timed(Promise.all([...reads, ...writes]));
    expect(state.calls).toBe(calls + 1); // the probe, which timed out
    expect(await timed(cache.get('z'))).toBe(0); // a failed probe opens the circuit again at once
    expect(state.calls).toBe(calls + 1);

    state.mode = 'ok';
    await inner.set('default:k:back', { value: 'again', createdAt: Date.now() });
    await vi.advanceTimersByTimeAsync(retryAfterMs);
    expect(await cache.get('back')).toBe('again'); // a successful probe closes it
    await cache.set('after', 1);
    expect((await inner.get('default:k:after'))?.value).toBe(1);
  });

  it('keeps a sequential caller on the fast path during a stall: one timeout per retry period', async () => {
    const threshold = 5;
    const { cache, timeouts } = stalledCache(threshold);
    const periods = 10;
    const durations: number[] = [];
    const end = Date.now() + periods * retryAfterMs;
    for (let index = 0; Date.now() < end; index++) {
      durations.push(await timed(cache.get(`k${index}`)));
      await vi.advanceTimersByTimeAsync(10); // the caller's own work between reads
    }
    // The first `threshold` reads open the circuit; after that one probe per period pays the timeout.
    expect(timeouts()).toBeLessThanOrEqual(threshold + periods);
    const sorted = durations.slice().sort((a, b) => a - b);
    expect(sorted[Math.floor(sorted.length / 2)]).toBe(0);
  });
});
