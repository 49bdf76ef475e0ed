import {
  createMetricsFetchHandler,
  createMetricsHistory,
  createMetricsPlugin,
  createMetricsRegistry,
  type HistorySeries,
  instrumentCodeSandbox,
} from '@agenticgen/metrics';
import type { MetricsService, MonitoringSample } from './types.ts';

/** Metric names the server records and the charts read. */
export const serverMetricNames = {
  requests: 'http_server_requests_total',
  requestDuration: 'http_server_request_duration_seconds',
  latency: 'agenticgen_server_request_latency_seconds',
  // Recorded by @agenticgen/metrics' plugin and sandbox wrapper (OpenTelemetry GenAI names):
  tokens: 'gen_ai.client.token.usage',
  cacheRequests: 'agenticgen.cache.requests',
  sandboxRuns: 'agenticgen.sandbox.run.duration',
  connections: 'agenticgen_gateway_connections',
  activeRuns: 'agenticgen_server_active_runs',
} as const;

/**
 * @agenticgen/metrics wired for the server: one registry (the `Meter` every part records into), the
 * Prometheus/OpenMetrics handler for `/metrics`, and a rolling history (one window of `sampleMs`, two
 * minutes deep by default) from which the monitoring charts are drawn — no time-series database needed.
 */
export function createMetricsService(options: { sampleMs: number; capacity?: number }): MetricsService {
  const registry = createMetricsRegistry({ invalidValues: 'drop', defaultLabels: { service: 'agenticgen-starter' } });
  const handler = createMetricsFetchHandler(registry);
  const history = createMetricsHistory(registry, {
    windows: [options.sampleMs],
    capacity: options.capacity ?? Math.max(60, Math.round(120_000 / options.sampleMs)),
    quantiles: [0.5, 0.95, 0.99],
  });
  registry.histogram(serverMetricNames.latency, { description: 'HTTP request latency (all routes)', unit: 's' });
  const connections = registry.gauge(serverMetricNames.connections, { description: 'Open WebSocket connections' });
  const activeRuns = registry.gauge(serverMetricNames.activeRuns, { description: 'In-flight runs' });
  connections.set(0);
  activeRuns.set(0);
  const callbacks: Array<() => void> = [];
  const timer = setInterval(() => {
    for (const callback of callbacks) callback();
    history.tick();
  }, options.sampleMs);
  timer.unref();
  history.tick();

  const window = options.sampleMs;
  return {
    meter: registry,
    handle: handler,
    onSample(callback) {
      callbacks.push(callback);
    },
    createPlugin: (caches) => createMetricsPlugin({ registry, caches }),
    instrumentSandbox: (sandbox) => instrumentCodeSandbox(sandbox, registry, 'python'),
    history() {
      const requests = byTime(history.query(serverMetricNames.requests, { window }), (point) => point.rate ?? 0);
      // A token histogram's `delta` is the sum of its observations in the window: tokens, not calls.
      const tokens = byTime(
        history.query(serverMetricNames.tokens, { window }),
        (point) => (point.delta ?? 0) / (window / 1000),
      );
      const sandbox = byTime(history.query(serverMetricNames.sandboxRuns, { window }), (point) => point.rate ?? 0);
      const cacheReads = (result: string) =>
        byTime(
          history.query(serverMetricNames.cacheRequests, { window, labels: { 'cache.result': result } }),
          (point) => point.delta ?? 0,
        );
      const hits = cacheReads('hit');
      const misses = cacheReads('miss');
      const socketSeries = byTime(history.query(serverMetricNames.connections, { window }), (point) => point.value);
      const runSeries = byTime(history.query(serverMetricNames.activeRuns, { window }), (point) => point.value);
      const latency = new Map<number, Record<string, number>>();
      for (const series of history.query(serverMetricNames.latency, { window })) {
        for (const point of series.points) latency.set(point.timestamp, point.quantiles ?? {});
      }
      const times = [...new Set([...socketSeries.keys(), ...latency.keys()])].sort((a, b) => a - b);
      return times.map((time): MonitoringSample => {
        const quantiles = latency.get(time) ?? {};
        const hit = hits.get(time) ?? 0;
        const miss = misses.get(time) ?? 0;
        return {
          time,
          requestRate: requests.get(time) ?? 0,
          latencyP50: milliseconds(quantiles['0.5']),
          latencyP95: milliseconds(quantiles['0.95']),
          latencyP99: milliseconds(quantiles['0.99']),
          tokenRate: tokens.get(time) ?? 0,
          cacheHitRatio: hit + miss === 0 ? null : hit / (hit + miss),
          sandboxRunRate: sandbox.get(time) ?? 0,
          connections: socketSeries.get(time) ?? 0,
          activeRuns: runSeries.get(time) ?? 0,
        };
      });
    },
    async dispose() {
      clearInterval(timer);
      history.stop();
    },
  };
}

/** Sums one figure of every series per timestamp. */
function byTime(
  series: HistorySeries[],
  figure: (point: HistorySeries['points'][number]) => number,
): Map<number, number> {
  const sums = new Map<number, number>();
  for (const one of series) {
    for (const point of one.points) {
      const value = figure(point);
      sums.set(point.timestamp, (sums.get(point.timestamp) ?? 0) + (Number.isFinite(value) ? value : 0));
    }
  }
  return sums;
}

function milliseconds(seconds: number | undefined): number {
  return seconds === undefined || !Number.isFinite(seconds) ? 0 : seconds * 1000;
}
