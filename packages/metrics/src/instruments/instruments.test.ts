import { AgenticGenError } from '@agenticgen/core';
import { describe, expect, it } from 'vitest';
import { createMetricsRegistry, type MetricsWarning, type ScalarSeriesSnapshot } from '../index.js';

function seriesValue(registry: ReturnType<typeof createMetricsRegistry>, name: string, labels: Record<string, string>) {
  const family = registry.collect().families.find((f) => f.name === name);
  const series = family?.series.find((s) => JSON.stringify(s.labels) === JSON.stringify(labels));
  return (series as ScalarSeriesSnapshot | undefined)?.value;
}

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return AgenticGenError.isInstance(error) ? error.code : `not an AgenticGenError: ${String(error)}`;
  }
  return undefined;
}

describe('counter', () => {
  it('adds per label set, whatever the key order of the labels object', () => {
    const registry = createMetricsRegistry();
    const counter = registry.counter('requests', { labelNames: ['route', 'status'] });
    counter.add(1, { route: '/a', status: '200' });
    counter.add(2, { status: '200', route: '/a' });
    counter.add(undefined, { route: '/b', status: '500' });
    expect(seriesValue(registry, 'requests', { route: '/a', status: '200' })).toBe(3);
    expect(seriesValue(registry, 'requests', { route: '/b', status: '500' })).toBe(1);
    expect(counter.series).toHaveLength(2);
  });

  it('returns the very series object from bind() and from per-call labels', () => {
    const registry = createMetricsRegistry();
    const counter = registry.counter('requests', { labelNames: ['route'] });
    const bound = counter.bind({ route: '/a' });
    bound.add(5);
    counter.add(1, { route: '/a' });
    expect(counter.bind({ route: '/a' })).toBe(bound);
    expect(bound.value).toBe(6);
  });

  it('learns label names from the first label set when none are declared', () => {
    const registry = createMetricsRegistry();
    const counter = registry.counter('jobs');
    counter.add(1, { queue: 'a', kind: 'x' });
    expect(counter.labelNames).toEqual(['kind', 'queue']);
    counter.add(1, { kind: 'x', queue: 'a' });
    expect(seriesValue(registry, 'jobs', { kind: 'x', queue: 'a' })).toBe(2);
    expect(codeOf(() => counter.add(1, { queue: 'a', other: 'y' }))).toBe('invalid-label');
  });

  it('treats a missing label as empty and keeps one series for it', () => {
    const registry = createMetricsRegistry();
    const counter = registry.counter('c', { labelNames: ['a', 'b'] });
    counter.add(1, { a: 'x' });
    counter.add(1, { a: 'x', b: '' });
    counter.add(1);
    counter.add(1, {});
    expect(counter.series).toHaveLength(2);
    expect(seriesValue(registry, 'c', { a: 'x' })).toBe(2);
    expect(seriesValue(registry, 'c', {})).toBe(2);
  });

  it('rejects unknown labels and non-string values even when the known part matches a series', () => {
    const registry = createMetricsRegistry();
    const counter = registry.counter('c', { labelNames: ['a'] });
    counter.add(1, { a: 'x' });
    expect(codeOf(() => counter.add(1, { a: 'x', extra: 'y' }))).toBe('invalid-label');
    expect(codeOf(() => counter.add(1, { a: 5 } as unknown as Record<string, string>))).toBe('invalid-label');
    expect(seriesValue(registry, 'c', { a: 'x' })).toBe(1);
  });

  it('rejects NaN, infinities and negative increments with a clear error, leaving the series intact', () => {
    const registry = createMetricsRegistry();
    const counter = registry.counter('c');
    const bound = counter.bind();
    bound.add(2);
    for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, -1]) {
      let error: unknown;
      try {
        bound.add(bad);
      } catch (caught) {
        error = caught;
      }
      expect(AgenticGenError.hasCode(error, 'invalid-metric-value')).toBe(true);
      expect((error as Error).message).toMatch(/^\[metrics\] metric "c": counter increments must be finite and >= 0/);
    }
    expect(bound.value).toBe(2);
  });

  it('drops invalid values by option, counts them and warns once', () => {
    const warnings: MetricsWarning[] = [];
    const registry = createMetricsRegistry({ invalidValues: 'drop', onWarning: (w) => warnings.push(w) });
    const counter = registry.counter('c');
    counter.add(-1);
    counter.add(Number.NaN);
    counter.add(3);
    registry.histogram('h').record(Number.POSITIVE_INFINITY);
    expect(seriesValue(registry, 'c', {})).toBe(3);
    expect(registry.droppedValues).toBe(3);
    expect(warnings.filter((w) => w.type === 'value-dropped').map((w) => w.metric)).toEqual(['c', 'h']);
    const dropped = registry.collect().families.find((f) => f.name === 'agenticgen.metrics.dropped_values');
    expect(dropped?.series).toEqual([
      { labels: { metric: 'c' }, value: 2 },
      { labels: { metric: 'h' }, value: 1 },
    ]);
  });
});

