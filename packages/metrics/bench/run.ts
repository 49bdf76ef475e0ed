/**
 * Benchmarks of @agenticgen/metrics against prom-client and the OpenTelemetry SDK (with a reader attached), and
 * of its quantile sketch against the reference DDSketch (@datadog/sketches-js), all in this process. Writes bench/results.json. Run with `npm run bench -w packages/metrics`.
 * Label sets and values are generated before timing; every timed function performs `batch` operations and
 * the figure is divided by `batch`, so the harness overhead does not dominate nanosecond-scale operations.
 */
import { writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { DDSketch } from '@datadog/sketches-js';
import { AggregationTemporality, MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import { do_not_optimize, measure } from 'mitata';
import client from 'prom-client';
import { loadMetrics } from './load.ts';

const quick = process.argv.includes('--quick');
const metrics = await loadMetrics();
const batch = 100;
const measureOptions = { min_cpu_time: (quick ? 100 : 600) * 1e6, warmup_samples: 64 };
const labelNames = ['model', 'provider', 'operation', 'status'] as const;

/** 64 label sets of 4 labels, as a busy service would see. */
const labelSets = Array.from({ length: 64 }, (_, i) => ({
  model: `model-${i % 4}`,
  provider: `provider-${i % 2}`,
  operation: `op-${(i >> 2) % 4}`,
  status: `${200 + (i >> 4)}`,
}));
const labelValues = labelSets.map((l) => [l.model, l.provider, l.operation, l.status] as const);
const observations = Float64Array.from({ length: 1024 }, (_, i) => ((i * 7919) % 1000) / 250);

/** A reader attached to the OTel provider; its cardinality limit is raised from OTel's default 2,000 to match ours. */
class BenchReader extends MetricReader {
  constructor() {
    super({
      aggregationTemporalitySelector: () => AggregationTemporality.CUMULATIVE,
      cardinalitySelector: () => 20_000,
    });
  }
  protected override async onForceFlush(): Promise<void> {}
  protected override async onShutdown(): Promise<void> {}
}

async function perOp(fn: () => void): Promise<number> {
  const stats = await measure(fn, measureOptions);
  return stats.avg / batch;
}

interface Figure {
  name: string;
  unit: 'ns/op' | 'ms' | 'MB' | 'ratio';
  ours: number;
  peers: Record<string, number>;
}
const figures: Figure[] = [];
function report(figure: Figure): void {
  figures.push(figure);
  const ratios = Object.entries(figure.peers)
    .map(([peer, value]) => `${peer} ${value.toPrecision(3)} (${(value / figure.ours).toFixed(1)}x)`)
    .join(', ');
  console.log(`${figure.name}: ours ${figure.ours.toPrecision(3)} ${figure.unit}; ${ratios}`);
}

function tenThousandLabelSets(): { model: string; provider: string; operation: string; status: string }[] {
  const out = [];
  for (let i = 0; i < 10_000; i++) {
    out.push({
      model: `m${i % 10}`,
      provider: `p${Math.floor(i / 10) % 10}`,
      operation: `o${Math.floor(i / 100) % 10}`,
      status: `s${Math.floor(i / 1000)}`,
    });
  }
  return out;
}
const manyLabels = tenThousandLabelSets();
// ---------------------------------------------------------------- bytes-per-series
const gc = (globalThis as { gc?: () => void }).gc;
function heap(): number {
  gc?.();
  gc?.();
  const usage = process.memoryUsage();
  return usage.heapUsed + usage.external;
}
/**
 * Median over 3 runs of the retained heap + array buffer growth per series. Each call passes a fresh label
 * object, as a call site with an object literal does: a library that keeps the caller's object pays for it.
 */
async function bytesPerSeries(build: () => unknown): Promise<number> {
  const samples: number[] = [];
  for (let run = 0; run < 3; run++) {
    const before = heap();
    const kept = await build();
    const after = heap();
    do_not_optimize(kept);
    samples.push((after - before) / manyLabels.length);
  }
  return samples.sort((a, b) => a - b)[1]!;
}
if (gc === undefined) console.warn('!!! run with --expose-gc for bytes-per-series (npm run bench does)');
{
  const ours = await bytesPerSeries(() => {
    const registry = metrics.createMetricsRegistry({ cardinalityLimit: 20_000 });
    const counter = registry.counter('bench.requests', { labelNames });
    for (const labels of manyLabels) counter.add(1, { ...labels });
    return registry;
  });
  const prom = await bytesPerSeries(() => {
    const registry = new client.Registry();
    const counter = new client.Counter({ name: 'bench_requests_total', help: 'h', labelNames, registers: [registry] });
    for (const labels of manyLabels) counter.inc({ ...labels });
    return registry;
  });
  const otel = await bytesPerSeries(async () => {
    const reader = new BenchReader();
    const provider = new MeterProvider({ readers: [reader] });
    const counter = provider.getMeter('bench').createCounter('bench.requests', {});
    for (const labels of manyLabels) counter.add(1, { ...labels });
    await reader.collect();
    return provider;
  });
  // results.json allows ns/op, ms, ops/s, MB and ratio, so memory per series is in MB (×1e6 = bytes).
  console.log(
    `bytes-per-series in bytes: ours ${ours.toFixed(0)}, prom-client ${prom.toFixed(0)}, OTel ${otel.toFixed(0)}`,
  );
  report({
    name: 'bytes-per-series',
    unit: 'MB',
    ours: ours / 1e6,
    peers: { 'prom-client': prom / 1e6, '@opentelemetry/sdk-metrics': otel / 1e6 },
  });
}

// ---------------------------------------------------------------- counter-inc-bound
{
  const registry = metrics.createMetricsRegistry();
  const ours = registry.counter('bench.requests', { labelNames }).bind(labelSets[0]);
  const promRegistry = new client.Registry();
  const prom = new client.Counter({ name: 'bench_requests_total', help: 'h', labelNames, registers: [promRegistry] });
  const promChild = prom.labels(...labelValues[0]!);
  const provider = new MeterProvider({ readers: [new BenchReader()] });
  const otel = provider.getMeter('bench').createCounter('bench.requests');
  const otelLabels = labelSets[0]!;
  report({
    name: 'counter-inc-bound',
    unit: 'ns/op',
    ours: await perOp(() => {
      for (let i = 0; i < batch; i++) ours.add(1);
    }),
    peers: {
      'prom-client': await perOp(() => {
        const [a, b, c, d] = labelValues[0]!;
        for (let i = 0; i < batch; i++) prom.labels(a, b, c, d).inc();
      }),
      'prom-client (child kept)': await perOp(() => {
        for (let i = 0; i < batch; i++) promChild.inc();
      }),
      '@opentelemetry/sdk-metrics': await perOp(() => {
        for (let i = 0; i < batch; i++) otel.add(1, otelLabels);
      }),
    },
  });
}

// ---------------------------------------------------------------- counter-inc-4-labels
{
  const registry = metrics.createMetricsRegistry();
  const ours = registry.counter('bench.requests', { labelNames });
  const promRegistry = new client.Registry();
  const prom = new client.Counter({ name: 'bench_requests_total', help: 'h', labelNames, registers: [promRegistry] });
  const provider = new MeterProvider({ readers: [new BenchReader()] });
  const otel = provider.getMeter('bench').createCounter('bench.requests');
  let k = 0;
  report({
    name: 'counter-inc-4-labels',
    unit: 'ns/op',
    ours: await perOp(() => {
      for (let i = 0; i < batch; i++) ours.add(1, labelSets[k++ & 63]);
    }),
    peers: {
      'prom-client': await perOp(() => {
        for (let i = 0; i < batch; i++) prom.inc(labelSets[k++ & 63]!);
      }),
      '@opentelemetry/sdk-metrics': await perOp(() => {
        for (let i = 0; i < batch; i++) otel.add(1, labelSets[k++ & 63]);
      }),
    },
  });
}

// ---------------------------------------------------------------- histogram-observe-bound / -4-labels
{
  const buckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
  const registry = metrics.createMetricsRegistry();
  const ours = registry.histogram('bench.duration', { labelNames, buckets, unit: 's' });
  const oursBound = ours.bind(labelSets[0]);
  const oursNoSketch = registry.histogram('bench.duration2', { labelNames, buckets, quantileSketch: false });
  const oursBoundNoSketch = oursNoSketch.bind(labelSets[0]);
  const promRegistry = new client.Registry();
  const prom = new client.Histogram({
    name: 'bench_duration_seconds',
    help: 'h',
    labelNames,
    buckets,
    registers: [promRegistry],
  });
  const promChild = prom.labels(...labelValues[0]!);
  const provider = new MeterProvider({ readers: [new BenchReader()] });
  const otel = provider
    .getMeter('bench')
    .createHistogram('bench.duration', { advice: { explicitBucketBoundaries: buckets } });
  let k = 0;
  report({
    name: 'histogram-observe-bound',
    unit: 'ns/op',
    ours: await perOp(() => {
      for (let i = 0; i < batch; i++) oursBound.record(observations[k++ & 1023]!);
    }),
    peers: {
      'prom-client': await perOp(() => {
        const [a, b, c, d] = labelValues[0]!;
        for (let i = 0; i < batch; i++) prom.labels(a, b, c, d).observe(observations[k++ & 1023]!);
      }),
      'prom-client (child kept)': await perOp(() => {
        for (let i = 0; i < batch; i++) promChild.observe(observations[k++ & 1023]!);
      }),
      '@opentelemetry/sdk-metrics': await perOp(() => {
        for (let i = 0; i < batch; i++) otel.record(observations[k++ & 1023]!, labelSets[0]);
      }),
      'ours without quantile sketch': await perOp(() => {
        for (let i = 0; i < batch; i++) oursBoundNoSketch.record(observations[k++ & 1023]!);
      }),
    },
  });
  report({
    name: 'histogram-observe-4-labels',
    unit: 'ns/op',
    ours: await perOp(() => {
      for (let i = 0; i < batch; i++) ours.record(observations[k & 1023]!, labelSets[k++ & 63]);
    }),
    peers: {
      'prom-client': await perOp(() => {
        for (let i = 0; i < batch; i++) prom.observe(labelSets[k & 63]!, observations[k++ & 1023]!);
      }),
      '@opentelemetry/sdk-metrics': await perOp(() => {
        for (let i = 0; i < batch; i++) otel.record(observations[k & 1023]!, labelSets[k++ & 63]);
      }),
    },
  });
}

// ---------------------------------------------------------------- scrape-10k-series
{
  const registry = metrics.createMetricsRegistry({ cardinalityLimit: 20_000 });
  const ours = registry.counter('bench.requests', { labelNames, description: 'Requests.' });
  const promRegistry = new client.Registry();
  const prom = new client.Counter({
    name: 'bench_requests_total',
    help: 'Requests.',
    labelNames,
    registers: [promRegistry],
  });
  manyLabels.forEach((labels, i) => {
    ours.add(i + 1, labels);
    prom.inc(labels, i + 1);
  });
  const oursText = metrics.renderMetrics(registry, 'text/plain').body;
  const promText = await promRegistry.metrics();
  if (oursText.split('\n').length !== promText.split('\n').length) {
    throw new Error(
      `scrape outputs differ in line count: ${oursText.split('\n').length} vs ${promText.split('\n').length}`,
    );
  }
  // A scrape is timed up to the bytes the handler sends: our Node handler renders, encodes to UTF-8 (and gzips
  // when asked) into a response that only keeps the body. prom-client has no handler, so its side is what an
  // app's handler does with `registry.metrics()`: the same encoding (and gzip) of its text.
  const handler = metrics.createMetricsHandler(registry);
  const scrape = (acceptEncoding: string): Buffer => {
    let sent: Buffer | undefined;
    const request = { method: 'GET', headers: { accept: 'text/plain', 'accept-encoding': acceptEncoding } };
    const response = {
      writeHead: () => response,
      end: (body?: Buffer) => {
        sent = body;
      },
    };
    handler(request as never, response as never);
    if (sent === undefined) throw new Error('the metrics handler sent no body');
    return sent;
  };
  const promScrape = async (gzip: boolean): Promise<Buffer> => {
    const bytes = Buffer.from(await promRegistry.metrics(), 'utf8');
    return gzip ? gzipSync(bytes) : bytes;
  };
  if (scrape('identity').length !== Buffer.byteLength(oursText)) throw new Error('the handler did not send the text');
  const scrapeOptions = { min_cpu_time: (quick ? 300 : 1500) * 1e6 };
  for (const [name, encoding] of [
    ['scrape-10k-series', 'identity'],
    ['scrape-10k-series-gzip', 'gzip'],
  ] as const) {
    const oursStats = await measure(() => do_not_optimize(scrape(encoding)), scrapeOptions);
    const promStats = await measure(async () => do_not_optimize(await promScrape(encoding === 'gzip')), scrapeOptions);
    report({ name, unit: 'ms', ours: oursStats.avg / 1e6, peers: { 'prom-client': promStats.avg / 1e6 } });
  }
}

// ---------------------------------------------------------------- sketch-add / sketch-quantiles
// The quantile sketch beside the reference DDSketch (@datadog/sketches-js), both at 1 % relative accuracy.
{
  const ours = new metrics.QuantileSketch({ relativeAccuracy: 0.01 });
  const reference = new DDSketch({ relativeAccuracy: 0.01 });
  const values = Float64Array.from({ length: 1024 }, (_, i) => 0.001 * 1.02 ** (i % 700) + observations[i]!);
  let k = 0;
  report({
    name: 'sketch-add',
    unit: 'ns/op',
    ours: await perOp(() => {
      for (let i = 0; i < batch; i++) ours.add(values[k++ & 1023]!);
    }),
    peers: {
      '@datadog/sketches-js': await perOp(() => {
        for (let i = 0; i < batch; i++) reference.accept(values[k++ & 1023]!);
      }),
    },
  });
  const quantiles = [0.5, 0.9, 0.99];
  report({
    name: 'sketch-quantiles',
    unit: 'ns/op',
    ours: await perOp(() => {
      for (let i = 0; i < batch; i++) for (const q of quantiles) do_not_optimize(ours.quantile(q));
    }),
    peers: {
      '@datadog/sketches-js': await perOp(() => {
        for (let i = 0; i < batch; i++) for (const q of quantiles) do_not_optimize(reference.getValueAtQuantile(q));
      }),
    },
  });
}

if (!quick) {
  // Issue 18's rule: the hand-written sketch stays only while it passes the reference suite
  // (src/sketch/quantile-sketch.reference.test.ts) and is ahead of @datadog/sketches-js on both figures.
  const sketchFigures = figures.filter((figure) => figure.name.startsWith('sketch-'));
  const sketchAhead = sketchFigures.every((figure) => figure.ours < (figure.peers['@datadog/sketches-js'] ?? 0));
  const notes = [
    `quantile sketch vs @datadog/sketches-js: ours passes the reference DDSketch suite; ${sketchAhead ? 'ahead on add and quantiles: kept' : 'the library is ahead on add or quantiles, so by the rule the sketch moves to @datadog/sketches-js'}.`,
  ];
  const results = { node: process.version, date: new Date().toISOString(), figures, notes };
  writeFileSync(new URL('./results.json', import.meta.url), `${JSON.stringify(results, null, 2)}\n`);
  console.log('wrote bench/results.json');
}
