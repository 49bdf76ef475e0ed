import { escapeLabelValue, renderLabelText } from '../instruments/labels.js';
import { QuantileSketch } from '../sketch/quantile-sketch.js';
import {
  CollectedSeries,
  type HistogramSeriesSnapshot,
  type MetricFamilySnapshot,
  type MetricsSnapshot,
  type ScalarSeriesSnapshot,
  type SeriesSnapshot,
  type SummarySeriesSnapshot,
} from '../snapshot/snapshot.js';
import { prometheusUnit, toBaseUnit } from './units.js';

export { prometheusUnit } from './units.js';

/** Content type of the Prometheus text exposition format 0.0.4. */
export const prometheusContentType = 'text/plain; version=0.0.4; charset=utf-8';
/** Content type of the OpenMetrics 1.0 text format. */
export const openMetricsContentType = 'application/openmetrics-text; version=1.0.0; charset=utf-8';

/**
 * The Prometheus family name of an instrument: invalid characters become `_`, the unit suffix is appended
 * (unless already there) and a counter's `_total` is removed (it is added back on its samples).
 */
export function prometheusName(family: Pick<MetricFamilySnapshot, 'name' | 'kind' | 'unit'>): string {
  let name = family.name.replace(/[^a-zA-Z0-9_:]/g, '_');
  if (/^[0-9]/.test(name)) name = `_${name}`;
  if (family.kind === 'counter' && name.endsWith('_total')) name = name.slice(0, -'_total'.length);
  const unit = prometheusUnit(family.unit, family.kind);
  if (unit !== '' && !name.endsWith(`_${unit}`)) name = `${name}_${unit}`;
  return name;
}

/** Suffixes each kind adds to its family name on samples (counters: `_total`, also the Prometheus family name). */
const sampleSuffixes: Record<MetricFamilySnapshot['kind'], readonly string[]> = {
  counter: ['_total'],
  'up-down-counter': [],
  gauge: [],
  histogram: ['_bucket', '_sum', '_count'],
  summary: ['_sum', '_count'],
};

/**
 * Every name an instrument occupies in the Prometheus and OpenMetrics texts: its family name and its sample names.
 * Two instruments sharing any of them would overwrite each other's series in a scraper.
 */
export function exportedNames(family: Pick<MetricFamilySnapshot, 'name' | 'kind' | 'unit'>): string[] {
  const base = prometheusName(family);
  return [base, ...sampleSuffixes[family.kind].map((suffix) => base + suffix)];
}

function formatValue(value: number): string {
  if (Number.isFinite(value)) return `${value}`;
  if (Number.isNaN(value)) return 'NaN';
  return value > 0 ? '+Inf' : '-Inf';
}

function labelTextOf(series: SeriesSnapshot): string {
  const cached = CollectedSeries.labelTextOf(series);
  return cached ?? renderLabelText(Object.keys(series.labels), series.labels);
}

