import type { HistogramOptions, InstrumentOptions, Labels, Meter } from '@agenticgen/core';
import { metricsError } from '../errors.js';
import { exportedNames } from '../exposition/prometheus.js';
import { defaultBuckets, HistogramInstrument } from '../instruments/histogram.js';
import type { Instrument, InstrumentContext, MetricsWarning, Series } from '../instruments/instrument.js';
import { validateLabelName, validateMetricName } from '../instruments/labels.js';
import { CounterInstrument, GaugeInstrument, UpDownCounterInstrument } from '../instruments/scalar.js';
import { SummaryInstrument, type SummaryOptions } from '../instruments/summary.js';
import type { QuantileSketchOptions } from '../sketch/quantile-sketch.js';
import { mergeSnapshots, validateSnapshot } from '../snapshot/merge.js';
import type { GaugeAggregation, MetricFamilySnapshot, MetricsSnapshot } from '../snapshot/snapshot.js';

export interface MetricsRegistryOptions {
  /** Most series per instrument; further label sets go to one `{otel_metric_overflow="true"}` series. Default 2000. */
  cardinalityLimit?: number;
  /**
   * What happens to NaN, infinities and negative counter increments: `'throw'` an `invalid-metric-value`
   * error (default), or `'drop'` them, counting drops in `agenticgen.metrics.dropped_values`.
   */
  invalidValues?: 'throw' | 'drop';
  /** Labels added to every series (e.g. `{ service: 'api' }`). */
  defaultLabels?: Labels;
  /** Clock in milliseconds for summaries' sliding windows. Default `performance.now()`-based epoch time. */
  now?: () => number;
  /** Called for each warning (also delivered to `on('warning')` listeners). */
  onWarning?: (warning: MetricsWarning) => void;
}

export interface GaugeOptions extends InstrumentOptions {
  /** How this gauge's series combine when snapshots from several workers merge. Default `'sum'`. */
  aggregation?: GaugeAggregation;
}

export interface MetricsHistogramOptions extends HistogramOptions {
  /** Keep a mergeable quantile sketch per series for p50/p90/p99 (default true, 1 % relative error). */
  quantileSketch?: boolean | QuantileSketchOptions;
}

export interface CollectOptions {
  /** Include histogram quantile sketches (default true; exposition passes false because it does not need them). */
  includeSketches?: boolean;
  /** Include snapshots attached from workers (default true). */
  includeAttached?: boolean;
}

export type AnyInstrument =
  | CounterInstrument
  | UpDownCounterInstrument
  | GaugeInstrument
  | HistogramInstrument
  | SummaryInstrument;

/** A set of instruments. Several may coexist; nothing is global. Implements core's `Meter`. */
export interface MetricsRegistry extends Meter {
  counter(name: string, options?: InstrumentOptions): CounterInstrument;
  upDownCounter(name: string, options?: InstrumentOptions): UpDownCounterInstrument;
  gauge(name: string, options?: GaugeOptions): GaugeInstrument;
  histogram(name: string, options?: MetricsHistogramOptions): HistogramInstrument;
  /** Quantiles over a sliding time window (Prometheus summary). */
  summary(name: string, options?: SummaryOptions): SummaryInstrument;
  /** The instrument registered under `name`, if any. */
  get(name: string): AnyInstrument | undefined;
  /** Every instrument, in registration order. */
  instruments(): readonly AnyInstrument[];
  /** A plain-data snapshot of every series (plus attached worker snapshots, merged). */
  collect(options?: CollectOptions): MetricsSnapshot;
  /** Keeps the latest snapshot of a worker (replacing its previous one); `collect` merges it in. */
  attachSnapshot(source: string, snapshot: MetricsSnapshot): void;
  /** Forgets a worker's snapshot (e.g. when the worker exits and its counts should disappear). */
  detachSnapshot(source: string): boolean;
  /** Subscribes to warnings (cardinality limit reached, values dropped). Returns an unsubscribe function. */
  on(event: 'warning', listener: (warning: MetricsWarning) => void): () => void;
  /** Subscribes to instrument creation (used by the OpenTelemetry bridge). */
  on(event: 'instrument-create', listener: (instrument: AnyInstrument) => void): () => void;
  /**
   * Runs `callback` at the start of every `collect()` (and so every scrape), to set gauges from state that is
   * cheaper to read on demand (queue depth, pool size). A throwing callback is reported as a warning.
   */
  addCollectCallback(callback: () => void): () => void;
  /** Total values dropped by `invalidValues: 'drop'`. */
  readonly droppedValues: number;
}

