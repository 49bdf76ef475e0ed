import { describe, expect, it } from 'vitest';
import { backoffDelay } from './backoff.js';

describe('backoffDelay', () => {
  it('grows by the factor from the initial delay up to the cap, without jitter when asked', () => {
    const options = { initialDelayMs: 100, factor: 3, maxDelayMs: 1000, jitter: false };
    expect([1, 2, 3, 4].map((attempt) => backoffDelay(attempt, options))).toEqual([100, 300, 900, 1000]);
  });

  it('keeps half of each delay fixed and spreads the other half with the injected random source', () => {
    const options = { initialDelayMs: 1000, maxDelayMs: 3000 };
    expect([1, 2, 3].map((attempt) => backoffDelay(attempt, { ...options, random: () => 0 }))).toEqual([
      500, 1000, 1500,
    ]);
    expect(backoffDelay(2, { ...options, random: () => 0.5 })).toBe(1500);
  });
});
