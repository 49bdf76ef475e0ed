import type { Labels } from '@agenticgen/core';
import { metricsError } from '../errors.js';
import type { MetricFamilySnapshot, MetricKind, SeriesSnapshot } from '../snapshot/snapshot.js';
import { countKeys, exposedLabelName, renderLabelText, validateLabelName } from './labels.js';

/** A warning the registry reports through `registry.on('warning', …)`. */
export type MetricsWarning =
  | {
      /** An instrument reached its series limit; new label sets now go to the overflow series. */
      type: 'cardinality-limit-reached';
      metric: string;
      limit: number;
    }
  | {
      /** A value was rejected and dropped (`invalidValues: 'drop'`); reported once per instrument. */
      type: 'value-dropped';
      metric: string;
      value: number;
      reason: string;
    }
  | {
      /** A collect callback threw; the collection went on without it. */
      type: 'collect-callback-failed';
      error: unknown;
    };

/** What an instrument needs from its registry. */
export interface InstrumentContext {
  readonly cardinalityLimit: number;
  readonly invalidValues: 'throw' | 'drop';
  readonly defaultLabels: Labels;
  warn(warning: MetricsWarning): void;
}

/** Every series (and bound handle) carries its label set and its exposition label text. */
export interface Series {
  readonly labels: Labels;
  readonly labelText: string;
}

/** Joins two pieces of exposition label text with a comma, either of which may be empty. */
export function joinLabelText(prefix: string, pair: string): string {
  if (prefix === '') return pair;
  if (pair === '') return prefix;
  return `${prefix},${pair}`;
}

/**
 * A trie node: children by label value, plus the exposition text of the labels on the path to it. Series keep
 * a reference to their parent's text and an interned `name="value"` pair instead of a text of their own, so
 * the rendered labels cost each series two pointers rather than a 50-byte string.
 */
class TrieNode extends Map<string, unknown> {
  constructor(readonly text: string) {
    super();
  }
}

/** Label set of the series that collects label sets past the cardinality limit (OpenTelemetry's convention). */
export const overflowLabels: Labels = Object.freeze({ otel_metric_overflow: 'true' });

/** Values per typed-array page; pages never move, so handles keep a direct reference to theirs. */
export const pageSize = 256;

/** Hands out fixed slots of `stride` float64s in pages that are never reallocated. */
export class SlotAllocator {
  private page: Float64Array = new Float64Array(0);
  private used = 0;
  bytes = 0;

  constructor(
    private readonly stride: number,
    private readonly initial: number = 0,
  ) {}

  allocate(): { page: Float64Array; offset: number } {
    if (this.used + this.stride > this.page.length) {
      this.page = new Float64Array(Math.max(this.stride, Math.floor(pageSize / this.stride) * this.stride));
      if (this.initial !== 0) this.page.fill(this.initial);
      this.bytes += this.page.byteLength;
      this.used = 0;
    }
    const offset = this.used;
    this.used += this.stride;
    return { page: this.page, offset };
  }
}

/**
 * Base of every instrument: maps label sets to series. Label values are looked up in a trie of Maps keyed by
 * the values in `labelNames` order, so the per-call path neither sorts, joins nor allocates; the series object
 * at the leaf is the same object `bind()` returns.
 */
export abstract class Instrument<S extends Series> {
  abstract readonly kind: MetricKind;
  readonly series: S[] = [];
  labelNames: readonly string[] | undefined;
  private readonly root: TrieNode;
  /** Interned `name="value"` texts of the last label, shared by every series with that value. */
  private readonly leafPairs = new Map<string, string>();
  /** Fast lookup specialised to `labelNames`; undefined until the names are known. */
  private lookup: SeriesLookup | undefined;
  private unlabelled: S | undefined;
  private overflow: S | undefined;
  private warnedDrop = false;
  droppedValues = 0;

