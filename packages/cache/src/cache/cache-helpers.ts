import { AgenticGenError } from '@agenticgen/core';
import { cacheError } from '../errors.js';
import { assertDuration, assertTags, assertTtl } from '../validation.js';
import type { GetOrSetOptions } from './cache-types.js';
import type { L1Record } from './l1-store.js';

/** Small pure helpers of the tiered cache. */

export function validateSetOptions(options: GetOrSetOptions): void {
  if (typeof options !== 'object' || options === null) {
    throw cacheError('invalid-argument', 'options must be an object');
  }
  if (options.ttlMs !== undefined) assertTtl(options.ttlMs, 'ttlMs');
  if (options.staleWhileRevalidateMs !== undefined) {
    assertDuration(options.staleWhileRevalidateMs, 'staleWhileRevalidateMs');
  }
  if (options.negativeTtlMs !== undefined) assertTtl(options.negativeTtlMs, 'negativeTtlMs');
  if (options.tags !== undefined) assertTags(options.tags);
  if (options.signal !== undefined && typeof (options.signal as { aborted?: unknown } | null)?.aborted !== 'boolean') {
    throw cacheError('invalid-argument', 'signal must be an AbortSignal (e.g. new AbortController().signal)');
  }
}

export function serializeError(error: unknown): Record<string, unknown> {
  if (AgenticGenError.isInstance(error)) {
    const { stack: _stack, ...serialized } = error.toJSON();
    return serialized as Record<string, unknown>;
  }
  return { name: 'Error', message: error instanceof Error ? error.message : String(error) };
}

export function rethrow(serialized: unknown): never {
  const record = (typeof serialized === 'object' && serialized !== null ? serialized : {}) as Record<string, unknown>;
  if (record.name === 'AgenticGenError' && typeof record.code === 'string') {
    throw AgenticGenError.fromJSON(record as never);
  }
  throw cacheError(
    'cache-loader-failed',
    `the loader failed recently and the failure is cached: ${String(record.message)}`,
    {
      data: { cached: true },
    },
  );
}

export function ratio(part: number, whole: number): number {
  return whole === 0 ? 0 : part / whole;
}

export function emptyCounters() {
  return {
    l1Hits: 0,
    l1Misses: 0,
    l2Hits: 0,
    l2Misses: 0,
    loaderCalls: 0,
    loaderErrors: 0,
    evictions: 0,
    sets: 0,
    deletes: 0,
  };
}

export function isFresh(record: L1Record): boolean {
  return !record.negative && record.freshUntil > Date.now();
}
