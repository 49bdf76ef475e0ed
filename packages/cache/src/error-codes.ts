import type { ErrorCodeTable } from '@agenticgen/core';

/** The codes `@agenticgen/cache` throws: the source of `CacheErrorCode`, `cacheError`'s defaults and docs/errors.md. */
export const cacheErrorCodes = {
  'invalid-argument': { retryable: false, meaning: 'a key, TTL, tag or size is not acceptable' },
  'invalid-config': { retryable: false, meaning: 'an option of `createCache` or a driver is not acceptable' },
  'cache-entry-corrupt': {
    retryable: false,
    meaning: 'an L2 entry failed its format or checksum check (it has been dropped)',
  },
  'cache-value-unsupported': {
    retryable: false,
    meaning: 'a value cannot be stored (functions, symbols, BigInt, class instances…)',
  },
  timeout: { retryable: true, meaning: 'an L2 operation did not answer within `l2TimeoutMs`' },
  aborted: {
    retryable: false,
    meaning: "the caller's `signal` aborted a loader call (`getOrSet`/`wrap`) while it waited",
  },
  disposed: { retryable: false, meaning: 'the cache or driver was disposed' },
  'dependency-missing': { retryable: false, meaning: 'the optional `ioredis` peer is not installed' },
  'cache-loader-failed': { retryable: false, meaning: 'a negatively cached loader failure is being replayed' },
  'cache-l2-failed': { retryable: true, meaning: "an L2 driver operation failed (the driver's error is the `cause`)" },
  unsupported: {
    retryable: false,
    meaning: 'the runtime or driver lacks a capability (IndexedDB in Node, `clear` on a custom driver)',
  },
  'invalid-response': { retryable: false, meaning: 'an embedder returned fewer vectors than asked for' },
} as const satisfies ErrorCodeTable;

export type CacheErrorCode = keyof typeof cacheErrorCodes;

declare module '@agenticgen/core' {
  /** Declares this package's codes, so `new AgenticGenError(code, …)` accepts them and nothing undeclared. */
  interface ErrorCodeRegistry extends Record<CacheErrorCode, true> {}
}
