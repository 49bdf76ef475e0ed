import { AgenticGenError, type AgenticGenErrorOptions } from '@agenticgen/core';

/**
 * Codes this package throws (documented in docs/store.md):
 * - `invalid-argument`   an id, metadata, message, cursor or page size is not acceptable (not retryable);
 * - `invalid-config`     an option of a driver factory is not acceptable;
 * - `not-found`          the thread, suspension or ledger entry does not exist;
 * - `already-exists`     a thread or suspension with that id exists;
 * - `conflict`           a stale checkpoint or a working-memory version mismatch (re-read and retry);
 * - `disposed`           the store was closed;
 * - `dependency-missing` the optional `@electric-sql/pglite` or `pg` peer is not installed;
 * - `unsupported`        the runtime lacks what the driver needs (IndexedDB outside a browser);
 * - `store-schema-newer` the database was migrated by a newer version of this package;
 * - `store-failed`       the database failed (wraps its error as `cause`; retryable).
 */
export type StoreErrorCode =
  | 'invalid-argument'
  | 'invalid-config'
  | 'not-found'
  | 'already-exists'
  | 'conflict'
  | 'disposed'
  | 'dependency-missing'
  | 'unsupported'
  | 'store-schema-newer'
  | 'store-failed';

/** Builds an AgenticGenError whose message starts with the `[store]` scope. */
export function storeError(code: StoreErrorCode, message: string, options?: AgenticGenErrorOptions): AgenticGenError {
  return new AgenticGenError(code, `[store] ${message}`, options);
}

/** Wraps a database error (ours pass through); a unique violation becomes `already-exists`. */
export function toStoreError(error: unknown, what: string): AgenticGenError {
  if (AgenticGenError.isInstance(error)) return error;
  const message = (error instanceof Error ? error.message : String(error)).slice(0, 300);
  if ((error as { code?: unknown } | null)?.code === '23505') {
    return storeError('already-exists', `${what}: ${message}`, { cause: error });
  }
  return storeError('store-failed', `${what} failed: ${message}`, { cause: error, retryable: true });
}
