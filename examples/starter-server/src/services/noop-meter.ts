import type { Meter } from '@agenticgen/core';

const noop = { add() {}, set() {}, record() {} };
const instrument = { ...noop, bind: () => noop };

/** Records nothing; used when @agenticgen/metrics is unavailable so code can record unconditionally. */
export const noopMeter: Meter = {
  counter: () => instrument,
  upDownCounter: () => instrument,
  gauge: () => instrument,
  histogram: () => instrument,
};
