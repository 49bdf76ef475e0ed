import { describe, expect, it } from 'vitest';
import {
  createMetricsFetchHandler,
  createMetricsRegistry,
  formatOpenMetrics,
  formatPrometheus,
  mergeSnapshots,
  negotiateFormat,
  prometheusName,
  snapshotFromJson,
} from '../index.js';

function sampleRegistry() {
  const registry = createMetricsRegistry({ defaultLabels: { service: 'api' } });
  registry
    .counter('http.requests', { description: 'Requests "served"\nper route \\ status', labelNames: ['route'] })
    .add(3, { route: 'say "hi"\n\\o/' });
  registry.counter('jobs_total', { description: 'Jobs.' }).add(2);
  const histogram = registry.histogram('http.duration', { unit: 's', buckets: [0.1, 1], description: 'Latency.' });
  histogram.record(0.05);
  histogram.record(0.5, undefined, { trace_id: '4bf92f3577b34da6' });
  histogram.record(3);
  registry.gauge('queue.depth', { unit: '{job}' }).set(4);
  registry.upDownCounter('memory.used', { unit: 'By' }).add(1024);
  registry.summary('job.latency', { unit: 's', quantiles: [0.5] }).record(2);
  return registry;
}

describe('Prometheus text format 0.0.4', () => {
  const text = formatPrometheus(sampleRegistry().collect());

  it('writes HELP and TYPE per family, escaping help and label values', () => {
    expect(text).toContain('# HELP http_requests_total Requests "served"\\nper route \\\\ status\n');
    expect(text).toContain('# TYPE http_requests_total counter\n');
    expect(text).toContain('http_requests_total{service="api",route="say \\"hi\\"\\n\\\\o/"} 3\n');
    expect(text).toContain('# TYPE jobs_total counter\njobs_total{service="api"} 2\n');
  });

  it('writes cumulative _bucket series up to +Inf, then _sum and _count', () => {
    expect(text).toContain(
      [
        '# HELP http_duration_seconds Latency.',
        '# TYPE http_duration_seconds histogram',
        'http_duration_seconds_bucket{service="api",le="0.1"} 1',
        'http_duration_seconds_bucket{service="api",le="1"} 2',
        'http_duration_seconds_bucket{service="api",le="+Inf"} 3',
        'http_duration_seconds_sum{service="api"} 3.55',
        'http_duration_seconds_count{service="api"} 3',
      ].join('\n'),
    );
    expect(text).not.toContain('trace_id');
  });

  it('maps units to suffixes, up-down counters to gauges, and writes summaries', () => {
    expect(text).toContain('# TYPE queue_depth gauge\nqueue_depth{service="api"} 4\n');
    expect(text).toContain('# TYPE memory_used_bytes gauge\nmemory_used_bytes{service="api"} 1024\n');
    expect(text).toContain('job_latency_seconds{service="api",quantile="0.5"} 2\n');
    expect(text).toContain('job_latency_seconds_count{service="api"} 1\n');
    expect(text).not.toContain('# EOF');
  });

  it('renders merged and JSON-revived snapshots the same as local ones', () => {
    const snapshot = sampleRegistry().collect();
    const revived = snapshotFromJson(JSON.stringify(snapshot));
    expect(formatPrometheus(revived)).toBe(text);
    expect(formatPrometheus(mergeSnapshots([structuredClone(snapshot)]))).toBe(text);
  });
});

describe('OpenMetrics 1.0', () => {
  const text = formatOpenMetrics(sampleRegistry().collect());

  it('names counter families without _total, samples with it, and ends with # EOF', () => {
    expect(text).toContain('# TYPE http_requests counter\n');
    expect(text).toContain('# HELP http_requests Requests \\"served\\"\\nper route \\\\ status\n');
    expect(text).toContain('http_requests_total{service="api",route="say \\"hi\\"\\n\\\\o/"} 3\n');
    expect(text).toContain('# TYPE jobs counter\n');
    expect(text.endsWith('\n# EOF\n')).toBe(true);
  });

  it('declares UNIT when the name carries it and attaches exemplars to buckets', () => {
    expect(text).toContain('# UNIT http_duration_seconds seconds\n');
    expect(text).toMatch(
      /http_duration_seconds_bucket\{service="api",le="1"\} 2 # \{trace_id="4bf92f3577b34da6"\} 0\.5 \d+\.\d{3}\n/,
    );
    expect(text).not.toContain('# UNIT queue_depth');
  });
});

describe('names and negotiation', () => {
  it('sanitises names and appends unit suffixes per the OpenTelemetry rules', () => {
    expect(prometheusName({ name: 'gen_ai.client.operation.duration', kind: 'histogram', unit: 's' })).toBe(
      'gen_ai_client_operation_duration_seconds',
    );
    expect(prometheusName({ name: 'gen_ai.client.token.usage', kind: 'histogram', unit: '{token}' })).toBe(
      'gen_ai_client_token_usage',
    );
    expect(prometheusName({ name: 'cache.hit_ratio', kind: 'gauge', unit: '1' })).toBe('cache_hit_ratio');
    expect(prometheusName({ name: 'net.io', kind: 'counter', unit: 'By/s' })).toBe('net_io_bytes_per_second');
    expect(prometheusName({ name: 'requests_total', kind: 'counter', unit: '' })).toBe('requests');
  });

  it('serves OpenMetrics only to scrapers that ask for it', () => {
    expect(negotiateFormat('application/openmetrics-text;version=1.0.0,text/plain;q=0.5')).toBe('openmetrics');
    expect(negotiateFormat('text/plain')).toBe('prometheus');
    expect(negotiateFormat(undefined)).toBe('prometheus');
  });

  it('answers fetch requests with the negotiated format, JSON on request, 405 otherwise', async () => {
    const registry = sampleRegistry();
    const handler = createMetricsFetchHandler(registry);
    const plain = handler(new Request('http://localhost/metrics'));
    expect(plain.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(await plain.text()).toBe(formatPrometheus(registry.collect()));
    const open = handler(
      new Request('http://localhost/metrics', { headers: { accept: 'application/openmetrics-text; version=1.0.0' } }),
    );
    expect(open.headers.get('content-type')).toBe('application/openmetrics-text; version=1.0.0; charset=utf-8');
    expect(await open.text()).toMatch(/# EOF\n$/);
    const json = createMetricsFetchHandler(registry, { format: 'json' })(new Request('http://localhost/metrics'));
    expect(snapshotFromJson(await json.text()).families.map((f) => f.name)).toContain('http.requests');
    expect(handler(new Request('http://localhost/metrics', { method: 'POST' })).status).toBe(405);
  });
});
