import { createErrorFactory, type ScopedErrorFactory } from '@agenticgen/core';
import { type SandboxErrorCode, sandboxErrorCodes } from './error-codes.js';

export type { SandboxErrorCode } from './error-codes.js';

/** Builds an AgenticGenError whose message starts with the `[sandbox]` scope (declared codes only, see error-codes.ts). */
export const sandboxError: ScopedErrorFactory<SandboxErrorCode> = createErrorFactory('sandbox', sandboxErrorCodes);
