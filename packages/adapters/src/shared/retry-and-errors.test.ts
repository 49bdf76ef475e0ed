import { AgenticGenError, createEventBus } from '@agenticgen/core';
import { describe, expect, it, vi } from 'vitest';
import { createPriceTable, estimateCost, findPrice } from './pricing.js';
import { retryAfterFrom, toProviderError } from './provider-errors.js';
import { type RetryEvents, resolveRetryPolicy, retryDelayFor, withRetry } from './retry.js';

describe('retry policy', () => {
  const policy = resolveRetryPolicy({ maxRetries: 3, initialDelayMs: 1000, maxDelayMs: 3000, random: () => 1 });

  it('backs off exponentially with a cap and equal jitter', () => {
    const error = new AgenticGenError('server', 'x');
    expect([1, 2, 3].map((attempt) => retryDelayFor(error, attempt, policy))).toEqual([1000, 2000, 3000]);
    const low = resolveRetryPolicy({ initialDelayMs: 1000, random: () => 0 });
    expect(retryDelayFor(error, 1, low)).toBe(500);
    expect(retryDelayFor(error, 4, policy)).toBeUndefined();
  });

  it('honours Retry-After and refuses waits longer than maxRetryAfterMs', () => {
    const asked = new AgenticGenError('rate-limit', 'x', { data: { retryAfterMs: 7000 } });
    expect(retryDelayFor(asked, 1, policy)).toBe(7000);
    const tooLong = new AgenticGenError('rate-limit', 'x', { data: { retryAfterMs: 120_000 } });
    expect(retryDelayFor(tooLong, 1, policy)).toBeUndefined();
  });

  it('never retries non-retryable codes', () => {
    expect(retryDelayFor(new AgenticGenError('invalid-request', 'x'), 1, policy)).toBeUndefined();
    expect(retryDelayFor(new AgenticGenError('authentication', 'x'), 1, policy)).toBeUndefined();
  });

  it('stops waiting when the signal aborts', async () => {
    const controller = new AbortController();
    const real = resolveRetryPolicy({ initialDelayMs: 60_000 });
    const attempts: number[] = [];
    const pending = withRetry(
      async (attempt) => {
        attempts.push(attempt);
        throw new AgenticGenError('server', 'down');
      },
      real,
      controller.signal,
      'test',
    );
    setTimeout(() => controller.abort(), 20);
    await expect(pending).rejects.toMatchObject({ code: 'aborted' });
    expect(attempts).toEqual([0]);
  });

  it('announces retries on an event bus; a throwing listener or deprecated onRetry never fails the call', async () => {
    const events = createEventBus<RetryEvents>();
    const scheduled: number[] = [];
    const failures: string[] = [];
    events.on('retry-scheduled', (event) => {
      scheduled.push(event.attempt);
    });
    events.on('retry-scheduled', () => {
      throw new Error('broken metrics listener');
    });
    events.on('error', ({ error }) => failures.push(error.code));
    const logged: unknown[] = [];
    const console = vi.spyOn(globalThis.console, 'error').mockImplementation((...args) => logged.push(args));
    const retrying = resolveRetryPolicy({
      maxRetries: 2,
      sleep: async () => undefined,
      events,
      onRetry: () => {
        throw new Error('broken legacy callback');
      },
    });
    let calls = 0;
    const result = await withRetry(
      async () => {
        calls++;
        if (calls < 3) throw new AgenticGenError('server', 'down');
        return 'ok';
      },
      retrying,
      undefined,
      'test',
    );
    console.mockRestore();
    expect(result).toBe('ok');
    expect(scheduled).toEqual([1, 2]);
    expect(failures).toEqual(['listener-failed', 'listener-failed']);
    // The deprecated callback's bus has no `error` listener: its failures are logged.
    expect(logged).toHaveLength(2);
  });
});