const droppedFamilyName = 'agenticgen.metrics.dropped_values';

export function createMetricsRegistry(options: MetricsRegistryOptions = {}): MetricsRegistry {
  const cardinalityLimit = options.cardinalityLimit ?? 2000;
  if (!Number.isInteger(cardinalityLimit) || cardinalityLimit < 1) {
    throw metricsError('invalid-argument', `cardinalityLimit must be a positive integer, got ${cardinalityLimit}`);
  }
  const invalidValues = options.invalidValues ?? 'throw';
  if (invalidValues !== 'throw' && invalidValues !== 'drop') {
    throw metricsError('invalid-argument', `invalidValues must be 'throw' or 'drop', got ${String(invalidValues)}`);
  }
  const defaultLabels = Object.freeze({ ...(options.defaultLabels ?? {}) });
  for (const [name, value] of Object.entries(defaultLabels)) {
    validateLabelName(name, 'defaultLabels', ['le', 'quantile']);
    if (typeof value !== 'string') {
      throw metricsError('invalid-label', `defaultLabels.${name} must be a string, got ${typeof value}`);
    }
  }
  const origin = Date.now() - performance.now();
  const now = options.now ?? (() => origin + performance.now());
  const warningListeners = new Set<(warning: MetricsWarning) => void>();
  const createListeners = new Set<(instrument: AnyInstrument) => void>();
  const byName = new Map<string, AnyInstrument>();
  /** Exported family and sample name → the instrument occupying it (the dropped-values counter is always there). */
  const byExpositionName = new Map<string, string>(
    exportedNames({ name: droppedFamilyName, kind: 'counter', unit: '' }).map((exported) => [
      exported,
      droppedFamilyName,
    ]),
  );
  const attached = new Map<string, MetricsSnapshot>();
  const collectCallbacks = new Set<() => void>();

  const context: InstrumentContext = {
    cardinalityLimit,
    invalidValues,
    defaultLabels,
    warn(warning) {
      options.onWarning?.(warning);
      for (const listener of warningListeners) listener(warning);
    },
  };

  function lookup<T extends AnyInstrument>(
    name: string,
    kind: T['kind'],
    unit: string | undefined,
    labelNames: readonly string[] | undefined,
    create: () => T,
    sameShape: (existing: T) => boolean = () => true,
  ): T {
    const existing = byName.get(name);
    if (existing !== undefined) {
      if (existing.kind !== kind) {
        throw metricsError('metric-conflict', `"${name}" is already registered as a ${existing.kind}, not a ${kind}`);
      }
      const same = existing as T;
      if (
        (labelNames !== undefined &&
          same.labelNames !== undefined &&
          labelNames.join('\u0000') !== same.labelNames.join('\u0000')) ||
        !sameShape(same)
      ) {
        throw metricsError(
          'metric-conflict',
          `"${name}" is already registered with other label names or buckets; use one definition per name`,
        );
      }
      return same;
    }
    validateMetricName(name);
    const exported = exportedNames({ name, kind, unit: unit ?? '' });
    for (const exportedName of exported) {
      const clash = byExpositionName.get(exportedName);
      if (clash !== undefined) {
        throw metricsError(
          'metric-conflict',
          `"${name}" and "${clash}" would both export "${exportedName}" in Prometheus/OpenMetrics text, and a scraper keeps only one; rename one of them`,
          { name, conflictsWith: clash, exportedName },
        );
      }
    }
    const instrument = create();
    byName.set(name, instrument);
    for (const exportedName of exported) byExpositionName.set(exportedName, name);
    for (const listener of createListeners) listener(instrument);
    return instrument;
  }

  function collectLocal(includeSketches: boolean): MetricsSnapshot {
    for (const callback of collectCallbacks) {
      try {
        callback();
      } catch (error) {
        context.warn({ type: 'collect-callback-failed', error });
      }
    }
    const families: MetricFamilySnapshot[] = [];
    let dropped: MetricFamilySnapshot | undefined;
    for (const instrument of byName.values()) {
      families.push(instrument.collect(includeSketches));
      if (instrument.droppedValues > 0) {
        dropped ??= {
          name: droppedFamilyName,
          kind: 'counter',
          description: 'Values rejected (NaN, infinities, negative counter increments) and dropped, per metric.',
          unit: '',
          labelNames: [...Object.keys(defaultLabels), 'metric'],
          series: [],
        };
        dropped.series.push({ labels: { ...defaultLabels, metric: instrument.name }, value: instrument.droppedValues });
      }
    }
    if (dropped !== undefined) families.push(dropped);
    return { format: 'agenticgen-metrics', version: 1, timestamp: Date.now(), families };
  }

  const registry: MetricsRegistry = {
    counter(name, instrumentOptions = {}) {
      return lookup(
        name,
        'counter',
        instrumentOptions.unit,
        instrumentOptions.labelNames,
        () =>
          new CounterInstrument(
            name,
            instrumentOptions.description ?? '',
            instrumentOptions.unit ?? '',
            instrumentOptions.labelNames,
            context,
          ),
      );
    },
    upDownCounter(name, instrumentOptions = {}) {
      return lookup(
        name,
        'up-down-counter',
        instrumentOptions.unit,
        instrumentOptions.labelNames,
        () =>
          new UpDownCounterInstrument(
            name,
            instrumentOptions.description ?? '',
            instrumentOptions.unit ?? '',
            instrumentOptions.labelNames,
            context,
          ),
      );
    },
    gauge(name, gaugeOptions = {}) {
      const aggregation = gaugeOptions.aggregation ?? 'sum';
      if (aggregation !== 'sum' && aggregation !== 'max' && aggregation !== 'min') {
        throw metricsError('invalid-argument', `gauge "${name}": aggregation must be 'sum', 'max' or 'min'`);
      }
      return lookup(
        name,
        'gauge',
        gaugeOptions.unit,
        gaugeOptions.labelNames,
        () =>
          new GaugeInstrument(
            name,
            gaugeOptions.description ?? '',
            gaugeOptions.unit ?? '',
            gaugeOptions.labelNames,
            context,
            aggregation,
          ),
      );
    },
    histogram(name, histogramOptions = {}) {
      const buckets = histogramOptions.buckets ?? defaultBuckets;
      const sketch = histogramOptions.quantileSketch ?? true;
      return lookup(
        name,
        'histogram',
        histogramOptions.unit,
        histogramOptions.labelNames,
        () =>
          new HistogramInstrument(
            name,
            histogramOptions.description ?? '',
            histogramOptions.unit ?? '',
            histogramOptions.labelNames,
            context,
            buckets,
            sketch === false ? null : sketch === true ? {} : sketch,
          ),
        (existing) =>
          histogramOptions.buckets === undefined ||
          (existing.bounds.length === buckets.length && existing.bounds.every((b, i) => b === buckets[i])),
      );
    },
    summary(name, summaryOptions = {}) {
      return lookup(
        name,
        'summary',
        summaryOptions.unit,
        summaryOptions.labelNames,
        () => new SummaryInstrument(name, summaryOptions, context, now),
      );
    },
    get(name) {
      return byName.get(name);
    },
    instruments() {
      return [...byName.values()];
    },
    collect(collectOptions = {}) {
      const local = collectLocal(collectOptions.includeSketches ?? true);
      if (attached.size === 0 || collectOptions.includeAttached === false) return local;
      return mergeSnapshots([local, ...attached.values()]);
    },
    attachSnapshot(source, snapshot) {
      validateSnapshot(snapshot);
      attached.set(source, snapshot);
    },
    detachSnapshot(source) {
      return attached.delete(source);
    },
    on(event: 'warning' | 'instrument-create', listener: (value: never) => void): () => void {
      if (event === 'warning') {
        const typed = listener as (warning: MetricsWarning) => void;
        warningListeners.add(typed);
        return () => warningListeners.delete(typed);
      }
      if (event === 'instrument-create') {
        const typed = listener as (instrument: AnyInstrument) => void;
        createListeners.add(typed);
        return () => createListeners.delete(typed);
      }
      throw metricsError(
        'invalid-argument',
        `unknown registry event "${String(event)}"; use 'warning' or 'instrument-create'`,
      );
    },
    addCollectCallback(callback) {
      collectCallbacks.add(callback);
      return () => collectCallbacks.delete(callback);
    },
    get droppedValues() {
      let total = 0;
      for (const instrument of byName.values()) total += instrument.droppedValues;
      return total;
    },
  };
  return registry;
}

export type { Instrument, Series };
