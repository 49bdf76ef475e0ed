import { AgenticGenError } from '@agenticgen/core';

/**
 * Error codes of `@agenticgen/metrics` (documented in docs/metrics.md):
 * - `invalid-metric-name`   a metric name does not match `[a-zA-Z_:][a-zA-Z0-9_.:/-]*`;
 * - `invalid-label`         a label name is malformed or reserved, a value is not a string, or a label is unknown;
 * - `invalid-metric-value`  NaN, an infinity or a negative counter increment;
 * - `metric-conflict`       a name is already registered as another kind or with other label names / buckets;
 * - `invalid-argument`      bad options (buckets not ascending, quantiles out of range…);
 * - `invalid-snapshot`      a snapshot to merge is not one this package produced, or families disagree.
 */
export type MetricsErrorCode =
  | 'invalid-metric-name'
  | 'invalid-label'
  | 'invalid-metric-value'
  | 'metric-conflict'
  | 'invalid-argument'
  | 'invalid-snapshot';

export function metricsError(code: MetricsErrorCode, message: string, data?: Record<string, unknown>): AgenticGenError {
  return new AgenticGenError(code, `[metrics] ${message}`, data === undefined ? {} : { data });
}
