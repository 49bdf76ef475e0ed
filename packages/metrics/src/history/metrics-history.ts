import type { Labels } from '@agenticgen/core';
import { metricsError } from '../errors.js';
import type { MetricsRegistry } from '../registry/registry.js';
import { QuantileSketch, subtractSketch } from '../sketch/quantile-sketch.js';
import type {
  HistogramSeriesSnapshot,
  MetricFamilySnapshot,
  MetricsSnapshot,
  ScalarSeriesSnapshot,
  SeriesSnapshot,
  SummarySeriesSnapshot,
} from '../snapshot/snapshot.js';
import { RingBuffer } from './ring-buffer.js';

export interface MetricsHistoryOptions {
  /** Rollup windows in milliseconds. Default `[1000, 10000, 60000]` (1 s, 10 s, 1 min). */
  windows?: readonly number[];
  /** Points kept per series and window (older ones are overwritten). Default 120. */
  capacity?: number;
  /** Most series tracked per window; later series are ignored. Default 5000. */
  maxSeries?: number;
  /** Percentiles computed for histograms and summaries. Default `[0.5, 0.9, 0.99]`. */
  quantiles?: readonly number[];
  /** Clock in milliseconds since the epoch. Default `Date.now`. */
  now?: () => number;
}

/** One rollup point of one series. */
export interface HistoryPoint {
  /** End of the window, milliseconds since the epoch. */
  timestamp: number;
  /** Counter/gauge: the value at the end of the window. Histogram/summary: observations in the window. */
  value: number;
  /** Counter: increase in the window. Histogram/summary: sum of observations in the window. */
  delta?: number;
  /** Per second: counter increase or histogram observations. */
  rate?: number;
  /** Histogram/summary: mean observation in the window (NaN when none). */
  mean?: number;
  /** Histogram/summary: percentiles keyed by quantile (`'0.99'`), over the window (summaries: their sliding window). */
  quantiles?: Record<string, number>;
}

export interface HistorySeries {
  labels: Labels;
  points: HistoryPoint[];
}

export interface MetricsHistory {
  /** Takes a snapshot and appends a point to every window that has elapsed. Called by the timer or by hand. */
  tick(): void;
  /** Starts ticking every `intervalMs` (default: the smallest window). The timer does not keep Node alive. */
  start(intervalMs?: number): void;
  /** Stops the timer. */
  stop(): void;
  /** Recent points of a metric for one window, per series; `labels` filters series containing those pairs. */
  query(metric: string, options: { window: number; labels?: Labels; since?: number }): HistorySeries[];
  /** The configured windows. */
  readonly windows: readonly number[];
}

interface TrackedSeries {
  labels: Labels;
  ring: RingBuffer;
}

interface WindowState {
  width: number;
  last: Index | undefined;
  lastTime: number;
  series: Map<string, TrackedSeries>;
}

type Index = Map<string, { family: MetricFamilySnapshot; series: Map<string, SeriesSnapshot> }>;

function seriesKey(family: string, labels: Labels): string {
  let key = `${family}\u0002`;
  for (const name of Object.keys(labels).sort()) key += `${name}\u0000${labels[name]}\u0001`;
  return key;
}

function index(snapshot: MetricsSnapshot): Index {
  const out: Index = new Map();
  for (const family of snapshot.families) {
    const series = new Map<string, SeriesSnapshot>();
    for (const one of family.series) series.set(seriesKey(family.name, one.labels), one);
    out.set(family.name, { family, series });
  }
  return out;
}

/** Quantile from explicit buckets by linear interpolation inside the bucket (as PromQL's histogram_quantile). */
function bucketQuantile(bounds: readonly number[], counts: readonly number[], q: number): number {
  let total = 0;
  for (const c of counts) total += c;
  if (total === 0) return Number.NaN;
  const rank = q * total;
  let seen = 0;
  for (let i = 0; i < counts.length; i++) {
    const c = counts[i]!;
    if (seen + c >= rank && c > 0) {
      if (i >= bounds.length) return bounds[bounds.length - 1] ?? Number.NaN;
      const low = i === 0 ? Math.min(0, bounds[0]!) : bounds[i - 1]!;
      return low + ((bounds[i]! - low) * (rank - seen)) / c;
    }
    seen += c;
  }
  return bounds[bounds.length - 1] ?? Number.NaN;
}

/**
 * Rollups of a registry over time: every window (1 s, 10 s, 1 min by default) gets rates, sums and percentiles
 * computed from the difference of two cumulative snapshots, kept in bounded ring buffers. Dashboards (like the
 * starter server's charts) read recent history from here without a time-series database.
 */
