import { AgenticGenError } from '@agenticgen/core';
import { describe, expect, it } from 'vitest';
import { formatOpenMetrics, formatPrometheus } from '../exposition/prometheus.js';
import { createMetricsRegistry, type MetricsRegistry } from './registry.js';

type Define = (registry: MetricsRegistry) => unknown;

const collisions: [string, Define, Define, string][] = [
  ['counter foo + counter foo_total', (r) => r.counter('foo'), (r) => r.counter('foo_total'), 'foo_total'],
  ['counter foo + gauge foo_total', (r) => r.counter('foo'), (r) => r.gauge('foo_total'), 'foo_total'],
  ['gauge x (unit s) + gauge x_seconds', (r) => r.gauge('x', { unit: 's' }), (r) => r.gauge('x_seconds'), 'x_seconds'],
  ['histogram h + gauge h_count', (r) => r.histogram('h'), (r) => r.gauge('h_count'), 'h_count'],
  ['histogram h + counter h_bucket', (r) => r.histogram('h'), (r) => r.counter('h_bucket'), 'h_bucket'],
  ['summary s + gauge s_sum', (r) => r.summary('s'), (r) => r.gauge('s_sum'), 's_sum'],
  ['counter c + gauge c (OpenMetrics family c)', (r) => r.counter('c_total'), (r) => r.upDownCounter('c'), 'c'],
];

function conflictOf(define: () => unknown): AgenticGenError | undefined {
  try {
    define();
  } catch (error) {
    if (AgenticGenError.isInstance(error)) return error;
    throw error;
  }
  return undefined;
}

describe('the registry refuses instruments whose exported names collide', () => {
  for (const [name, first, second, shared] of collisions) {
    it(`${name}, in either order`, () => {
      for (const [a, b] of [
        [first, second],
        [second, first],
      ] as const) {
        const registry = createMetricsRegistry();
        a(registry);
        const error = conflictOf(() => b(registry));
        expect(error?.code).toBe('metric-conflict');
        expect(error?.message).toContain(`"${shared}"`);
        expect(error?.message).toMatch(/^\[metrics\] /);
        expect(registry.instruments()).toHaveLength(1);
      }
    });
  }

  it('keeps accepting neighbours that export distinct names', () => {
    const registry = createMetricsRegistry();
    registry.counter('requests');
    registry.gauge('requests_in_flight');
    registry.histogram('latency', { unit: 's' });
    registry.gauge('latency_seconds_max');
    registry.summary('job');
    registry.gauge('job_total_ratio');
    registry.gauge('x', { unit: 's' });
    registry.gauge('x_milliseconds_ago');
    expect(registry.instruments()).toHaveLength(8);
    for (const text of [formatPrometheus(registry.collect()), formatOpenMetrics(registry.collect())]) {
      const families = [...text.matchAll(/^# TYPE (\S+)/gm)].map((match) => match[1]);
      expect(new Set(families).size).toBe(families.length);
    }
  });

  it('reserves the name of its own dropped-values counter', () => {
    const registry = createMetricsRegistry();
    expect(conflictOf(() => registry.gauge('agenticgen_metrics_dropped_values_total'))?.code).toBe('metric-conflict');
  });
});
