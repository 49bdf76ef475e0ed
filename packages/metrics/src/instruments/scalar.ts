import type {
  BoundCounter,
  BoundGauge,
  BoundUpDownCounter,
  Counter,
  Gauge,
  Labels,
  UpDownCounter,
} from '@agenticgen/core';
import type { GaugeAggregation, MetricFamilySnapshot, ScalarSeriesSnapshot } from '../snapshot/snapshot.js';
import { CollectedScalarSeries } from '../snapshot/snapshot.js';
import { Instrument, type InstrumentContext, joinLabelText, type Series, SlotAllocator } from './instrument.js';

const maxFinite = Number.MAX_VALUE;

/**
 * What every scalar series is: one float64 slot in a page that never moves, with its labels. The subclasses add
 * only their write method (`add` or `set`) and its validation.
 */
abstract class SlotSeries<S extends Series> implements Series {
  constructor(
    protected readonly owner: Instrument<S>,
    protected readonly page: Float64Array,
    protected readonly slot: number,
    readonly labels: Labels,
    private readonly labelPrefix: string,
    private readonly labelPair: string,
  ) {}

  /** Exposition label text (`a="x",b="y"`), assembled from shared pieces. */
  get labelText(): string {
    return joinLabelText(this.labelPrefix, this.labelPair);
  }

  /** Current value. */
  get value(): number {
    return this.page[this.slot]!;
  }
}

/** A counter series and its bound handle. */
export class CounterSeries extends SlotSeries<CounterSeries> implements BoundCounter {
  add(value = 1): void {
    // One comparison pair rejects NaN, infinities and negatives.
    if (value >= 0 && value <= maxFinite) this.page[this.slot]! += value;
    else this.owner.rejected(value, 'counter increments must be finite and >= 0');
  }
}

/** An up-down counter series and its bound handle. */
export class UpDownCounterSeries extends SlotSeries<UpDownCounterSeries> implements BoundUpDownCounter {
  add(value: number): void {
    if (value - value === 0) this.page[this.slot]! += value;
    else this.owner.rejected(value, 'up-down counter deltas must be finite numbers');
  }
}

/** A gauge series and its bound handle. */
export class GaugeSeries extends SlotSeries<GaugeSeries> implements BoundGauge {
  set(value: number): void {
    if (value - value === 0) this.page[this.slot] = value;
    else this.owner.rejected(value, 'gauge values must be finite numbers');
  }
}

function collectScalars(
  series: readonly { labels: Labels; labelText: string; value: number }[],
): ScalarSeriesSnapshot[] {
  const out: ScalarSeriesSnapshot[] = new Array(series.length);
  for (let i = 0; i < series.length; i++) {
    const one = series[i]!;
    out[i] = new CollectedScalarSeries(one.labels, one.value, one.labelText);
  }
  return out;
}

export class CounterInstrument extends Instrument<CounterSeries> implements Counter {
  readonly kind = 'counter' as const;
  private readonly slots = new SlotAllocator(1);

  add(value?: number, labels?: Labels): void {
    this.seriesFor(labels).add(value);
  }

  bind(labels?: Labels): CounterSeries {
    return this.seriesFor(labels);
  }

  protected createSeries(labels: Labels, labelPrefix: string, labelPair: string): CounterSeries {
    const { page, offset } = this.slots.allocate();
    return new CounterSeries(this, page, offset, labels, labelPrefix, labelPair);
  }

  collect(): MetricFamilySnapshot {
    return this.family(collectScalars(this.allSeries()));
  }

  get byteLength(): number {
    return this.slots.bytes;
  }
}

export class UpDownCounterInstrument extends Instrument<UpDownCounterSeries> implements UpDownCounter {
  readonly kind = 'up-down-counter' as const;
  private readonly slots = new SlotAllocator(1);

  add(value: number, labels?: Labels): void {
    this.seriesFor(labels).add(value);
  }

  bind(labels?: Labels): UpDownCounterSeries {
    return this.seriesFor(labels);
  }

  protected createSeries(labels: Labels, labelPrefix: string, labelPair: string): UpDownCounterSeries {
    const { page, offset } = this.slots.allocate();
    return new UpDownCounterSeries(this, page, offset, labels, labelPrefix, labelPair);
  }

  collect(): MetricFamilySnapshot {
    return this.family(collectScalars(this.allSeries()));
  }
}

export class GaugeInstrument extends Instrument<GaugeSeries> implements Gauge {
  readonly kind = 'gauge' as const;
  private readonly slots = new SlotAllocator(1);

  constructor(
    name: string,
    description: string,
    unit: string,
    labelNames: readonly string[] | undefined,
    context: InstrumentContext,
    readonly aggregation: GaugeAggregation,
  ) {
    super(name, description, unit, labelNames, context);
  }

  set(value: number, labels?: Labels): void {
    this.seriesFor(labels).set(value);
  }

  bind(labels?: Labels): GaugeSeries {
    return this.seriesFor(labels);
  }

  protected createSeries(labels: Labels, labelPrefix: string, labelPair: string): GaugeSeries {
    const { page, offset } = this.slots.allocate();
    return new GaugeSeries(this, page, offset, labels, labelPrefix, labelPair);
  }

  collect(): MetricFamilySnapshot {
    return this.family(collectScalars(this.allSeries()), { aggregation: this.aggregation });
  }
}
