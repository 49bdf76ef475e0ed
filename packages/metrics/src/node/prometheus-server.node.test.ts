import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMetricsHandler, createMetricsRegistry } from '../index.node.js';
import { eventually, type RunningPrometheus, requireBinary, startPrometheus } from './test-support/prometheus-tools.js';

const binary = requireBinary('prometheus');

describe.skipIf(binary === undefined)('a real Prometheus server scraping the /metrics handler', () => {
  const registry = createMetricsRegistry({ defaultLabels: { service: 'agent' } });
  const requests = registry.counter('http.requests', { description: 'Requests.', labelNames: ['route'] });
  const duration = registry.histogram('http.duration', { unit: 's', buckets: [0.1, 1], description: 'Latency.' });
  const depth = registry.gauge('queue.depth', { description: 'Queue depth.' });
  const tricky = 'say "hi" \\ ✓';
  let server: Server;
  let prometheus: RunningPrometheus;

  beforeAll(async () => {
    requests.add(3, { route: '/a' });
    requests.add(1, { route: tricky });
    duration.record(0.05);
    duration.record(0.5, undefined, { trace_id: '4bf92f3577b34da6a3ce929d0e0e4736' });
    duration.record(5);
    depth.set(7);
    const negotiated = createMetricsHandler(registry);
    const text = createMetricsHandler(registry, { format: 'prometheus' });
    server = createServer((request, response) => {
      if (request.url === '/metrics') negotiated(request, response);
      else if (request.url === '/metrics-text') text(request, response);
      else response.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;
    prometheus = await startPrometheus(binary!, [
      { job: 'openmetrics', port, path: '/metrics' },
      { job: 'text', port, path: '/metrics-text' },
    ]);
  });

  afterAll(async () => {
    await prometheus?.stop();
    await new Promise<void>((resolve) => server?.close(() => resolve()));
  });

  it('scrapes both formats without errors', async () => {
    const targets = await eventually(async () => {
      const data = (await prometheus.api('/api/v1/targets')) as {
        activeTargets: { labels: { job: string }; health: string; lastError: string }[];
      };
      const up = data.activeTargets.filter((t) => t.health === 'up');
      return up.length === 2 ? data.activeTargets : undefined;
    });
    expect(targets.map((t) => [t.labels.job, t.lastError]).sort()).toEqual([
      ['openmetrics', ''],
      ['text', ''],
    ]);
  });

  it('stores the values, labels (escaped ones included) and histogram buckets', async () => {
    for (const job of ['openmetrics', 'text']) {
      const series = await eventually(async () => {
        const result = await prometheus.query(`http_requests_total{job="${job}"}`);
        return result.length === 2 ? result : undefined;
      });
      const byRoute = Object.fromEntries(series.map((s) => [s.metric.route, Number(s.value[1])]));
      expect(byRoute).toEqual({ '/a': 3, [tricky]: 1 });
      expect(series[0]?.metric.service).toBe('agent');
      const buckets = await prometheus.query(`http_duration_seconds_bucket{job="${job}"}`);
      const cumulative = Object.fromEntries(buckets.map((s) => [s.metric.le, Number(s.value[1])]));
      // Prometheus 2.x keeps `le` as written for text, and normalises it to a float string for OpenMetrics.
      expect(Object.values(cumulative).sort()).toEqual([1, 2, 3]);
      const [count] = await prometheus.query(`http_duration_seconds_count{job="${job}"}`);
      expect(Number(count?.value[1])).toBe(3);
      const [sum] = await prometheus.query(`http_duration_seconds_sum{job="${job}"}`);
      expect(Number(sum?.value[1])).toBeCloseTo(5.55, 10);
      const [gauge] = await prometheus.query(`queue_depth{job="${job}"}`);
      expect(Number(gauge?.value[1])).toBe(7);
    }
  });

  it('sees new values on later scrapes and computes quantiles from the buckets', async () => {
    requests.add(10, { route: '/a' });
    const updated = await eventually(async () => {
      const [one] = await prometheus.query('http_requests_total{job="text",route="/a"}');
      return Number(one?.value[1]) === 13 ? one : undefined;
    });
    expect(updated.metric.route).toBe('/a');
    const [p50] = await prometheus.query('histogram_quantile(0.5, http_duration_seconds_bucket{job="text"})');
    // 3 observations: 1 in (0, 0.1], 1 in (0.1, 1], 1 above; rank 1.5 falls halfway into (0.1, 1].
    expect(Number(p50?.value[1])).toBeCloseTo(0.55, 10);
  });

  it('keeps the exemplar sent in OpenMetrics', async () => {
    const now = Date.now() / 1000;
    const exemplars = await eventually(async () => {
      const data = (await prometheus.api(
        `/api/v1/query_exemplars?query=${encodeURIComponent('http_duration_seconds_bucket{job="openmetrics"}')}&start=${now - 600}&end=${now + 60}`,
      )) as { exemplars: { labels: Record<string, string>; value: string }[] }[];
      return data.length > 0 ? data : undefined;
    });
    const exemplar = exemplars[0]!.exemplars[0]!;
    expect(exemplar.labels.trace_id).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
    expect(Number(exemplar.value)).toBe(0.5);
  });
});
