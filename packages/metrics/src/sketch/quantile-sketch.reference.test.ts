/**
 * The reference DDSketch test suite (DataDog/sketches-js `test/ddsketch.test.ts` and `test/store.test.ts`), ported
 * to this sketch: every dataset, size and quantile of the reference must stay within the relative accuracy, merged
 * and snapshotted sketches too, and collapsing never loses a count. The reference's weighted `accept(value, weight)`
 * and protobuf cases have no counterpart here (`add` takes one observation; snapshots replace protobuf).
 */
import { describe, expect, it } from 'vitest';
import { QuantileSketch } from './quantile-sketch.js';
import { exactQuantile, random, referenceDatasets } from './test-support/datasets.js';

const testSizes = [3, 5, 10, 100, 1000, 5000];
const testQuantiles = [0, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 0.999, 1];
const relativeAccuracy = 0.05;

function expectAccurate(sketch: QuantileSketch, data: readonly number[]): void {
  for (const q of testQuantiles) {
    const expected = exactQuantile(data, q);
    const error = Math.abs(sketch.quantile(q) - expected) - sketch.relativeAccuracy * Math.abs(expected);
    expect(error, `q=${q}, n=${data.length}`).toBeLessThanOrEqual(1e-15);
  }
}

function sketchOf(data: readonly number[], options = { relativeAccuracy }): QuantileSketch {
  const sketch = new QuantileSketch(options);
  for (const value of data) sketch.add(value);
  return sketch;
}

describe('QuantileSketch against the reference DDSketch suite', () => {
  it('works without options', () => {
    const data = referenceDatasets.increasing!(5);
    expectAccurate(sketchOf(data, {} as { relativeAccuracy: number }), data);
  });

  for (const [name, dataset] of Object.entries(referenceDatasets)) {
    it(`is accurate for dataset '${name}' at every size`, () => {
      for (const size of testSizes) expectAccurate(sketchOf(dataset(size)), dataset(size));
    });
  }

  it('survives a snapshot round trip (the reference round-trips protobuf)', () => {
    const data = referenceDatasets.increasing!(100);
    const sketch = sketchOf(data);
    expectAccurate(QuantileSketch.fromSnapshot(structuredClone(sketch.toSnapshot())), data);
  });

  it('merges a sketch into an empty one', () => {
    for (const size of testSizes) {
      const data = referenceDatasets.increasing!(size);
      const source = sketchOf(data);
      const target = new QuantileSketch({ relativeAccuracy });
      expect(target.count).toBe(0);
      target.merge(source);
      expect(target.count).toBe(source.count);
      expectAccurate(target, data);
    }
  });

  it('merges sketches of different lengths', () => {
    for (const size of testSizes) {
      const data = referenceDatasets.increasing!(size);
      const even = sketchOf(data.filter((_, index) => index % 2 === 0));
      even.merge(sketchOf(data.filter((_, index) => index % 2 === 1)));
      expectAccurate(even, data);
    }
  });

  it('does not modify the sketch passed to merge', () => {
    const next = random(3);
    const first = Array.from({ length: 100 }, () => next());
    const second = Array.from({ length: 50 }, () => next());
    const a = sketchOf(first);
    const b = new QuantileSketch({ relativeAccuracy });
    a.merge(b);
    expectAccurate(a, first);
    expect(b.count).toBe(0);
    for (const value of second) b.add(value);
    b.merge(a);
    a.add(100_000);
    expectAccurate(b, [...first, ...second]);
  });

  it('keeps every count when bins collapse (the reference store suite, with a bin limit)', () => {
    for (const [name, dataset] of Object.entries(referenceDatasets)) {
      for (const size of [0, 1, 10, 1000]) {
        const sketch = sketchOf(dataset(size), { relativeAccuracy: 0.01, maxBins: 16 } as never);
        const snapshot = sketch.toSnapshot();
        const binned = [...snapshot.positive.counts, ...snapshot.negative.counts].reduce((sum, c) => sum + c, 0);
        expect(binned + snapshot.zeroCount, `${name} n=${size}`).toBe(size);
        expect(sketch.count).toBe(size);
      }
    }
  });
});

describe('QuantileSketch collapsing', () => {
  it('collapses only when the data, not the window around it, exceeds maxBins', () => {
    const sketch = new QuantileSketch({ relativeAccuracy: 0.01 });
    for (const value of [1, 1e9, 1e10, 0.01, 0.01, 0.01]) sketch.add(value);
    // ranks: 0.01 ×3, 1, 1e9, 1e10; p0.25 → rank 1.25 → 0.01
    expect(Math.abs(sketch.quantile(0.25) - 0.01) / 0.01).toBeLessThanOrEqual(0.01);
  });

  it('keeps the relative-error guarantee for data spanning 17 decades at the default maxBins', () => {
    const sketch = new QuantileSketch({ relativeAccuracy: 0.01 });
    const data: number[] = [];
    for (let exponent = -8; exponent <= 9; exponent += 0.25) data.push(10 ** exponent);
    const next = random(11);
    data.sort(() => next() - 0.5);
    for (const value of data) sketch.add(value);
    for (const q of testQuantiles) {
      const expected = exactQuantile(data, q);
      expect(Math.abs(sketch.quantile(q) - expected) / expected, `q=${q}`).toBeLessThanOrEqual(0.01 + 1e-12);
    }
  });

  it('forgets the collapse threshold on reset (summaries reset on every window rotation)', () => {
    for (const relativeAccuracy of [0.01, 0.05]) {
      const reused = new QuantileSketch({ relativeAccuracy, maxBins: 16 });
      reused.add(1);
      reused.add(1e6);
      reused.reset();
      const fresh = new QuantileSketch({ relativeAccuracy, maxBins: 16 });
      for (const value of [1, 2, 3, 4, 5]) {
        reused.add(value);
        fresh.add(value);
      }
      for (const q of testQuantiles) expect(reused.quantile(q), `a=${relativeAccuracy} q=${q}`).toBe(fresh.quantile(q));
    }
    // At 5 % the 16 bins fold only the value 1, so p0.25 (= 2) of the reset sketch is within 5 %.
    const sketch = new QuantileSketch({ relativeAccuracy: 0.05, maxBins: 16 });
    sketch.add(1e6);
    sketch.reset();
    for (const value of [1, 2, 3, 4, 5]) sketch.add(value);
    expect(Math.abs(sketch.quantile(0.25) - 2) / 2).toBeLessThanOrEqual(0.05);
  });
});
