import type { Labels } from '@agenticgen/core';
import type { SketchSnapshot } from '../sketch/quantile-sketch.js';

/** Kinds of instrument. */
export type MetricKind = 'counter' | 'up-down-counter' | 'gauge' | 'histogram' | 'summary';

/** How gauges of the same series from several workers combine when snapshots merge. */
export type GaugeAggregation = 'sum' | 'max' | 'min';

/**
 * A point-in-time copy of a registry: plain data, safe for `postMessage`, `structuredClone` and JSON.
 * Cumulative values (counters, histogram buckets, sketches) so the latest snapshot of a worker is all the host needs.
 */
export interface MetricsSnapshot {
  /** Marks the object as ours (checked before merging data that crossed a worker boundary). */
  format: 'agenticgen-metrics';
  /** Snapshot layout version. */
  version: 1;
  /** Milliseconds since the epoch when it was taken. */
  timestamp: number;
  /** One entry per instrument. */
  families: MetricFamilySnapshot[];
}

export interface MetricFamilySnapshot {
  /** Instrument name as registered (OpenTelemetry style, e.g. `gen_ai.client.operation.duration`). */
  name: string;
  kind: MetricKind;
  description: string;
  /** UCUM unit (`s`, `By`, `{token}`) or `''`. */
  unit: string;
  /** Label names (default labels first). */
  labelNames: string[];
  /** Histogram bucket upper bounds (without +Inf). */
  buckets?: number[];
  /** Summary quantiles to report. */
  quantiles?: number[];
  /** Gauge merge rule. */
  aggregation?: GaugeAggregation;
  series: SeriesSnapshot[];
}

/** A counter, up-down counter or gauge series. */
export interface ScalarSeriesSnapshot {
  labels: Labels;
  value: number;
}

/** An exemplar: a sample value with labels pointing at a trace. */
export interface ExemplarSnapshot {
  labels: Labels;
  value: number;
  /** Seconds since the epoch. */
  timestamp: number;
}

/** A histogram series (non-cumulative bucket counts, one more than `buckets` for +Inf). */
export interface HistogramSeriesSnapshot {
  labels: Labels;
  bucketCounts: number[];
  sum: number;
  count: number;
  /** Smallest observation, when count > 0. */
  min?: number;
  /** Largest observation, when count > 0. */
  max?: number;
  /** Quantile sketch, unless disabled or not requested. */
  sketch?: SketchSnapshot;
  /** Latest exemplar per bucket (null where none), when any was recorded. */
  exemplars?: (ExemplarSnapshot | null)[];
}

/** A summary series: cumulative sum and count, and the sketch of the sliding window. */
export interface SummarySeriesSnapshot {
  labels: Labels;
  sum: number;
  count: number;
  sketch: SketchSnapshot;
}

export type SeriesSnapshot = ScalarSeriesSnapshot | HistogramSeriesSnapshot | SummarySeriesSnapshot;

/**
 * Series collected from local instruments carry their pre-rendered exposition label text in a private field:
 * invisible to JSON, `structuredClone` and deep equality, yet free to read when rendering.
 */
export class CollectedSeries {
  readonly #labelText: string;

  constructor(labelText: string) {
    this.#labelText = labelText;
  }

  /** The cached label text of a locally collected series, or undefined for any other object. */
  static labelTextOf(series: object): string | undefined {
    return #labelText in series ? (series as CollectedSeries).#labelText : undefined;
  }

  /** Tags plain series data with its label text. */
  static tag<T extends object>(fields: T, labelText: string | undefined): T {
    return labelText === undefined ? fields : Object.assign(new CollectedSeries(labelText), fields);
  }
}

/** A locally collected counter, up-down counter or gauge series. */
export class CollectedScalarSeries extends CollectedSeries implements ScalarSeriesSnapshot {
  constructor(
    readonly labels: Labels,
    public value: number,
    labelText: string,
  ) {
    super(labelText);
  }
}

export function isHistogramSeries(series: SeriesSnapshot): series is HistogramSeriesSnapshot {
  return 'bucketCounts' in series;
}
