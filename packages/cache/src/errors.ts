import { AgenticGenError, createErrorFactory, type ScopedErrorFactory } from '@agenticgen/core';
import { type CacheErrorCode, cacheErrorCodes } from './error-codes.js';

export type { CacheErrorCode } from './error-codes.js';

/** Builds an AgenticGenError whose message starts with the `[cache]` scope (declared codes only, see error-codes.ts). */
export const cacheError: ScopedErrorFactory<CacheErrorCode> = createErrorFactory('cache', cacheErrorCodes);

/** Wraps anything thrown by a driver or a peer library so events always carry an AgenticGenError. */
export function toCacheError(error: unknown, what: string): AgenticGenError {
  if (AgenticGenError.isInstance(error)) return error;
  const message = error instanceof Error ? error.message : String(error);
  return cacheError('cache-l2-failed', `${what} failed: ${message}`, { cause: error });
}
