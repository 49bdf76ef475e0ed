import type { ErrorCodeTable } from '@agenticgen/core';

/** The codes `@agenticgen/store` throws: the source of `StoreErrorCode`, `storeError`'s defaults and docs/errors.md. */
export const storeErrorCodes = {
  'invalid-argument': { retryable: false, meaning: 'an id, metadata, message, cursor or page size is not acceptable' },
  'invalid-config': { retryable: false, meaning: 'an option of a driver factory is not acceptable' },
  'not-found': { retryable: false, meaning: 'the thread, suspension or ledger entry does not exist' },
  'already-exists': { retryable: false, meaning: 'a thread or suspension with that id exists' },
  conflict: {
    retryable: false,
    meaning: 'a stale checkpoint or a working-memory version mismatch (re-read, then write again)',
  },
  disposed: { retryable: false, meaning: 'the store was closed' },
  aborted: {
    retryable: false,
    meaning: "the caller's `signal` aborted an operation before it started (already aborted, or while it waited)",
  },
  'dependency-missing': {
    retryable: false,
    meaning: 'the optional `@electric-sql/pglite` or `pg` peer is not installed',
  },
  unsupported: { retryable: false, meaning: 'the runtime lacks what the driver needs (IndexedDB outside a browser)' },
  'store-schema-newer': { retryable: false, meaning: 'the database was migrated by a newer version of this package' },
  'store-failed': { retryable: true, meaning: 'the database failed (its error is the `cause`)' },
} as const satisfies ErrorCodeTable;

export type StoreErrorCode = keyof typeof storeErrorCodes;

declare module '@agenticgen/core' {
  /** Declares this package's codes, so `new AgenticGenError(code, …)` accepts them and nothing undeclared. */
  interface ErrorCodeRegistry extends Record<StoreErrorCode, true> {}
}
