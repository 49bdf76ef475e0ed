import { AgenticGenError } from '@agenticgen/core';
import { describe, expect, it } from 'vitest';
import { QuantileSketch, subtractSketch } from './quantile-sketch.js';
import { exactQuantile, random } from './test-support/datasets.js';

const distributions: Record<string, (next: () => number) => number> = {
  uniform: (next) => next() * 100,
  lognormal: (next) => Math.exp(2 * Math.sqrt(-2 * Math.log(next() || 1e-12)) * Math.cos(2 * Math.PI * next())),
  'mixed signs with zeros': (next) => {
    const x = next();
    return x < 0.1 ? 0 : (x - 0.4) * 1000;
  },
};

describe('QuantileSketch', () => {
  for (const [name, draw] of Object.entries(distributions)) {
    it(`keeps every quantile within 1 % relative error: ${name}`, () => {
      const next = random(42);
      const sketch = new QuantileSketch({ relativeAccuracy: 0.01 });
      const values = Array.from({ length: 20_000 }, () => draw(next));
      for (const value of values) sketch.add(value);
      for (const q of [0, 0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99, 0.999, 1]) {
        const exact = exactQuantile(values, q);
        const estimate = sketch.quantile(q);
        expect(Math.abs(estimate - exact), `q=${q}`).toBeLessThanOrEqual(Math.abs(exact) * 0.01 + 1e-9);
      }
      expect(sketch.count).toBe(values.length);
    });
  }

  it('merges exactly: merging two halves answers like one sketch of everything', () => {
    const next = random(7);
    const whole = new QuantileSketch();
    const left = new QuantileSketch();
    const right = new QuantileSketch();
    for (let i = 0; i < 5000; i++) {
      const value = next() * 1000 - 100;
      whole.add(value);
      (i % 2 === 0 ? left : right).add(value);
    }
    left.merge(right.toSnapshot());
    for (const q of [0.01, 0.5, 0.9, 0.99]) expect(left.quantile(q)).toBe(whole.quantile(q));
    expect(QuantileSketch.fromSnapshot(structuredClone(whole.toSnapshot())).quantile(0.9)).toBe(whole.quantile(0.9));
  });

  it('stays bounded: past maxBins the lowest bins collapse and high quantiles stay accurate', () => {
    const sketch = new QuantileSketch({ relativeAccuracy: 0.01, maxBins: 64 });
    for (let i = -300; i <= 300; i++) sketch.add(10 ** (i / 30));
    expect(sketch.byteLength).toBeLessThanOrEqual(64 * 8);
    const p99 = sketch.quantile(0.99);
    const exact = 10 ** (294 / 30); // rank floor(0.99 * 600) = 594 → i = 294
    expect(Math.abs(p99 - exact) / exact).toBeLessThan(0.011);
    expect(sketch.count).toBe(601);
  });

  it('subtracts an earlier snapshot to get what happened in between', () => {
    const sketch = new QuantileSketch();
    for (let i = 0; i < 1000; i++) sketch.add(1);
    const earlier = sketch.toSnapshot();
    for (let i = 0; i < 100; i++) sketch.add(50);
    const delta = QuantileSketch.fromSnapshot(subtractSketch(sketch.toSnapshot(), earlier));
    expect(delta.count).toBe(100);
    expect(Math.abs(delta.quantile(0.5) - 50) / 50).toBeLessThanOrEqual(0.01);
  });

  it('refuses to merge sketches of different accuracy and rejects bad options', () => {
    const a = new QuantileSketch({ relativeAccuracy: 0.01 });
    const b = new QuantileSketch({ relativeAccuracy: 0.02 });
    expect(() => a.merge(b)).toThrow(/same accuracy/);
    let error: unknown;
    try {
      new QuantileSketch({ relativeAccuracy: 2 });
    } catch (caught) {
      error = caught;
    }
    expect(AgenticGenError.hasCode(error, 'invalid-argument')).toBe(true);
    expect(Number.isNaN(new QuantileSketch().quantile(0.5))).toBe(true);
  });
});
