/**
 * The metrics quantile sketch (src/sketch/quantile-sketch.ts: @datadog/sketches-js' DDSketch with our bounded bins,
 * snapshots and clamping) beside the bare library DDSketch, both at 1 % relative accuracy: the cost of what we add
 * on top. Also the library's own bounded sketch (`LogCollapsingLowestDenseDDSketch`, 16 bins) on 1,000 increasing
 * values, counted bin by bin: the reason the bounding is ours. bench/run.ts runs this with the other figures;
 * `node bench/sketch.ts` runs it alone and merges its figures and note into bench/results.json.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { DDSketch, LogCollapsingLowestDenseDDSketch } from '@datadog/sketches-js';
import { do_not_optimize, measure } from 'mitata';
import { loadMetrics } from './load.ts';

export interface SketchFigure {
  name: string;
  unit: 'ns/op';
  ours: number;
  peers: Record<string, number>;
}

type Metrics = Awaited<ReturnType<typeof loadMetrics>>;

export async function measureSketch(
  metrics: Metrics,
  perOp: (fn: () => void) => Promise<number>,
  batch: number,
  observations: Float64Array,
): Promise<SketchFigure[]> {
  const ours = new metrics.QuantileSketch({ relativeAccuracy: 0.01 });
  const reference = new DDSketch({ relativeAccuracy: 0.01 });
  const values = Float64Array.from({ length: 1024 }, (_, i) => 0.001 * 1.02 ** (i % 700) + observations[i]!);
  let k = 0;
  const add: SketchFigure = {
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
  };
  const quantiles = [0.5, 0.9, 0.99];
  const quantile: SketchFigure = {
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
  };
  return [add, quantile];
}

/** The library's collapsing sketch after 1,000 increasing values with 16 bins: what its bins hold against its count. */
export function libraryCollapseCheck(): string {
  const sketch = new LogCollapsingLowestDenseDDSketch({ relativeAccuracy: 0.01, binLimit: 16 });
  for (let value = 0; value < 1000; value++) sketch.accept(value);
  const binned = sketch.store.bins.reduce((sum, count) => sum + count, 0);
  return `its LogCollapsingLowestDenseDDSketch (binLimit 16) after the values 0..999 holds ${binned} in its positive bins for ${sketch.store.count} positive values and answers p50 = ${sketch.getValueAtQuantile(0.5).toFixed(0)} (exact 499.5)`;
}

export function sketchNote(figures: readonly SketchFigure[]): string {
  const ratios = figures
    .map((figure) => `${figure.name} ${((figure.peers['@datadog/sketches-js'] ?? 0) / figure.ours).toFixed(2)}×`)
    .join(', ');
  return `quantile sketch vs @datadog/sketches-js: the sketch is the library's DDSketch since issue 18 (before: ours 0.79× on add and on quantiles); the peer column is the bare library sketch without our bounded bins, clamping and snapshots (peer ÷ ours: ${ratios}; one run on a shared machine). The bounding stays ours because ${libraryCollapseCheck()}.`;
}

if (import.meta.main) {
  const batch = 100;
  const observations = Float64Array.from({ length: 1024 }, (_, i) => ((i * 7919) % 1000) / 250);
  const perOp = async (fn: () => void) =>
    (await measure(fn, { min_cpu_time: 600 * 1e6, warmup_samples: 64 })).avg / batch;
  const figures = await measureSketch(await loadMetrics(), perOp, batch, observations);
  const path = new URL('./results.json', import.meta.url);
  const results = JSON.parse(readFileSync(path, 'utf8')) as { figures: SketchFigure[]; notes?: string[] };
  const names = new Set(figures.map((figure) => figure.name));
  results.figures = [...results.figures.filter((figure) => !names.has(figure.name)), ...figures];
  const note = sketchNote(figures);
  results.notes = [...(results.notes ?? []).filter((text) => !text.startsWith('quantile sketch vs')), note];
  writeFileSync(path, `${JSON.stringify({ ...results, date: new Date().toISOString() }, null, 2)}\n`);
  for (const figure of figures) console.log(JSON.stringify(figure));
  console.log(note);
}