describe('provider error mapping', () => {
  const sdkError = (status: number | undefined, error: unknown, headers?: Record<string, string>) =>
    Object.assign(new Error(`${status} status code`), { status, error, headers: new Headers(headers) });

  it.each([
    [401, {}, 'authentication'],
    [403, {}, 'permission-denied'],
    [404, {}, 'invalid-request'],
    [408, {}, 'timeout'],
    [422, {}, 'invalid-request'],
    [429, {}, 'rate-limit'],
    [500, {}, 'server'],
    [502, {}, 'server'],
    [503, {}, 'overloaded'],
    [529, {}, 'overloaded'],
    [400, { code: 'context_length_exceeded', message: 'too long' }, 'context-length'],
    [400, { type: 'invalid_request_error', message: 'content_policy_violation' }, 'content-filter'],
    [undefined, { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }, 'overloaded'],
  ])('status %s with body %j → %s', (status, body, code) => {
    expect(toProviderError(sdkError(status, body), 'openai').code).toBe(code);
  });

  it('keeps status, provider code and retry-after in data', () => {
    const error = toProviderError(
      sdkError(429, { message: 'slow down', code: 'rate_limit_exceeded' }, { 'retry-after': '3' }),
      'openai',
    );
    expect(error.message).toBe('[adapters:openai] slow down; slow down or raise the limit');
    expect(error.data).toMatchObject({
      provider: 'openai',
      status: 429,
      providerCode: 'rate_limit_exceeded',
      retryAfterMs: 3000,
    });
    expect(error.retryable).toBe(true);
  });

  it('treats a spent quota as a non-retryable rate limit', () => {
    const error = toProviderError(
      sdkError(429, { code: 'insufficient_quota', message: 'You exceeded your quota' }),
      'openai',
    );
    expect(error.code).toBe('rate-limit');
    expect(error.retryable).toBe(false);
  });

  it('reads Gemini errors from the message body, including RetryInfo', () => {
    const message = `got status: 429 Too Many Requests. ${JSON.stringify({
      error: {
        code: 429,
        message: 'Resource has been exhausted',
        status: 'RESOURCE_EXHAUSTED',
        details: [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '1.5s' }],
      },
    })}`;
    const error = toProviderError(Object.assign(new Error(message), { name: 'ApiError', status: 429 }), 'gemini');
    expect(error.code).toBe('rate-limit');
    expect(error.data?.retryAfterMs).toBe(1500);
  });

  it('maps transport failures', () => {
    expect(toProviderError(new TypeError('fetch failed'), 'x').code).toBe('network');
    expect(
      toProviderError(Object.assign(new Error('Request timed out.'), { name: 'APIConnectionTimeoutError' }), 'x').code,
    ).toBe('timeout');
    expect(toProviderError(new SyntaxError('Unexpected end of JSON input'), 'x').code).toBe('invalid-response');
    const ours = new AgenticGenError('aborted', 'x');
    expect(toProviderError(ours, 'x')).toBe(ours);
  });

  it('parses Retry-After as seconds, HTTP date and retry-after-ms', () => {
    expect(retryAfterFrom(new Headers({ 'retry-after-ms': '250' }))).toBe(250);
    expect(retryAfterFrom(new Headers({ 'retry-after': '2' }))).toBe(2000);
    const date = new Date(Date.now() + 10_000).toUTCString();
    const fromDate = retryAfterFrom(new Headers({ 'retry-after': date })) ?? 0;
    expect(fromDate).toBeGreaterThan(8000);
    expect(fromDate).toBeLessThanOrEqual(10_000);
    expect(retryAfterFrom(new Headers())).toBeUndefined();
  });
});

describe('price table', () => {
  it('finds exact, provider-qualified and snapshot-prefixed models', () => {
    const table = createPriceTable({ 'anthropic:claude-sonnet-4': { inputPerMillion: 4, outputPerMillion: 20 } });
    expect(findPrice(table, 'openai', 'gpt-4.1-mini')?.inputPerMillion).toBe(0.4);
    // Longest prefix wins: the mini snapshot must not be priced as gpt-4.1.
    expect(findPrice(table, 'openai', 'gpt-4.1-mini-2025-04-14')?.inputPerMillion).toBe(0.4);
    expect(findPrice(table, 'anthropic', 'claude-sonnet-4-20250514')?.inputPerMillion).toBe(4);
    expect(findPrice(table, 'openai', 'my-fine-tune')).toBeUndefined();
  });

  it('prices cached input at the cached rate', () => {
    const table = createPriceTable({ m: { inputPerMillion: 10, outputPerMillion: 20, cachedInputPerMillion: 1 } });
    const cost = estimateCost(table, 'x', 'm', {
      inputTokens: 1_000_000,
      cachedInputTokens: 500_000,
      outputTokens: 100_000,
      totalTokens: 1_100_000,
    });
    expect(cost).toBeCloseTo(5 + 0.5 + 2, 9);
  });
});