  constructor(
    readonly name: string,
    readonly description: string,
    readonly unit: string,
    labelNames: readonly string[] | undefined,
    protected readonly context: InstrumentContext,
    /** Label names the instrument writes itself (a histogram's `le`), refused as user labels. */
    private readonly reservedLabels: readonly string[] = [],
  ) {
    const defaults = context.defaultLabels;
    this.root = new TrieNode(renderLabelText(Object.keys(defaults), defaults));
    if (labelNames !== undefined) this.setLabelNames(labelNames);
  }

  private setLabelNames(names: readonly string[]): readonly string[] {
    const checked = this.checkLabelNames(names);
    this.labelNames = checked;
    this.lookup = compileLookup(checked);
    return checked;
  }

  /** Creates a series; its exposition label text is `joinLabelText(labelPrefix, labelPair)`. */
  protected abstract createSeries(labels: Labels, labelPrefix: string, labelPair: string): S;
  abstract collect(includeSketches: boolean): MetricFamilySnapshot;

  /** The series of `labels` (creating it, or the overflow series past the limit). */
  seriesFor(labels: Labels | undefined): S {
    if (labels === undefined) {
      if (this.unlabelled !== undefined) return this.unlabelled;
    } else if (this.lookup !== undefined) {
      const found = this.lookup(this.root, labels) as S | undefined;
      if (found !== undefined) return found;
    }
    return this.slowSeriesFor(labels ?? {});
  }

  private slowSeriesFor(labels: Labels): S {
    const keys = Object.keys(labels);
    const names = this.labelNames ?? this.setLabelNames(keys.sort());
    for (const key of keys) {
      if (!names.includes(key)) {
        throw metricsError(
          'invalid-label',
          `metric "${this.name}": unknown label "${key}"; its label names are [${names.join(', ')}] (declare them with labelNames)`,
          { metric: this.name, label: key },
        );
      }
      const value = labels[key];
      if (typeof value !== 'string') {
        throw metricsError(
          'invalid-label',
          `metric "${this.name}": label "${key}" must be a string, got ${typeof value}; convert it with String()`,
          { metric: this.name, label: key },
        );
      }
    }
    // Walk again now that the label set is known to be valid: it may exist already (e.g. a missing label = "").
    let node: TrieNode = this.root;
    for (let i = 0; i < names.length - 1; i++) {
      const name = names[i]!;
      const value = labels[name] ?? '';
      let next = node.get(value) as TrieNode | undefined;
      if (next === undefined) {
        if (this.series.length >= this.context.cardinalityLimit) return this.overflowSeries();
        // Built with join so the shared text is one flat string, not a rope of pieces.
        const pair = value === '' ? '' : renderLabelText([name], labels);
        next = new TrieNode(node.text === '' || pair === '' ? node.text + pair : [node.text, pair].join(','));
        node.set(value, next);
      }
      node = next;
    }
    // With no label names the one series sits under '' in the root.
    const leafName = names[names.length - 1];
    const leafKey = leafName === undefined ? '' : (labels[leafName] ?? '');
    let series = node.get(leafKey) as S | undefined;
    if (series === undefined) {
      if (this.series.length >= this.context.cardinalityLimit) return this.overflowSeries();
      series = this.newSeries(labels, names, node.text, this.leafPair(leafName, leafKey));
      node.set(leafKey, series);
    }
    // `add(v)` without labels hits this field directly next time.
    if (keys.length === 0) this.unlabelled = series;
    return series;
  }

  private leafPair(name: string | undefined, value: string): string {
    if (name === undefined || value === '') return '';
    let pair = this.leafPairs.get(value);
    if (pair === undefined) {
      pair = renderLabelText([name], { [name]: value });
      this.leafPairs.set(value, pair);
    }
    return pair;
  }

  private newSeries(labels: Labels, names: readonly string[], prefix: string, pair: string): S {
    const full: Record<string, string> = { ...this.context.defaultLabels };
    for (const name of names) {
      const value = labels[name];
      if (value !== undefined && value !== '') full[name] = value;
    }
    const series = this.createSeries(Object.freeze(full), prefix, pair);
    this.series.push(series);
    return series;
  }

