/**
 * @agenticgen/metrics — counters, gauges, histograms and summaries with allocation-free bound handles,
 * quantile sketches, rollup windows, worker snapshot merging, Prometheus / OpenMetrics / JSON / OpenTelemetry
 * export and an auto-instrumentation plugin. This entry is browser-safe; the node entry adds the HTTP handler.
 */

export { metricsErrorCodes } from './error-codes.js';
export type { MetricsErrorCode } from './errors.js';
export { createMetricsFetchHandler, type MetricsEndpointOptions, renderMetrics } from './exposition/fetch-handler.js';
export { snapshotFromJson, snapshotToJson } from './exposition/json.js';
export {
  formatOpenMetrics,
  formatPrometheus,
  negotiateFormat,
  openMetricsContentType,
  prometheusContentType,
  prometheusName,
} from './exposition/prometheus.js';
export {
  createMetricsHistory,
  type HistoryPoint,
  type HistorySeries,
  type MetricsHistory,
  type MetricsHistoryOptions,
} from './history/metrics-history.js';
export { defaultBuckets, type HistogramInstrument, type HistogramSeries } from './instruments/histogram.js';
export type { MetricsWarning } from './instruments/instrument.js';
export type {
  CounterInstrument,
  CounterSeries,
  GaugeInstrument,
  GaugeSeries,
  UpDownCounterInstrument,
  UpDownCounterSeries,
} from './instruments/scalar.js';
export type { BoundSummary, SummaryInstrument, SummaryOptions, SummarySeries } from './instruments/summary.js';
export {
  bridgeToOpenTelemetry,
  type OpenTelemetryBridge,
  type OpenTelemetryBridgeOptions,
} from './otel/otel-bridge.js';
export { instrumentCodeSandbox } from './plugin/instrument-sandbox.js';
export {
  type CacheEventSource,
  createMetricsPlugin,
  genAiDurationBuckets,
  genAiTokenBuckets,
  type MetricsPlugin,
  type MetricsPluginOptions,
  type SchedulerSource,
} from './plugin/metrics-plugin.js';
export {
  type AnyInstrument,
  type CollectOptions,
  createMetricsRegistry,
  type GaugeOptions,
  type MetricsHistogramOptions,
  type MetricsRegistry,
  type MetricsRegistryOptions,
} from './registry/registry.js';
export { QuantileSketch, type QuantileSketchOptions, type SketchSnapshot } from './sketch/quantile-sketch.js';
export { mergeSnapshots, validateSnapshot } from './snapshot/merge.js';
export { isMetricsSnapshot, type ReportSnapshotsOptions, reportSnapshots } from './snapshot/report.js';
export type {
  ExemplarSnapshot,
  GaugeAggregation,
  HistogramSeriesSnapshot,
  MetricFamilySnapshot,
  MetricKind,
  MetricsSnapshot,
  ScalarSeriesSnapshot,
  SeriesSnapshot,
  SummarySeriesSnapshot,
} from './snapshot/snapshot.js';
