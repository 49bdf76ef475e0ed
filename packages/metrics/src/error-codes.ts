import type { ErrorCodeTable } from '@agenticgen/core';

/** The codes `@agenticgen/metrics` throws: the source of `MetricsErrorCode`, `metricsError`'s defaults and docs/errors.md. */
export const metricsErrorCodes = {
  'invalid-metric-name': { retryable: false, meaning: 'a metric name does not match `[a-zA-Z_:][a-zA-Z0-9_.:/-]*`' },
  'invalid-label': {
    retryable: false,
    meaning: 'a label name is malformed or reserved, a value is not a string, or a label is unknown',
  },
  'invalid-metric-value': { retryable: false, meaning: 'NaN, an infinity or a negative counter increment' },
  'metric-conflict': {
    retryable: false,
    meaning: 'a name is already registered as another kind or with other label names / buckets',
  },
  'invalid-argument': { retryable: false, meaning: 'bad options (buckets not ascending, quantiles out of range…)' },
  'invalid-snapshot': {
    retryable: false,
    meaning: 'a snapshot to merge is not one this package produced, or families disagree',
  },
} as const satisfies ErrorCodeTable;

export type MetricsErrorCode = keyof typeof metricsErrorCodes;

declare module '@agenticgen/core' {
  /** Declares this package's codes, so `new AgenticGenError(code, …)` accepts them and nothing undeclared. */
  interface ErrorCodeRegistry extends Record<MetricsErrorCode, true> {}
}
