import { AgenticGenError, type AgenticGenErrorOptions } from '@agenticgen/core';

/**
 * Codes this package adds to core's list (documented in docs/cache.md):
 * - `invalid-argument`   a key, TTL, tag or size is not acceptable;
 * - `invalid-config`     an option of `createCache` or a driver is not acceptable;
 * - `cache-entry-corrupt` an L2 entry failed its format or checksum check (it has been dropped);
 * - `cache-value-unsupported` a value cannot be stored (functions, symbols, BigInt, class instances…);
 * - `timeout`            an L2 operation did not answer within `l2TimeoutMs`;
 * - `disposed`           the cache or driver was disposed;
 * - `dependency-missing` the optional `ioredis` peer is not installed;
 * - `cache-l2-failed`    an L2 driver operation failed (wraps the driver's own error as `cause`);
 * - `cache-loader-failed` a negatively cached loader failure is being replayed;
 * - `invalid-response`   an embedder returned fewer vectors than asked for;
 * - `unsupported`        the runtime or driver lacks a capability (IndexedDB in Node, `clear` on a custom driver).
 */
export type CacheErrorCode =
  | 'invalid-argument'
  | 'invalid-config'
  | 'cache-entry-corrupt'
  | 'cache-value-unsupported'
  | 'timeout'
  | 'disposed'
  | 'dependency-missing'
  | 'cache-loader-failed'
  | 'cache-l2-failed'
  | 'unsupported'
  | 'invalid-response';

/** Builds an AgenticGenError whose message starts with the `[cache]` scope. */
export function cacheError(code: CacheErrorCode, message: string, options?: AgenticGenErrorOptions): AgenticGenError {
  return new AgenticGenError(code, `[cache] ${message}`, options);
}

/** Wraps anything thrown by a driver or a peer library so events always carry an AgenticGenError. */
export function toCacheError(error: unknown, what: string): AgenticGenError {
  if (AgenticGenError.isInstance(error)) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new AgenticGenError('cache-l2-failed', `[cache] ${what} failed: ${message}`, {
    cause: error,
    retryable: true,
  });
}
