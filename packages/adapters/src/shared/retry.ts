import { AgenticGenError, abortErrorFrom, backoffDelay, createEventBus, delay, type EventBus } from '@agenticgen/core';

/** How failed provider calls are retried. The SDKs' own retries are switched off so this is the only policy. */
export interface RetryOptions {
  /** Retries after the first attempt (default 2; 0 disables retrying). */
  maxRetries?: number;
  /** First backoff step in milliseconds (default 500); doubles per attempt. */
  initialDelayMs?: number;
  /** Upper bound of one backoff wait in milliseconds (default 20 000). */
  maxDelayMs?: number;
  /**
   * Longest `Retry-After` the adapter waits for (default 60 000 ms); a longer one fails at once so the
   * model manager can fall back instead of stalling.
   */
  maxRetryAfterMs?: number;
  /** Random source in [0, 1) for jitter; inject a fixed one for deterministic tests. */
  random?: () => number;
  /** Sleeps `ms` or rejects when `signal` aborts; inject to test without waiting. */
  sleep?: (ms: number, signal: AbortSignal | undefined) => Promise<void>;
  /**
   * Where each scheduled retry is announced as a `retry-scheduled` event (logging, metrics): a bus from core's
   * `createEventBus<RetryEvents>()`, shared by as many models as you like. A throwing listener is reported on the
   * bus's `error` event (or logged), never thrown into the model call.
   */
  events?: EventBus<RetryEvents>;
  /**
   * Called before each retry with the error and the chosen delay.
   * @deprecated Listen to `retry-scheduled` on `events` instead. The callback now runs as a listener of an
   * internal bus, so a throw is logged as `listener-failed` instead of failing the call.
   */
  onRetry?: (event: RetryEvent) => void;
}

/** The retry events by name. */
export interface RetryEvents {
  /** A failed attempt will be retried after `delayMs`. */
  'retry-scheduled': RetryEvent;
}

/** One scheduled retry. */
export interface RetryEvent {
  /** 1 for the first retry. */
  attempt: number;
  /** The delay before the retry in milliseconds. */
  delayMs: number;
  /** The error that caused it. */
  error: AgenticGenError;
}

/** Resolved retry settings. */
export type RetryPolicy = Required<Omit<RetryOptions, 'onRetry' | 'events'>> & Pick<RetryOptions, 'onRetry'>;

export function resolveRetryPolicy(options: RetryOptions | false | undefined): RetryPolicy {
  const given = options === false ? { maxRetries: 0 } : (options ?? {});
  const policy: RetryPolicy = {
    maxRetries: given.maxRetries ?? 2,
    initialDelayMs: given.initialDelayMs ?? 500,
    maxDelayMs: given.maxDelayMs ?? 20_000,
    maxRetryAfterMs: given.maxRetryAfterMs ?? 60_000,
    random: given.random ?? Math.random,
    sleep: given.sleep ?? sleep,
  };
  const buses: EventBus<RetryEvents>[] = [];
  if (given.events !== undefined) buses.push(given.events);
  if (given.onRetry !== undefined) {
    const legacy = createEventBus<RetryEvents>();
    legacy.on('retry-scheduled', given.onRetry);
    buses.push(legacy);
  }
  if (buses.length > 0) {
    policy.onRetry = (event) => {
      for (const bus of buses) bus.emit('retry-scheduled', event);
    };
  }
  return policy;
}

/**
 * The delay before retry number `attempt` (1-based), or `undefined` when the error must not be retried.
 * Retry-After wins when the provider sent it; otherwise core's exponential backoff (doubling, equal jitter).
 */
export function retryDelayFor(error: AgenticGenError, attempt: number, policy: RetryPolicy): number | undefined {
  if (!error.retryable || attempt > policy.maxRetries) return undefined;
  const retryAfterMs = error.data?.retryAfterMs;
  if (typeof retryAfterMs === 'number') {
    return retryAfterMs <= policy.maxRetryAfterMs ? retryAfterMs : undefined;
  }
  const { initialDelayMs, maxDelayMs, random } = policy;
  return backoffDelay(attempt, { initialDelayMs, maxDelayMs, factor: 2, random });
}

/** Runs `attempt` until it succeeds, a non-retryable error occurs, or retries run out. */
export async function withRetry<T>(
  run: (attempt: number) => Promise<T>,
  policy: RetryPolicy,
  signal: AbortSignal | undefined,
  scope: string,
): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await run(attempt);
    } catch (error) {
      if (!AgenticGenError.isInstance(error)) throw error;
      if (signal?.aborted) throw abortErrorFrom(signal, scope);
      const delayMs = retryDelayFor(error, attempt + 1, policy);
      if (delayMs === undefined) throw error;
      policy.onRetry?.({ attempt: attempt + 1, delayMs, error });
      // A zero wait (Retry-After: 0) retries at once instead of paying a timer's minimum delay.
      if (delayMs > 0) await policy.sleep(delayMs, signal);
    }
  }
}

/** `setTimeout` as a promise that rejects with the abort error when `signal` fires (core's `delay`). */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return delay(ms, signal, 'adapters');
}
