import type { Labels } from '@agenticgen/core';
import { metricsError } from '../errors.js';
import { QuantileSketch } from '../sketch/quantile-sketch.js';
import type { MetricFamilySnapshot, SummarySeriesSnapshot } from '../snapshot/snapshot.js';
import { CollectedSeries } from '../snapshot/snapshot.js';
import { Instrument, type InstrumentContext, joinLabelText, type Series } from './instrument.js';

export interface SummaryOptions {
  /** Human description, exported as HELP. */
  description?: string;
  /** UCUM unit, e.g. `s`. */
  unit?: string;
  /** Label names, in order. */
  labelNames?: readonly string[];
  /** Quantiles to report, each in [0, 1]. Default `[0.5, 0.9, 0.99]`. */
  quantiles?: readonly number[];
  /** Length of the sliding window in seconds. Default 600. */
  maxAgeSeconds?: number;
  /** Sub-windows the window is split into; the oldest is dropped as time passes. Default 5. */
  ageBuckets?: number;
  /** Relative error of reported quantiles. Default 0.01. */
  relativeAccuracy?: number;
}

/** A bound summary: observations go to the current sub-window; quantiles cover the whole sliding window. */
export interface BoundSummary {
  /** Records one observation. */
  record(value: number): void;
}

export class SummarySeries implements BoundSummary, Series {
  private readonly ring: QuantileSketch[];
  private current = 0;
  private rotateAt: number;
  sum = 0;
  count = 0;

  constructor(
    private readonly owner: SummaryInstrument,
    readonly labels: Labels,
    private readonly labelPrefix: string,
    private readonly labelPair: string,
  ) {
    this.ring = Array.from(
      { length: owner.ageBuckets },
      () => new QuantileSketch({ relativeAccuracy: owner.accuracy }),
    );
    this.rotateAt = owner.now() + owner.bucketMilliseconds;
  }

  /** Exposition label text (`a="x",b="y"`), assembled from shared pieces. */
  get labelText(): string {
    return joinLabelText(this.labelPrefix, this.labelPair);
  }

  record(value: number): void {
    if (value - value !== 0) {
      this.owner.rejected(value, 'summary observations must be finite numbers');
      return;
    }
    const now = this.owner.now();
    if (now >= this.rotateAt) this.rotate(now);
    this.ring[this.current]!.add(value);
    this.sum += value;
    this.count++;
  }

  /** Advances the ring to `now`, clearing sub-windows that fell out of the sliding window. */
  rotate(now: number): void {
    const width = this.owner.bucketMilliseconds;
    let steps = 0;
    while (now >= this.rotateAt && steps < this.ring.length) {
      this.current = (this.current + 1) % this.ring.length;
      this.ring[this.current]!.reset();
      this.rotateAt += width;
      steps++;
    }
    // Idle longer than the whole window: everything is cleared, restart the clock from now.
    if (now >= this.rotateAt) this.rotateAt = now + width;
  }

  /** The sliding window merged into one sketch. */
  window(): QuantileSketch {
    this.rotate(this.owner.now());
    const merged = new QuantileSketch({ relativeAccuracy: this.owner.accuracy });
    for (const sketch of this.ring) if (sketch.count > 0) merged.merge(sketch);
    return merged;
  }

  quantile(q: number): number {
    return this.window().quantile(q);
  }

  snapshot(): SummarySeriesSnapshot {
    const out: SummarySeriesSnapshot = {
      labels: this.labels,
      sum: this.sum,
      count: this.count,
      sketch: this.window().toSnapshot(),
    };
    return CollectedSeries.tag(out, this.labelText);
  }
}

export class SummaryInstrument extends Instrument<SummarySeries> {
  readonly kind = 'summary' as const;
  readonly quantiles: readonly number[];
  readonly ageBuckets: number;
  readonly bucketMilliseconds: number;
  readonly accuracy: number;

  constructor(
    name: string,
    options: SummaryOptions,
    context: InstrumentContext,
    readonly now: () => number,
  ) {
    super(name, options.description ?? '', options.unit ?? '', options.labelNames, context, ['quantile']);
    const quantiles = options.quantiles ?? [0.5, 0.9, 0.99];
    for (const q of quantiles) {
      if (typeof q !== 'number' || !(q >= 0 && q <= 1)) {
        throw metricsError('invalid-argument', `summary "${name}": quantiles must be numbers in [0, 1], got ${q}`);
      }
    }
    const maxAgeSeconds = options.maxAgeSeconds ?? 600;
    const ageBuckets = options.ageBuckets ?? 5;
    if (!(maxAgeSeconds > 0) || !Number.isInteger(ageBuckets) || ageBuckets < 1) {
      throw metricsError(
        'invalid-argument',
        `summary "${name}": maxAgeSeconds must be > 0 and ageBuckets an integer >= 1, got ${maxAgeSeconds} and ${ageBuckets}`,
      );
    }
    this.quantiles = Object.freeze([...quantiles]);
    this.ageBuckets = ageBuckets;
    this.bucketMilliseconds = (maxAgeSeconds * 1000) / ageBuckets;
    this.accuracy = options.relativeAccuracy ?? 0.01;
    new QuantileSketch({ relativeAccuracy: this.accuracy }); // validates eagerly
  }

  record(value: number, labels?: Labels): void {
    this.seriesFor(labels).record(value);
  }

  bind(labels?: Labels): SummarySeries {
    return this.seriesFor(labels);
  }

  protected createSeries(labels: Labels, labelPrefix: string, labelPair: string): SummarySeries {
    return new SummarySeries(this, labels, labelPrefix, labelPair);
  }

  collect(): MetricFamilySnapshot {
    return this.family(
      this.allSeries().map((series) => series.snapshot()),
      { quantiles: [...this.quantiles] },
    );
  }
}
