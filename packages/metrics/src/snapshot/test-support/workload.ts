/** The workload each test worker runs: the same code in a worker_threads Worker and in a Web Worker. */
import { createMetricsRegistry } from '../../registry/registry.js';
import { reportSnapshots } from '../report.js';
import type { MetricsSnapshot } from '../snapshot.js';

export interface WorkloadRequest {
  id: string;
  requests: number;
}

/** Records `requests` tool calls and latencies, reporting snapshots every 10 ms and a final one at the end. */
export async function runWorkload(request: WorkloadRequest, post: (message: MetricsSnapshot) => void): Promise<void> {
  const registry = createMetricsRegistry();
  const calls = registry.counter('tool.calls', { labelNames: ['tool'] });
  const mine = registry.counter('worker.calls', { labelNames: ['worker'] }).bind({ worker: request.id });
  const latency = registry.histogram('tool.duration', { unit: 's', buckets: [0.01, 0.1, 1] });
  const busy = registry.gauge('worker.busy');
  const reporter = reportSnapshots(registry, post, { intervalMs: 10 });
  busy.set(1);
  for (let i = 0; i < request.requests; i++) {
    calls.add(1, { tool: i % 2 === 0 ? 'search' : 'fetch' });
    mine.add(1);
    latency.record((i % 100) / 100);
    // Yield now and then so periodic snapshots go out while work is in progress.
    if (i % 250 === 0) await new Promise((resolve) => setTimeout(resolve, 2));
  }
  busy.set(0);
  reporter.stop({ flush: true });
}
