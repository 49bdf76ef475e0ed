import { metricsError } from '../errors.js';
import { QuantileSketch } from '../sketch/quantile-sketch.js';
import {
  CollectedSeries,
  type ExemplarSnapshot,
  type HistogramSeriesSnapshot,
  type MetricFamilySnapshot,
  type MetricsSnapshot,
  type ScalarSeriesSnapshot,
  type SeriesSnapshot,
  type SummarySeriesSnapshot,
} from './snapshot.js';

const kinds = new Set(['counter', 'up-down-counter', 'gauge', 'histogram', 'summary']);

/** Throws `invalid-snapshot` unless `value` looks like a snapshot this package produced. */
export function validateSnapshot(value: unknown): asserts value is MetricsSnapshot {
  const snapshot = value as Partial<MetricsSnapshot> | null;
  if (
    typeof snapshot !== 'object' ||
    snapshot === null ||
    snapshot.format !== 'agenticgen-metrics' ||
    snapshot.version !== 1 ||
    !Array.isArray(snapshot.families)
  ) {
    throw metricsError(
      'invalid-snapshot',
      'expected a snapshot from registry.collect() (format "agenticgen-metrics", version 1); send collect() output unchanged',
    );
  }
  for (const family of snapshot.families) {
    if (
      typeof family?.name !== 'string' ||
      !kinds.has(family.kind) ||
      !Array.isArray(family.series) ||
      !Array.isArray(family.labelNames)
    ) {
      throw metricsError('invalid-snapshot', `snapshot family ${JSON.stringify(family?.name)} is malformed`);
    }
    for (const series of family.series) {
      if (typeof series?.labels !== 'object' || series.labels === null) {
        throw metricsError('invalid-snapshot', `snapshot family "${family.name}" has a series without labels`);
      }
      const numbers =
        family.kind === 'histogram' || family.kind === 'summary'
          ? [(series as HistogramSeriesSnapshot).sum, (series as HistogramSeriesSnapshot).count]
          : [(series as ScalarSeriesSnapshot).value];
      if (numbers.some((n) => typeof n !== 'number' || !Number.isFinite(n))) {
        throw metricsError('invalid-snapshot', `snapshot family "${family.name}" has a non-finite value`);
      }
    }
  }
}

function seriesKey(labels: Readonly<Record<string, string>>): string {
  const keys = Object.keys(labels).sort();
  let key = '';
  for (const name of keys) key += `${name}\u0000${labels[name]}\u0001`;
  return key;
}

function cloneSeries(family: MetricFamilySnapshot, series: SeriesSnapshot): SeriesSnapshot {
  let copy: SeriesSnapshot;
  if (family.kind === 'histogram') {
    const h = series as HistogramSeriesSnapshot;
    const out: HistogramSeriesSnapshot = {
      labels: h.labels,
      bucketCounts: h.bucketCounts.slice(),
      sum: h.sum,
      count: h.count,
    };
    if (h.min !== undefined) out.min = h.min;
    if (h.max !== undefined) out.max = h.max;
    if (h.sketch !== undefined) out.sketch = h.sketch;
    if (h.exemplars !== undefined) out.exemplars = h.exemplars.slice();
    copy = out;
  } else if (family.kind === 'summary') {
    const s = series as SummarySeriesSnapshot;
    copy = { labels: s.labels, sum: s.sum, count: s.count, sketch: s.sketch };
  } else {
    copy = { labels: series.labels, value: (series as ScalarSeriesSnapshot).value };
  }
  return CollectedSeries.tag(copy, CollectedSeries.labelTextOf(series));
}

