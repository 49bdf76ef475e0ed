import { createErrorFactory, type ScopedErrorFactory } from '@agenticgen/core';
import { type VectorErrorCode, vectorErrorCodes } from './error-codes.js';

export type { VectorErrorCode } from './error-codes.js';

/** Builds an AgenticGenError whose message starts with the `[vector]` scope (declared codes only, see error-codes.ts). */
export const vectorError: ScopedErrorFactory<VectorErrorCode> = createErrorFactory('vector', vectorErrorCodes);
