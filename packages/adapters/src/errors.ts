import { createErrorFactory, type ScopedErrorFactory } from '@agenticgen/core';
import { type AdaptersErrorCode, adaptersErrorCodes } from './error-codes.js';

export type { AdaptersErrorCode } from './error-codes.js';

/** Builds an AgenticGenError whose message starts with the `[adapters]` scope (declared codes only, see error-codes.ts). */
export const adaptersError: ScopedErrorFactory<AdaptersErrorCode> = createErrorFactory('adapters', adaptersErrorCodes);
