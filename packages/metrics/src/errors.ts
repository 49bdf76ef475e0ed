import { type AgenticGenError, createErrorFactory } from '@agenticgen/core';
import { type MetricsErrorCode, metricsErrorCodes } from './error-codes.js';

export type { MetricsErrorCode } from './error-codes.js';

const scoped = createErrorFactory('metrics', metricsErrorCodes);

/** Builds an AgenticGenError whose message starts with the `[metrics]` scope (declared codes only, see error-codes.ts). */
export function metricsError(code: MetricsErrorCode, message: string, data?: Record<string, unknown>): AgenticGenError {
  return scoped(code, message, data === undefined ? {} : { data });
}
