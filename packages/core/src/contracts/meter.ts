/**
 * The metrics contract. `@agenticgen/metrics` implements it with typed-array storage; core ships a no-op
 * meter so code can record unconditionally. Names follow OpenTelemetry conventions (`gen_ai.client.…`).
 */

/** Label values; keys are label names (`[a-zA-Z_][a-zA-Z0-9_]*`). */
export type Labels = Readonly<Record<string, string>>;

export interface InstrumentOptions {
  /** Human description, exported as HELP. */
  description?: string;
  /** UCUM unit, e.g. `s`, `By`, `{token}`. */
  unit?: string;
  /** Label names this instrument uses, in order (lets bound handles skip hashing). */
  labelNames?: readonly string[];
}

export interface HistogramOptions extends InstrumentOptions {
  /** Explicit bucket upper bounds, ascending. */
  buckets?: readonly number[];
}

/** A handle bound to one label set: recording does no hashing and no allocation. */
export interface BoundCounter {
  /** Adds a non-negative value (default 1). */
  add(value?: number): void;
}

export interface Counter {
  /** Adds a non-negative value (default 1) to the series of `labels`. */
  add(value?: number, labels?: Labels): void;
  /** A handle for one label set. */
  bind(labels?: Labels): BoundCounter;
}

export interface BoundUpDownCounter {
  /** Adds a value, which may be negative. */
  add(value: number): void;
}

export interface UpDownCounter {
  /** Adds a value, which may be negative. */
  add(value: number, labels?: Labels): void;
  /** A handle for one label set. */
  bind(labels?: Labels): BoundUpDownCounter;
}

export interface BoundGauge {
  /** Sets the current value. */
  set(value: number): void;
}

export interface Gauge {
  /** Sets the current value of the series of `labels`. */
  set(value: number, labels?: Labels): void;
  /** A handle for one label set. */
  bind(labels?: Labels): BoundGauge;
}

export interface BoundHistogram {
  /** Records one observation. */
  record(value: number): void;
}

export interface Histogram {
  /** Records one observation in the series of `labels`. */
  record(value: number, labels?: Labels): void;
  /** A handle for one label set. */
  bind(labels?: Labels): BoundHistogram;
}

export interface Meter {
  /** A monotonically increasing counter. Asking twice for one name returns the same instrument. */
  counter(name: string, options?: InstrumentOptions): Counter;
  /** A counter that may go down (in-flight requests, queue depth). */
  upDownCounter(name: string, options?: InstrumentOptions): UpDownCounter;
  /** A last-value gauge. */
  gauge(name: string, options?: InstrumentOptions): Gauge;
  /** A distribution. */
  histogram(name: string, options?: HistogramOptions): Histogram;
}