function mergeInto(family: MetricFamilySnapshot, target: SeriesSnapshot, source: SeriesSnapshot): void {
  switch (family.kind) {
    case 'counter':
    case 'up-down-counter':
      (target as ScalarSeriesSnapshot).value += (source as ScalarSeriesSnapshot).value;
      return;
    case 'gauge': {
      const t = target as ScalarSeriesSnapshot;
      const value = (source as ScalarSeriesSnapshot).value;
      const rule = family.aggregation ?? 'sum';
      t.value = rule === 'sum' ? t.value + value : rule === 'max' ? Math.max(t.value, value) : Math.min(t.value, value);
      return;
    }
    case 'histogram': {
      const t = target as HistogramSeriesSnapshot;
      const s = source as HistogramSeriesSnapshot;
      if (t.bucketCounts.length !== s.bucketCounts.length) {
        throw metricsError('invalid-snapshot', `histogram "${family.name}" has different buckets in merged snapshots`);
      }
      for (let i = 0; i < t.bucketCounts.length; i++) t.bucketCounts[i]! += s.bucketCounts[i]!;
      t.sum += s.sum;
      t.count += s.count;
      if (s.min !== undefined) t.min = t.min === undefined ? s.min : Math.min(t.min, s.min);
      if (s.max !== undefined) t.max = t.max === undefined ? s.max : Math.max(t.max, s.max);
      const sketch = mergeSketches(t.sketch, s.sketch);
      if (sketch !== undefined) t.sketch = sketch;
      if (s.exemplars !== undefined) t.exemplars = latestExemplars(t.exemplars, s.exemplars);
      return;
    }
    case 'summary': {
      const t = target as SummarySeriesSnapshot;
      const s = source as SummarySeriesSnapshot;
      t.sum += s.sum;
      t.count += s.count;
      t.sketch = mergeSketches(t.sketch, s.sketch) ?? t.sketch;
      return;
    }
  }
}

function mergeSketches(
  a: HistogramSeriesSnapshot['sketch'],
  b: HistogramSeriesSnapshot['sketch'],
): HistogramSeriesSnapshot['sketch'] {
  if (a === undefined) return b;
  if (b === undefined) return a;
  const sketch = QuantileSketch.fromSnapshot(a);
  sketch.merge(b);
  return sketch.toSnapshot();
}

function latestExemplars(
  a: (ExemplarSnapshot | null)[] | undefined,
  b: (ExemplarSnapshot | null)[],
): (ExemplarSnapshot | null)[] {
  if (a === undefined) return b.slice();
  return a.map((mine, i) => {
    const theirs = b[i] ?? null;
    if (mine === null) return theirs;
    if (theirs === null) return mine;
    return theirs.timestamp > mine.timestamp ? theirs : mine;
  });
}

/**
 * Merges snapshots of several registries (e.g. the host and its workers) into one: counters, up-down counters,
 * histogram buckets, sums, counts and sketches add up; gauges combine by their `aggregation` rule. Families with
 * the same name must agree on kind and buckets (`invalid-snapshot` otherwise). Inputs are not modified.
 */
export function mergeSnapshots(snapshots: readonly MetricsSnapshot[]): MetricsSnapshot {
  const families = new Map<string, { family: MetricFamilySnapshot; index: Map<string, SeriesSnapshot> }>();
  let timestamp = 0;
  for (const snapshot of snapshots) {
    validateSnapshot(snapshot);
    timestamp = Math.max(timestamp, snapshot.timestamp);
    for (const family of snapshot.families) {
      let entry = families.get(family.name);
      if (entry === undefined) {
        const { series: _series, ...shape } = family;
        entry = { family: { ...shape, labelNames: [...family.labelNames], series: [] }, index: new Map() };
        families.set(family.name, entry);
      } else {
        if (entry.family.kind !== family.kind) {
          throw metricsError(
            'invalid-snapshot',
            `"${family.name}" is a ${entry.family.kind} in one snapshot and a ${family.kind} in another; use one definition everywhere`,
          );
        }
        if (family.kind === 'histogram' && (family.buckets ?? []).join() !== (entry.family.buckets ?? []).join()) {
          throw metricsError(
            'invalid-snapshot',
            `histogram "${family.name}" has different buckets in merged snapshots`,
          );
        }
        for (const name of family.labelNames)
          if (!entry.family.labelNames.includes(name)) entry.family.labelNames.push(name);
      }
      for (const series of family.series) {
        const key = seriesKey(series.labels);
        const existing = entry.index.get(key);
        if (existing === undefined) {
          const copy = cloneSeries(family, series);
          entry.index.set(key, copy);
          entry.family.series.push(copy);
        } else {
          mergeInto(entry.family, existing, series);
        }
      }
    }
  }
  return {
    format: 'agenticgen-metrics',
    version: 1,
    timestamp,
    families: [...families.values()].map((entry) => entry.family),
  };
}