export function createMetricsHistory(registry: MetricsRegistry, options: MetricsHistoryOptions = {}): MetricsHistory {
  const widths = [...(options.windows ?? [1000, 10_000, 60_000])].sort((a, b) => a - b);
  const capacity = options.capacity ?? 120;
  const maxSeries = options.maxSeries ?? 5000;
  const quantiles = options.quantiles ?? [0.5, 0.9, 0.99];
  const now = options.now ?? Date.now;
  if (widths.length === 0 || widths.some((w) => !(w > 0))) {
    throw metricsError(
      'invalid-argument',
      `history windows must be positive millisecond durations, got [${widths.join(', ')}]`,
    );
  }
  const columns = 5 + quantiles.length;
  const states: WindowState[] = widths.map((width) => ({ width, last: undefined, lastTime: 0, series: new Map() }));
  let timer: ReturnType<typeof setInterval> | undefined;

  function point(
    family: MetricFamilySnapshot,
    current: SeriesSnapshot,
    previous: SeriesSnapshot | undefined,
    seconds: number,
  ): number[] {
    const values = new Array<number>(columns).fill(Number.NaN);
    switch (family.kind) {
      case 'counter': {
        const value = (current as ScalarSeriesSnapshot).value;
        const before = previous === undefined ? 0 : (previous as ScalarSeriesSnapshot).value;
        const delta = Math.max(0, value - before);
        values[0] = value;
        values[1] = delta;
        values[2] = delta / seconds;
        break;
      }
      case 'up-down-counter':
      case 'gauge':
        values[0] = (current as ScalarSeriesSnapshot).value;
        break;
      case 'histogram':
      case 'summary': {
        const now = current as HistogramSeriesSnapshot | SummarySeriesSnapshot;
        const before = previous as HistogramSeriesSnapshot | SummarySeriesSnapshot | undefined;
        const count = now.count - (before?.count ?? 0);
        const sum = now.sum - (before?.sum ?? 0);
        values[0] = count;
        values[1] = sum;
        values[2] = count / seconds;
        values[3] = count > 0 ? sum / count : Number.NaN;
        let estimate: (q: number) => number = () => Number.NaN;
        if (family.kind === 'summary') {
          const sketch = QuantileSketch.fromSnapshot((now as SummarySeriesSnapshot).sketch);
          estimate = (q) => sketch.quantile(q);
        } else {
          const h = now as HistogramSeriesSnapshot;
          const p = before as HistogramSeriesSnapshot | undefined;
          if (h.sketch !== undefined) {
            const sketch = QuantileSketch.fromSnapshot(subtractSketch(h.sketch, p?.sketch));
            estimate = (q) => sketch.quantile(q);
          } else {
            const counts = h.bucketCounts.map((c, i) => c - (p?.bucketCounts[i] ?? 0));
            estimate = (q) => bucketQuantile(family.buckets ?? [], counts, q);
          }
        }
        for (let i = 0; i < quantiles.length; i++)
          values[5 + i] = count > 0 || family.kind === 'summary' ? estimate(quantiles[i]!) : Number.NaN;
        break;
      }
    }
    return values;
  }

  function advance(state: WindowState, current: Index, time: number): void {
    const seconds = (time - state.lastTime) / 1000;
    for (const [name, { family, series }] of current) {
      const before = state.last?.get(name)?.series;
      for (const [key, one] of series) {
        let tracked = state.series.get(key);
        if (tracked === undefined) {
          if (state.series.size >= maxSeries) continue;
          tracked = { labels: one.labels, ring: new RingBuffer(capacity, columns) };
          state.series.set(key, tracked);
        }
        tracked.ring.push(time, point(family, one, before?.get(key), seconds));
      }
    }
    state.last = current;
    state.lastTime = time;
  }

  const history: MetricsHistory = {
    windows: widths,
    tick() {
      const time = now();
      let current: Index | undefined;
      for (const state of states) {
        // A 1 % tolerance absorbs timer jitter, so a 1 s window is not skipped for a tick that came at 999 ms.
        if (state.last !== undefined && time - state.lastTime < state.width * 0.99) continue;
        current ??= index(registry.collect());
        if (state.last === undefined) {
          state.last = current;
          state.lastTime = time;
        } else advance(state, current, time);
      }
    },
    start(intervalMs = widths[0]!) {
      history.stop();
      history.tick();
      timer = setInterval(() => history.tick(), intervalMs);
      (timer as { unref?: () => void }).unref?.();
    },
    stop() {
      if (timer !== undefined) clearInterval(timer);
      timer = undefined;
    },
    query(metric, queryOptions) {
      const state = states.find((s) => s.width === queryOptions.window);
      if (state === undefined) {
        throw metricsError(
          'invalid-argument',
          `no ${queryOptions.window} ms window; configured windows are [${widths.join(', ')}]`,
        );
      }
      const kind = state.last?.get(metric)?.family.kind;
      const prefix = `${metric}\u0002`;
      const out: HistorySeries[] = [];
      for (const [key, tracked] of state.series) {
        if (!key.startsWith(prefix)) continue;
        const filter = queryOptions.labels;
        if (filter !== undefined && Object.entries(filter).some(([k, v]) => tracked.labels[k] !== v)) continue;
        const points = tracked.ring
          .toArray(queryOptions.since)
          .map(({ timestamp, values }) => toPoint(kind, timestamp, values, quantiles));
        out.push({ labels: tracked.labels, points });
      }
      return out;
    },
  };
  return history;
}

function toPoint(
  kind: string | undefined,
  timestamp: number,
  values: number[],
  quantiles: readonly number[],
): HistoryPoint {
  const point: HistoryPoint = { timestamp, value: values[0]! };
  if (kind === 'counter') {
    point.delta = values[1]!;
    point.rate = values[2]!;
  } else if (kind === 'histogram' || kind === 'summary') {
    point.delta = values[1]!;
    point.rate = values[2]!;
    point.mean = values[3]!;
    point.quantiles = {};
    for (let i = 0; i < quantiles.length; i++) point.quantiles[String(quantiles[i])] = values[5 + i]!;
  }
  return point;
}
