import { checkAsyncResource } from '@agenticgen/core/testing';
import { metrics } from '@opentelemetry/api';
import {
  AggregationTemporality,
  DataPointType,
  type Histogram,
  InMemoryMetricExporter,
  MeterProvider,
  MetricReader,
  PeriodicExportingMetricReader,
  type ResourceMetrics,
} from '@opentelemetry/sdk-metrics';
import { afterEach, describe, expect, it } from 'vitest';
import { bridgeToOpenTelemetry, createMetricsRegistry } from '../index.js';

class TestReader extends MetricReader {
  constructor() {
    super({ aggregationTemporalitySelector: () => AggregationTemporality.CUMULATIVE });
  }
  protected override async onForceFlush(): Promise<void> {}
  protected override async onShutdown(): Promise<void> {}
}

async function read(reader: TestReader) {
  const { resourceMetrics, errors } = await reader.collect();
  expect(errors).toEqual([]);
  return metricsByName(resourceMetrics);
}

function metricsByName(resourceMetrics: ResourceMetrics) {
  const out = new Map<string, ResourceMetrics['scopeMetrics'][number]['metrics'][number]>();
  for (const scope of resourceMetrics.scopeMetrics) {
    expect(scope.scope.name).toBe('@agenticgen/metrics');
    for (const metric of scope.metrics) out.set(metric.descriptor.name, metric);
  }
  return out;
}

describe('OpenTelemetry bridge', () => {
  afterEach(() => metrics.disable());

  it('reports counters, up-down counters, gauges and histograms through an SDK MeterProvider', async () => {
    const reader = new TestReader();
    const provider = new MeterProvider({ readers: [reader] });
    const registry = createMetricsRegistry();
    const calls = registry.counter('gen_ai.client.calls', { description: 'Calls.', labelNames: ['model'] });
    calls.add(2, { model: 'a' });
    const bridge = bridgeToOpenTelemetry(registry, { meterProvider: provider });
    calls.add(3, { model: 'a' });
    calls.add(1, { model: 'b' });
    registry.upDownCounter('inflight').add(-2);
    registry.gauge('queue.depth').set(9);
    const duration = registry.histogram('gen_ai.client.operation.duration', { unit: 's', buckets: [0.5, 1] });
    duration.record(0.2);
    duration.record(0.7);
    duration.record(4);

    const seen = await read(reader);
    const counter = seen.get('gen_ai.client.calls');
    expect(counter?.dataPointType).toBe(DataPointType.SUM);
    expect(counter?.descriptor.description).toBe('Calls.');
    const points = Object.fromEntries(counter!.dataPoints.map((p) => [p.attributes.model, p.value]));
    expect(points).toEqual({ a: 5, b: 1 });
    expect(seen.get('inflight')?.dataPoints[0]?.value).toBe(-2);
    expect(seen.get('queue.depth')?.dataPoints[0]?.value).toBe(9);
    const histogram = seen.get('gen_ai.client.operation.duration');
    expect(histogram?.descriptor.unit).toBe('s');
    const point = histogram!.dataPoints[0]!.value as Histogram;
    expect(point.buckets.boundaries).toEqual([0.5, 1]);
    expect(point.buckets.counts).toEqual([1, 1, 1]);
    expect(point.count).toBe(3);
    expect(point.sum).toBeCloseTo(4.9, 10);

    await checkAsyncResource(
      () => bridge,
      async () => {
        duration.record(0.1);
        const after = await read(reader);
        expect((after.get('gen_ai.client.operation.duration')!.dataPoints[0]!.value as Histogram).count).toBe(3);
      },
    );
    await provider.shutdown();
  });

  it('uses the MeterProvider registered globally with @opentelemetry/api, exporting through an in-memory exporter', async () => {
    const exporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
    const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 60_000 });
    const provider = new MeterProvider({ readers: [reader] });
    expect(metrics.setGlobalMeterProvider(provider)).toBe(true);
    const registry = createMetricsRegistry();
    bridgeToOpenTelemetry(registry);
    registry.counter('tool.calls', { labelNames: ['tool'] }).add(4, { tool: 'search' });
    registry.histogram('tool.duration', { unit: 's', buckets: [1] }).record(0.5);
    await reader.forceFlush();
    const exported = exporter.getMetrics().at(-1);
    expect(exported).toBeDefined();
    const seen = metricsByName(exported!);
    expect(seen.get('tool.calls')?.dataPoints[0]).toMatchObject({ attributes: { tool: 'search' }, value: 4 });
    expect((seen.get('tool.duration')!.dataPoints[0]!.value as Histogram).count).toBe(1);
    await provider.shutdown();
  });
});
