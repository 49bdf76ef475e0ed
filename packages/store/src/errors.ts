import { AgenticGenError, createErrorFactory, type ScopedErrorFactory } from '@agenticgen/core';
import { type StoreErrorCode, storeErrorCodes } from './error-codes.js';

export type { StoreErrorCode } from './error-codes.js';

/** Builds an AgenticGenError whose message starts with the `[store]` scope (declared codes only, see error-codes.ts). */
export const storeError: ScopedErrorFactory<StoreErrorCode> = createErrorFactory('store', storeErrorCodes);

/** Wraps a database error (ours pass through); a unique violation becomes `already-exists`. */
export function toStoreError(error: unknown, what: string): AgenticGenError {
  if (AgenticGenError.isInstance(error)) return error;
  const message = (error instanceof Error ? error.message : String(error)).slice(0, 300);
  if ((error as { code?: unknown } | null)?.code === '23505') {
    return storeError('already-exists', `${what}: ${message}`, { cause: error });
  }
  return storeError('store-failed', `${what} failed: ${message}`, { cause: error, retryable: true });
}
