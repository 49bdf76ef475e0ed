import { AgenticGenError } from '@agenticgen/core';
import { describe, expect, it } from 'vitest';
import { resolveRetryPolicy, retryDelayFor, withRetry } from './retry.js';

/**
 * p-retry's own behaviour cases (sindresorhus/p-retry test.js), run against our retry, which replaced it only
 * where it is ahead (bench/retry.ts) and does what p-retry cannot: wait what a provider's Retry-After says.
 * `retryable: false` plays p-retry's AbortError; `onRetry` its onFailedAttempt.
 */
const retryable = (message: string) => new AgenticGenError('rate-limit', message, { retryable: true });
const noWait = { sleep: async () => undefined };

describe("withRetry against p-retry's cases", () => {
  it('retries until the operation succeeds and passes the attempt number', async () => {
    const attempts: number[] = [];
    const result = await withRetry(
      async (attempt) => {
        attempts.push(attempt);
        if (attempt < 2) throw retryable('fail');
        return 'ok';
      },
      resolveRetryPolicy({ maxRetries: 5, ...noWait }),
      undefined,
      'test',
    );
    expect(result).toBe('ok');
    expect(attempts).toEqual([0, 1, 2]);
  });

  it('gives up after the retries and rejects with the last error', async () => {
    let calls = 0;
    const failure = withRetry(
      async () => {
        calls++;
        throw retryable(`fail ${calls}`);
      },
      resolveRetryPolicy({ maxRetries: 2, ...noWait }),
      undefined,
      'test',
    );
    await expect(failure).rejects.toThrow('fail 3');
    expect(calls).toBe(3);
  });

  it('stops at once on an error marked not retryable (p-retry: AbortError) and on a non-AgenticGen error', async () => {
    for (const error of [new AgenticGenError('invalid-request', 'bad'), new TypeError('bug')]) {
      let calls = 0;
      const failure = withRetry(
        async () => {
          calls++;
          throw error;
        },
        resolveRetryPolicy({ maxRetries: 5, ...noWait }),
        undefined,
        'test',
      );
      await expect(failure).rejects.toBe(error);
      expect(calls).toBe(1);
    }
  });

  it('reports each failed attempt before its retry (p-retry: onFailedAttempt)', async () => {
    const seen: number[] = [];
    await withRetry(
      async (attempt) => {
        if (attempt < 2) throw retryable('fail');
        return 'ok';
      },
      resolveRetryPolicy({ maxRetries: 3, ...noWait, onRetry: (event) => seen.push(event.attempt) }),
      undefined,
      'test',
    );
    expect(seen).toEqual([1, 2]);
  });

  it('rejects with an abort error when the signal aborts while waiting, and makes no further attempt', async () => {
    const controller = new AbortController();
    let calls = 0;
    const failure = withRetry(
      async () => {
        calls++;
        throw retryable('fail');
      },
      resolveRetryPolicy({ maxRetries: 5, initialDelayMs: 60_000 }),
      controller.signal,
      'test',
    );
    controller.abort();
    await expect(failure).rejects.toSatisfy((error) => AgenticGenError.hasCode(error, 'aborted'));
    expect(calls).toBe(1);
  });

  it("waits p-retry's exponential schedule (factor 2, capped) when jitter draws its maximum", () => {
    const policy = resolveRetryPolicy({ maxRetries: 5, initialDelayMs: 1000, maxDelayMs: 5000, random: () => 1 });
    const error = retryable('fail');
    expect([1, 2, 3, 4].map((attempt) => retryDelayFor(error, attempt, policy))).toEqual([1000, 2000, 4000, 5000]);
  });
});