describe('cardinality limit', () => {
  it('sends label sets past the limit to one overflow series and warns once', () => {
    const warnings: MetricsWarning[] = [];
    const registry = createMetricsRegistry({ cardinalityLimit: 3 });
    registry.on('warning', (w) => warnings.push(w));
    const counter = registry.counter('c', { labelNames: ['user'] });
    for (let i = 0; i < 10; i++) counter.add(1, { user: `u${i}` });
    counter.add(1, { user: 'u0' });
    const family = registry.collect().families[0]!;
    expect(family.series).toHaveLength(4);
    expect(seriesValue(registry, 'c', { otel_metric_overflow: 'true' })).toBe(7);
    expect(seriesValue(registry, 'c', { user: 'u0' })).toBe(2);
    expect(warnings).toEqual([{ type: 'cardinality-limit-reached', metric: 'c', limit: 3 }]);
  });

  it('defaults to 2000 series per instrument', () => {
    const registry = createMetricsRegistry();
    const gauge = registry.gauge('g', { labelNames: ['id'] });
    for (let i = 0; i < 2100; i++) gauge.set(i, { id: String(i) });
    expect(gauge.series).toHaveLength(2000);
    expect(registry.collect().families[0]!.series).toHaveLength(2001);
  });
});

describe('up-down counter and gauge', () => {
  it('goes up and down, and a gauge keeps the last value', () => {
    const registry = createMetricsRegistry();
    const inflight = registry.upDownCounter('inflight').bind();
    inflight.add(3);
    inflight.add(-5);
    const gauge = registry.gauge('depth', { labelNames: ['queue'] });
    gauge.set(4, { queue: 'a' });
    gauge.set(-2.5, { queue: 'a' });
    expect(inflight.value).toBe(-2);
    expect(seriesValue(registry, 'depth', { queue: 'a' })).toBe(-2.5);
    expect(codeOf(() => gauge.set(Number.NaN, { queue: 'a' }))).toBe('invalid-metric-value');
    expect(codeOf(() => inflight.add(Number.NEGATIVE_INFINITY))).toBe('invalid-metric-value');
  });
});

describe('histogram', () => {
  it('counts each value in the first bucket whose bound is >= it, with sum, count, min and max', () => {
    const registry = createMetricsRegistry();
    const histogram = registry.histogram('latency', { buckets: [1, 2, 5] });
    for (const value of [0.5, 1, 1.5, 2, 4.9, 5, 7, -3]) histogram.record(value);
    const series = histogram.bind().snapshot(false);
    expect(series.bucketCounts).toEqual([3, 2, 2, 1]);
    expect(series.count).toBe(8);
    expect(series.sum).toBeCloseTo(18.9, 10);
    expect(series.min).toBe(-3);
    expect(series.max).toBe(7);
  });

  it('finds buckets by binary search for long bucket lists, agreeing with the definition', () => {
    const registry = createMetricsRegistry();
    const bounds = Array.from({ length: 40 }, (_, i) => 2 ** (i - 20));
    const histogram = registry.histogram('wide', { buckets: bounds });
    const values = Array.from({ length: 500 }, (_, i) => 2 ** ((i % 50) - 25) * 1.3);
    for (const value of values) histogram.record(value);
    const expected = new Array(bounds.length + 1).fill(0);
    for (const value of values) {
      const index = bounds.findIndex((bound) => value <= bound);
      expected[index === -1 ? bounds.length : index]++;
    }
    expect(histogram.bind().snapshot(false).bucketCounts).toEqual(expected);
  });

  it('estimates quantiles within the sketch relative error', () => {
    const registry = createMetricsRegistry();
    const histogram = registry.histogram('latency', { unit: 's' }).bind();
    for (let i = 1; i <= 10_000; i++) histogram.record(i / 1000);
    for (const [q, exact] of [
      [0.5, 5.0005],
      [0.9, 9.0001],
      [0.99, 9.9001],
    ] as const) {
      expect(Math.abs(histogram.quantile(q) - exact) / exact).toBeLessThanOrEqual(0.0101);
    }
  });

  it('validates buckets and rejects non-finite observations', () => {
    const registry = createMetricsRegistry();
    expect(codeOf(() => registry.histogram('a', { buckets: [1, 1] }))).toBe('invalid-argument');
    expect(codeOf(() => registry.histogram('b', { buckets: [] }))).toBe('invalid-argument');
    expect(codeOf(() => registry.histogram('c', { labelNames: ['le'] }))).toBe('invalid-label');
    expect(codeOf(() => registry.histogram('d').record(Number.NaN))).toBe('invalid-metric-value');
  });

  it('keeps the latest exemplar per bucket', () => {
    const registry = createMetricsRegistry();
    const histogram = registry.histogram('latency', { buckets: [1] });
    histogram.record(0.5, undefined, { trace_id: 'a' });
    histogram.record(0.7, undefined, { trace_id: 'b' });
    histogram.record(3);
    const exemplars = histogram.bind().snapshot(false).exemplars;
    expect(exemplars?.[0]).toMatchObject({ labels: { trace_id: 'b' }, value: 0.7 });
    expect(exemplars?.[1]).toBeNull();
  });
});

