import type { Labels } from '@agenticgen/core';
import { metricsError } from '../errors.js';

const metricNamePattern = /^[a-zA-Z_:][a-zA-Z0-9_.:/-]{0,254}$/;
// Dots are allowed so OpenTelemetry attribute names (`gen_ai.provider.name`) work; exposition turns them into `_`.
const labelNamePattern = /^[a-zA-Z_][a-zA-Z0-9_.]*$/;

/** Throws `invalid-metric-name` unless `name` is a valid OpenTelemetry / Prometheus instrument name. */
export function validateMetricName(name: string): void {
  if (typeof name !== 'string' || !metricNamePattern.test(name)) {
    throw metricsError(
      'invalid-metric-name',
      `invalid metric name ${JSON.stringify(name)}; use letters, digits, "_", ".", ":", "/", "-", starting with a letter, "_" or ":" (at most 255 characters)`,
      { name },
    );
  }
}

/** Throws `invalid-label` unless `name` is a usable label name for an instrument of the given kind. */
export function validateLabelName(name: string, metric: string, reserved: readonly string[]): void {
  if (typeof name !== 'string' || !labelNamePattern.test(name) || name.startsWith('__')) {
    throw metricsError(
      'invalid-label',
      `metric "${metric}": invalid label name ${JSON.stringify(name)}; use [a-zA-Z_][a-zA-Z0-9_.]* not starting with "__"`,
      { metric, label: name },
    );
  }
  if (reserved.includes(name)) {
    throw metricsError(
      'invalid-label',
      `metric "${metric}": label name "${name}" is reserved for this kind of metric`,
      {
        metric,
        label: name,
      },
    );
  }
}

/** The Prometheus form of a label name (`gen_ai.provider.name` → `gen_ai_provider_name`). */
export function exposedLabelName(name: string): string {
  return name.includes('.') ? name.replace(/\./g, '_') : name;
}

/** Escapes a label value per the Prometheus / OpenMetrics text formats (backslash, double quote, newline). */
export function escapeLabelValue(value: string): string {
  return /[\\"\n]/.test(value) ? value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n') : value;
}

/**
 * `a="x",b="y"` (no braces) for a label set, in the given name order; empty values are omitted. Built with
 * `join` so the result is one flat string (`+=` would keep a rope of pieces alive for every cached series).
 */
export function renderLabelText(names: readonly string[], labels: Labels): string {
  const parts: string[] = [];
  for (const name of names) {
    const value = labels[name];
    if (value === undefined || value === '') continue;
    parts.push(`${exposedLabelName(name)}="${escapeLabelValue(value)}"`);
  }
  return parts.join(',');
}

/** Counts own enumerable keys without allocating (Object.keys would allocate an array per call). */
export function countKeys(labels: Labels): number {
  let count = 0;
  for (const key in labels) if (Object.hasOwn(labels, key)) count++;
  return count;
}