  private overflowSeries(): S {
    if (this.overflow === undefined) {
      const labels = Object.freeze({ ...this.context.defaultLabels, ...overflowLabels });
      this.overflow = this.createSeries(
        labels,
        this.root.text,
        renderLabelText(Object.keys(overflowLabels), overflowLabels),
      );
      this.context.warn({ type: 'cardinality-limit-reached', metric: this.name, limit: this.context.cardinalityLimit });
    }
    return this.overflow;
  }

  /** Every series including the overflow one, for collection. */
  allSeries(): readonly S[] {
    return this.overflow === undefined ? this.series : [...this.series, this.overflow];
  }

  /** Called by a series when a value is invalid: throws or counts the drop, never touches the series. */
  rejected(value: number, reason: string): void {
    if (this.context.invalidValues === 'throw') {
      throw metricsError('invalid-metric-value', `metric "${this.name}": ${reason}, got ${value}`, {
        metric: this.name,
        value: String(value),
      });
    }
    this.droppedValues++;
    if (!this.warnedDrop) {
      this.warnedDrop = true;
      this.context.warn({ type: 'value-dropped', metric: this.name, value, reason });
    }
  }

  protected family(series: SeriesSnapshot[], extra: Partial<MetricFamilySnapshot> = {}): MetricFamilySnapshot {
    const labelNames = [...Object.keys(this.context.defaultLabels), ...(this.labelNames ?? [])];
    return {
      name: this.name,
      kind: this.kind,
      description: this.description,
      unit: this.unit,
      labelNames,
      ...extra,
      series,
    };
  }

  private checkLabelNames(names: readonly string[]): readonly string[] {
    const seen = new Set<string>(Object.keys(this.context.defaultLabels).map(exposedLabelName));
    for (const name of names) {
      validateLabelName(name, this.name, this.reservedLabels);
      if (seen.has(exposedLabelName(name)) && !Object.hasOwn(this.context.defaultLabels, name)) {
        throw metricsError(
          'invalid-label',
          `metric "${this.name}": label "${name}" is listed twice in labelNames (or clashes with another once "." becomes "_")`,
        );
      }
      if (Object.hasOwn(this.context.defaultLabels, name)) {
        throw metricsError(
          'invalid-label',
          `metric "${this.name}": label "${name}" is already a default label of the registry; remove it from labelNames`,
        );
      }
      seen.add(exposedLabelName(name));
    }
    return Object.freeze([...names]);
  }
}

/** Finds the series of a label set in the trie, or undefined (unknown set, extra labels, non-string values). */
type SeriesLookup = (root: Map<string, unknown>, labels: Labels) => unknown;

/**
 * Builds the lookup for one list of label names. Where the runtime allows code generation it emits straight-line
 * code reading `labels["<name>"]` with constant keys (monomorphic inline caches instead of megamorphic keyed
 * loads: about twice as fast); names are validated and JSON-quoted, so nothing can be injected. Under
 * a CSP without `unsafe-eval` it falls back to the generic loop.
 */
function compileLookup(names: readonly string[]): SeriesLookup {
  if (names.length === 0) {
    return (root, labels) => {
      for (const _ in labels) return undefined;
      return root.get('');
    };
  }
  try {
    const lines = ['let node = root;'];
    names.forEach((name, i) => {
      lines.push(`const v${i} = labels[${JSON.stringify(name)}];`);
      lines.push(`node = node.get(v${i} === undefined ? '' : v${i}); if (node === undefined) return undefined;`);
    });
    // Equal key counts prove no label outside labelNames was passed.
    lines.push('let keys = 0; for (const key in labels) keys++;');
    lines.push(`if (keys !== ${names.map((_, i) => `(v${i} !== undefined)`).join(' + ')}) return undefined;`);
    lines.push('return node;');
    return new Function('root', 'labels', lines.join('\n')) as SeriesLookup;
  } catch {
    return (root, labels) => {
      let node: unknown = root;
      let present = 0;
      for (const name of names) {
        const value = labels[name];
        if (value !== undefined) present++;
        node = (node as Map<string, unknown>).get(value ?? '');
        if (node === undefined) return undefined;
      }
      return countKeys(labels) === present ? node : undefined;
    };
  }
}
