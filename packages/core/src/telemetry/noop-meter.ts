import type {
  BoundCounter,
  BoundGauge,
  BoundHistogram,
  BoundUpDownCounter,
  Counter,
  Gauge,
  Histogram,
  Meter,
  UpDownCounter,
} from '../contracts/meter.js';

const boundNoop: BoundCounter & BoundUpDownCounter & BoundGauge & BoundHistogram = Object.freeze({
  add() {},
  set() {},
  record() {},
});

const instrumentNoop: Counter & UpDownCounter & Gauge & Histogram = Object.freeze({
  add() {},
  set() {},
  record() {},
  bind: () => boundNoop,
});

/**
 * A `Meter` that records nothing, so code can record unconditionally (`options.meter ?? noopMeter`) and pay
 * only a function call when metrics are off. Every instrument is one shared frozen object: no allocation.
 */
export const noopMeter: Meter = Object.freeze({
  counter: () => instrumentNoop,
  upDownCounter: () => instrumentNoop,
  gauge: () => instrumentNoop,
  histogram: () => instrumentNoop,
});
