import type { BoundHistogram, Histogram, Labels } from '@agenticgen/core';
import { metricsError } from '../errors.js';
import { QuantileSketch, type QuantileSketchOptions } from '../sketch/quantile-sketch.js';
import type { ExemplarSnapshot, HistogramSeriesSnapshot, MetricFamilySnapshot } from '../snapshot/snapshot.js';
import { CollectedSeries } from '../snapshot/snapshot.js';
import { Instrument, type InstrumentContext, joinLabelText, type Series, SlotAllocator } from './instrument.js';

/** Prometheus' default buckets, in seconds. */
export const defaultBuckets: readonly number[] = Object.freeze([
  0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
]);

/** Receives every observation when an OpenTelemetry bridge is attached. */
export type ObservationForward = (value: number, labels: Labels) => void;

/**
 * A histogram series and its bound handle. Layout of its slots in the page:
 * `[count per bucket…, count +Inf, sum, min, max]`; the total count is the sum of the bucket counts.
 */
export class HistogramSeries implements BoundHistogram, Series {
  exemplars: (ExemplarSnapshot | null)[] | undefined;

  constructor(
    private readonly owner: HistogramInstrument,
    private readonly page: Float64Array,
    private readonly base: number,
    private readonly bounds: Float64Array,
    readonly sketch: QuantileSketch | null,
    readonly labels: Labels,
    private readonly labelPrefix: string,
    private readonly labelPair: string,
  ) {
    const n = bounds.length;
    page[base + n + 2] = Number.POSITIVE_INFINITY;
    page[base + n + 3] = Number.NEGATIVE_INFINITY;
  }

  /** Exposition label text (`a="x",b="y"`), assembled from shared pieces. */
  get labelText(): string {
    return joinLabelText(this.labelPrefix, this.labelPair);
  }

  /** Records one observation; `exemplar` (e.g. `{ trace_id }`) is kept as the bucket's latest exemplar. */
  record(value: number, exemplar?: Labels): void {
    if (value - value !== 0) {
      this.owner.rejected(value, 'histogram observations must be finite numbers');
      return;
    }
    const bounds = this.bounds;
    const n = bounds.length;
    let bucket = 0;
    if (n <= 16) {
      while (bucket < n && value > bounds[bucket]!) bucket++;
    } else {
      let high = n;
      while (bucket < high) {
        const middle = (bucket + high) >>> 1;
        if (value > bounds[middle]!) bucket = middle + 1;
        else high = middle;
      }
    }
    const page = this.page;
    const base = this.base;
    page[base + bucket]! += 1;
    page[base + n + 1]! += value;
    if (value < page[base + n + 2]!) page[base + n + 2] = value;
    if (value > page[base + n + 3]!) page[base + n + 3] = value;
    if (this.sketch !== null) this.sketch.add(value);
    if (exemplar !== undefined) this.keepExemplar(bucket, value, exemplar);
    const forward = this.owner.forward;
    if (forward !== undefined) forward(value, this.labels);
  }

  private keepExemplar(bucket: number, value: number, labels: Labels): void {
    if (this.exemplars === undefined) this.exemplars = new Array(this.bounds.length + 1).fill(null);
    this.exemplars[bucket] = { labels: { ...labels }, value, timestamp: Date.now() / 1000 };
  }

  snapshot(includeSketch: boolean): HistogramSeriesSnapshot {
    const n = this.bounds.length;
    const bucketCounts = Array.from(this.page.subarray(this.base, this.base + n + 1));
    let count = 0;
    for (const c of bucketCounts) count += c;
    const out: HistogramSeriesSnapshot = {
      labels: this.labels,
      bucketCounts,
      sum: this.page[this.base + n + 1]!,
      count,
    };
    if (count > 0) {
      out.min = this.page[this.base + n + 2]!;
      out.max = this.page[this.base + n + 3]!;
    }
    if (includeSketch && this.sketch !== null) out.sketch = this.sketch.toSnapshot();
    if (this.exemplars !== undefined) out.exemplars = this.exemplars.map((e) => (e === null ? null : { ...e }));
    return CollectedSeries.tag(out, this.labelText);
  }

  /** Quantile estimate from the sketch (NaN without a sketch or observations). */
  quantile(q: number): number {
    return this.sketch === null ? Number.NaN : this.sketch.quantile(q);
  }
}

/** Validates explicit bucket bounds: finite, strictly ascending, at least one. */
export function checkBuckets(metric: string, buckets: readonly number[]): Float64Array {
  if (!Array.isArray(buckets) || buckets.length === 0) {
    throw metricsError('invalid-argument', `histogram "${metric}": buckets must be a non-empty array of numbers`);
  }
  for (let i = 0; i < buckets.length; i++) {
    const bound = buckets[i]!;
    if (typeof bound !== 'number' || !Number.isFinite(bound) || (i > 0 && bound <= buckets[i - 1]!)) {
      throw metricsError(
        'invalid-argument',
        `histogram "${metric}": buckets must be finite and strictly ascending (+Inf is implicit), got [${buckets.join(', ')}]`,
      );
    }
  }
  return Float64Array.from(buckets);
}

export class HistogramInstrument extends Instrument<HistogramSeries> implements Histogram {
  readonly kind = 'histogram' as const;
  readonly bounds: Float64Array;
  private readonly slots: SlotAllocator;
  /** Set by the OpenTelemetry bridge. */
  forward: ObservationForward | undefined;

  constructor(
    name: string,
    description: string,
    unit: string,
    labelNames: readonly string[] | undefined,
    context: InstrumentContext,
    buckets: readonly number[],
    readonly sketchOptions: QuantileSketchOptions | null,
  ) {
    super(name, description, unit, labelNames, context, ['le']);
    this.bounds = checkBuckets(name, buckets);
    if (sketchOptions !== null) new QuantileSketch(sketchOptions); // validates the options eagerly
    this.slots = new SlotAllocator(this.bounds.length + 4);
  }

  record(value: number, labels?: Labels, exemplar?: Labels): void {
    this.seriesFor(labels).record(value, exemplar);
  }

  bind(labels?: Labels): HistogramSeries {
    return this.seriesFor(labels);
  }

  protected createSeries(labels: Labels, labelPrefix: string, labelPair: string): HistogramSeries {
    const { page, offset } = this.slots.allocate();
    const sketch = this.sketchOptions === null ? null : new QuantileSketch(this.sketchOptions);
    return new HistogramSeries(this, page, offset, this.bounds, sketch, labels, labelPrefix, labelPair);
  }

  collect(includeSketches: boolean): MetricFamilySnapshot {
    return this.family(
      this.allSeries().map((series) => series.snapshot(includeSketches)),
      { buckets: Array.from(this.bounds) },
    );
  }
}
