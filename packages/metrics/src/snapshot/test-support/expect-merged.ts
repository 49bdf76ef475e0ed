import { expect } from 'vitest';
import { formatPrometheus } from '../../exposition/prometheus.js';
import { createMetricsRegistry } from '../../registry/registry.js';
import type { HistogramSeriesSnapshot, ScalarSeriesSnapshot } from '../snapshot.js';

/** A host registry with its own counts, into which the workers' snapshots are attached. */
export function createHost() {
  const host = createMetricsRegistry();
  host.counter('tool.calls', { labelNames: ['tool'] }).add(5, { tool: 'search' });
  return host;
}

/** Asserts the host's merged view equals host + every worker's work. */
export function expectMerged(host: ReturnType<typeof createHost>, perWorker: Record<string, number>): void {
  const snapshot = host.collect();
  const family = (name: string) => snapshot.families.find((f) => f.name === name)!;
  const total = Object.values(perWorker).reduce((a, b) => a + b, 0);
  const calls = family('tool.calls').series as ScalarSeriesSnapshot[];
  const byTool = Object.fromEntries(calls.map((s) => [s.labels.tool, s.value]));
  const even = Object.values(perWorker).reduce((sum, n) => sum + Math.ceil(n / 2), 0);
  expect(byTool).toEqual({ search: even + 5, fetch: total - even });
  const perWorkerCalls = family('worker.calls').series as ScalarSeriesSnapshot[];
  expect(Object.fromEntries(perWorkerCalls.map((s) => [s.labels.worker, s.value]))).toEqual(perWorker);
  const latency = family('tool.duration').series[0] as HistogramSeriesSnapshot;
  expect(latency.count).toBe(total);
  expect((family('worker.busy').series[0] as ScalarSeriesSnapshot).value).toBe(0);
  expect(formatPrometheus(snapshot)).toContain(`tool_duration_seconds_count ${total}\n`);
}