describe('summary', () => {
  it('reports quantiles over a sliding window and cumulative sum and count', () => {
    let now = 0;
    const registry = createMetricsRegistry({ now: () => now });
    const summary = registry.summary('job', { maxAgeSeconds: 10, ageBuckets: 5 }).bind();
    for (let i = 1; i <= 100; i++) summary.record(1000 + i);
    expect(summary.quantile(0.5)).toBeGreaterThan(1040);
    now = 4000;
    for (let i = 1; i <= 100; i++) summary.record(i);
    // Both batches inside the 10 s window: the median sits between them.
    expect(summary.quantile(0.25)).toBeLessThan(101);
    expect(summary.quantile(0.75)).toBeGreaterThan(1000);
    now = 10_500;
    // The first batch (t=0) fell out of the window; the second (t=4 s) is still in.
    expect(summary.quantile(0.99)).toBeLessThan(101);
    now = 30_000;
    expect(Number.isNaN(summary.quantile(0.5))).toBe(true);
    expect(summary.count).toBe(200);
    expect(summary.sum).toBe(100 * 1000 + 5050 * 2);
  });

  it('validates its options', () => {
    const registry = createMetricsRegistry();
    expect(codeOf(() => registry.summary('a', { quantiles: [1.5] }))).toBe('invalid-argument');
    expect(codeOf(() => registry.summary('b', { ageBuckets: 0 }))).toBe('invalid-argument');
    expect(codeOf(() => registry.summary('c', { labelNames: ['quantile'] }))).toBe('invalid-label');
  });
});

describe('registry', () => {
  it('returns the same instrument for the same name and refuses conflicting definitions', () => {
    const registry = createMetricsRegistry();
    const counter = registry.counter('a', { labelNames: ['x'] });
    expect(registry.counter('a')).toBe(counter);
    expect(registry.counter('a', { labelNames: ['x'] })).toBe(counter);
    expect(codeOf(() => registry.counter('a', { labelNames: ['y'] }))).toBe('metric-conflict');
    expect(codeOf(() => registry.gauge('a'))).toBe('metric-conflict');
    registry.histogram('h', { buckets: [1, 2] });
    expect(codeOf(() => registry.histogram('h', { buckets: [1, 3] }))).toBe('metric-conflict');
    registry.counter('gen_ai.tokens');
    expect(codeOf(() => registry.counter('gen_ai_tokens'))).toBe('metric-conflict');
  });

  it('validates metric and label names', () => {
    const registry = createMetricsRegistry();
    expect(codeOf(() => registry.counter('1abc'))).toBe('invalid-metric-name');
    expect(codeOf(() => registry.counter('has space'))).toBe('invalid-metric-name');
    expect(codeOf(() => registry.counter('ok', { labelNames: ['bad-name'] }))).toBe('invalid-label');
    expect(codeOf(() => registry.counter('ok2', { labelNames: ['__reserved'] }))).toBe('invalid-label');
    expect(codeOf(() => registry.counter('ok3', { labelNames: ['a', 'a'] }))).toBe('invalid-label');
    expect(codeOf(() => createMetricsRegistry({ cardinalityLimit: 0 }))).toBe('invalid-argument');
  });

  it('adds default labels to every series and keeps registries independent', () => {
    const one = createMetricsRegistry({ defaultLabels: { service: 'api' } });
    const two = createMetricsRegistry();
    one.counter('c', { labelNames: ['x'] }).add(1, { x: '1' });
    two.counter('c').add(5);
    expect(one.collect().families[0]!.series[0]!.labels).toEqual({ service: 'api', x: '1' });
    expect(one.collect().families[0]!.labelNames).toEqual(['service', 'x']);
    expect(seriesValue(two, 'c', {})).toBe(5);
    expect(codeOf(() => one.counter('d', { labelNames: ['service'] }))).toBe('invalid-label');
  });
});

describe('label lookup without code generation (strict CSP)', () => {
  it('falls back to the generic lookup with the same behaviour', () => {
    const original = globalThis.Function;
    let refusals = 0;
    globalThis.Function = function refused() {
      refusals++;
      throw new EvalError('Refused to evaluate a string as JavaScript (unsafe-eval is not allowed)');
    } as unknown as FunctionConstructor;
    let counter: ReturnType<ReturnType<typeof createMetricsRegistry>['counter']>;
    const registry = createMetricsRegistry();
    try {
      counter = registry.counter('csp', { labelNames: ['gen_ai.tool.name', 'status'] });
    } finally {
      globalThis.Function = original;
    }
    expect(refusals).toBe(1);
    counter.add(1, { 'gen_ai.tool.name': 'search', status: 'ok' });
    counter.add(2, { status: 'ok', 'gen_ai.tool.name': 'search' });
    counter.add(1, { 'gen_ai.tool.name': 'search' });
    expect(counter.series).toHaveLength(2);
    expect(counter.bind({ 'gen_ai.tool.name': 'search', status: 'ok' }).value).toBe(3);
    expect(codeOf(() => counter.add(1, { 'gen_ai.tool.name': 'search', status: 'ok', extra: 'x' }))).toBe(
      'invalid-label',
    );
  });
});