function escapeHelp(text: string, openMetrics: boolean): string {
  let escaped = text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
  if (openMetrics) escaped = escaped.replace(/"/g, '\\"');
  return escaped;
}

function braces(labelText: string): string {
  return labelText === '' ? '' : `{${labelText}}`;
}

function withLabel(labelText: string, name: string, value: string): string {
  return `{${labelText === '' ? '' : `${labelText},`}${name}="${value}"}`;
}

const prometheusTypes = {
  counter: 'counter',
  'up-down-counter': 'gauge',
  gauge: 'gauge',
  histogram: 'histogram',
  summary: 'summary',
} as const;

function renderExemplar(
  exemplar: { labels: Readonly<Record<string, string>>; value: number; timestamp: number },
  toBase: (value: number) => number,
): string {
  const text = renderLabelText(Object.keys(exemplar.labels), exemplar.labels);
  // OpenMetrics caps an exemplar's label set at 128 UTF-8 characters; a longer one is omitted, not truncated.
  if (text.length > 128) return '';
  return ` # {${text}} ${formatValue(toBase(exemplar.value))} ${exemplar.timestamp.toFixed(3)}`;
}

const unchanged = (value: number) => value;

function renderFamily(family: MetricFamilySnapshot, openMetrics: boolean): string {
  const base = prometheusName(family);
  // The name states the base unit (`_seconds` for `ms`), so the values are converted to it.
  const toBase = toBaseUnit(family.unit) ?? unchanged;
  const type = prometheusTypes[family.kind];
  const familyName = family.kind === 'counter' && !openMetrics ? `${base}_total` : base;
  let out = `# HELP ${familyName} ${escapeHelp(family.description || family.name, openMetrics)}\n# TYPE ${familyName} ${type}\n`;
  if (openMetrics) {
    const unit = prometheusUnit(family.unit, family.kind);
    if (unit !== '' && base.endsWith(`_${unit}`)) out += `# UNIT ${base} ${unit}\n`;
  }
  const series = family.series;
  switch (family.kind) {
    case 'counter': {
      const sample = `${base}_total`;
      for (const one of series)
        out += `${sample}${braces(labelTextOf(one))} ${formatValue(toBase((one as ScalarSeriesSnapshot).value))}\n`;
      break;
    }
    case 'up-down-counter':
    case 'gauge':
      for (const one of series)
        out += `${base}${braces(labelTextOf(one))} ${formatValue(toBase((one as ScalarSeriesSnapshot).value))}\n`;
      break;
    case 'histogram': {
      const bounds = (family.buckets ?? []).map((bound) => escapeLabelValue(formatValue(toBase(bound))));
      bounds.push('+Inf');
      for (const one of series) {
        const histogram = one as HistogramSeriesSnapshot;
        const text = labelTextOf(one);
        let cumulative = 0;
        for (let i = 0; i < bounds.length; i++) {
          cumulative += histogram.bucketCounts[i] ?? 0;
          out += `${base}_bucket${withLabel(text, 'le', bounds[i]!)} ${cumulative}`;
          const exemplar = openMetrics ? histogram.exemplars?.[i] : undefined;
          out += exemplar ? `${renderExemplar(exemplar, toBase)}\n` : '\n';
        }
        out += `${base}_sum${braces(text)} ${formatValue(toBase(histogram.sum))}\n${base}_count${braces(text)} ${histogram.count}\n`;
      }
      break;
    }
    case 'summary': {
      const quantiles = family.quantiles ?? [];
      for (const one of series) {
        const summary = one as SummarySeriesSnapshot;
        const text = labelTextOf(one);
        const sketch = QuantileSketch.fromSnapshot(summary.sketch);
        for (const q of quantiles) {
          out += `${base}${withLabel(text, 'quantile', formatValue(q))} ${formatValue(toBase(sketch.quantile(q)))}\n`;
        }
        out += `${base}_sum${braces(text)} ${formatValue(toBase(summary.sum))}\n${base}_count${braces(text)} ${summary.count}\n`;
      }
      break;
    }
  }
  return out;
}

/** Renders a snapshot in the Prometheus text exposition format 0.0.4. */
export function formatPrometheus(snapshot: MetricsSnapshot): string {
  let out = '';
  for (const family of snapshot.families) out += renderFamily(family, false);
  return out;
}

/** Renders a snapshot in the OpenMetrics 1.0 text format (with exemplars and the `# EOF` terminator). */
export function formatOpenMetrics(snapshot: MetricsSnapshot): string {
  let out = '';
  for (const family of snapshot.families) out += renderFamily(family, true);
  return `${out}# EOF\n`;
}

/** Picks the format for an HTTP `Accept` header: OpenMetrics when the scraper asks for it, else Prometheus text. */
export function negotiateFormat(accept: string | null | undefined): 'openmetrics' | 'prometheus' {
  return accept?.includes('application/openmetrics-text') ? 'openmetrics' : 'prometheus';
}
