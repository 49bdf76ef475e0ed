import { AgenticGenError } from '@agenticgen/core';
import { describe, expect, it } from 'vitest';
import {
  createMetricsRegistry,
  type HistogramSeriesSnapshot,
  mergeSnapshots,
  QuantileSketch,
  type ScalarSeriesSnapshot,
  snapshotFromJson,
  snapshotToJson,
} from '../index.js';

function worker(id: string, requests: number, depth: number) {
  const registry = createMetricsRegistry();
  registry.counter('requests', { labelNames: ['route'] }).add(requests, { route: '/a' });
  registry.counter('requests').add(1, { route: id });
  registry.gauge('depth').set(depth);
  registry.gauge('peak', { aggregation: 'max' }).set(depth);
  const histogram = registry.histogram('latency', { buckets: [1, 10] });
  for (let i = 1; i <= 100; i++) histogram.record(id === 'w1' ? i / 10 : i);
  registry.summary('job').record(requests);
  return registry;
}

function family(snapshot: ReturnType<typeof mergeSnapshots>, name: string) {
  const found = snapshot.families.find((f) => f.name === name);
  if (found === undefined) throw new Error(`no family ${name}`);
  return found;
}

describe('mergeSnapshots', () => {
  it('adds counters, histograms and sketches and combines gauges by their rule', () => {
    const merged = mergeSnapshots([worker('w1', 3, 2).collect(), worker('w2', 4, 5).collect()]);
    const requests = family(merged, 'requests').series as ScalarSeriesSnapshot[];
    expect(requests.find((s) => s.labels.route === '/a')?.value).toBe(7);
    expect(requests.map((s) => s.labels.route).sort()).toEqual(['/a', 'w1', 'w2']);
    expect((family(merged, 'depth').series[0] as ScalarSeriesSnapshot).value).toBe(7);
    expect((family(merged, 'peak').series[0] as ScalarSeriesSnapshot).value).toBe(5);
    const latency = family(merged, 'latency').series[0] as HistogramSeriesSnapshot;
    expect(latency.count).toBe(200);
    expect(latency.bucketCounts).toEqual([11, 99, 90]);
    expect(latency.min).toBe(0.1);
    expect(latency.max).toBe(100);
    const sketch = QuantileSketch.fromSnapshot(latency.sketch!);
    expect(sketch.count).toBe(200);
    // Half the values are 0.1..10, half 1..100: the 75th percentile is about 50.
    expect(Math.abs(sketch.quantile(0.75) - 50) / 50).toBeLessThan(0.03);
  });

  it('host registries merge attached worker snapshots into collect() and can forget them', () => {
    const host = worker('host', 1, 1);
    host.attachSnapshot('w1', worker('w1', 10, 0).collect());
    host.attachSnapshot('w1', worker('w1', 20, 0).collect()); // replaces, does not add
    const requests = (family(host.collect(), 'requests').series as ScalarSeriesSnapshot[]).find(
      (s) => s.labels.route === '/a',
    );
    expect(requests?.value).toBe(21);
    expect(host.detachSnapshot('w1')).toBe(true);
    const local = (family(host.collect(), 'requests').series as ScalarSeriesSnapshot[]).find(
      (s) => s.labels.route === '/a',
    );
    expect(local?.value).toBe(1);
  });

  it('refuses snapshots that disagree on kind or buckets, and foreign objects', () => {
    const a = createMetricsRegistry();
    a.counter('x').add(1);
    a.histogram('h', { buckets: [1] }).record(1);
    const b = createMetricsRegistry();
    b.gauge('x').set(1);
    const c = createMetricsRegistry();
    c.histogram('h', { buckets: [2] }).record(1);
    const codes = [
      () => mergeSnapshots([a.collect(), b.collect()]),
      () => mergeSnapshots([a.collect(), c.collect()]),
      () => a.attachSnapshot('w', { hello: 'world' } as never),
      () => snapshotFromJson('{"format":"agenticgen-metrics","version":2,"families":[]}'),
    ].map((fn) => {
      try {
        fn();
        return 'no error';
      } catch (error) {
        return AgenticGenError.isInstance(error) ? error.code : String(error);
      }
    });
    expect(codes).toEqual(['invalid-snapshot', 'invalid-snapshot', 'invalid-snapshot', 'invalid-snapshot']);
  });

  it('survives structuredClone and JSON unchanged', () => {
    const snapshot = worker('w1', 3, 2).collect();
    const cloned = structuredClone(snapshot);
    expect(mergeSnapshots([cloned])).toEqual(mergeSnapshots([snapshot]));
    expect(snapshotFromJson(snapshotToJson(snapshot))).toEqual(JSON.parse(JSON.stringify(snapshot)));
  });
});
