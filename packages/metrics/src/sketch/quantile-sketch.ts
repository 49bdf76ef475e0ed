import { DDSketch } from '@datadog/sketches-js';
import { metricsError } from '../errors.js';

/**
 * A mergeable quantile sketch: DDSketch (Masson, Rim & Lee, VLDB 2019) from `@datadog/sketches-js`, which was ahead
 * of the hand-written sketch this replaced on add and on quantiles (bench/run.ts). A value `v > 0` falls in bin
 * `ceil(log(v) / log(gamma))` with `gamma = (1 + a) / (1 - a)` and is reported as the bin's midpoint, within
 * relative error `a`. Added here on the library's public fields: bounded bins (when the occupied bins of one sign
 * would span more than `maxBins`, the lowest fold into one: only the lowest quantiles lose accuracy), a plain-data
 * snapshot with the same bin indices as before (so workers on either version merge) and exact extremes for
 * clamping. The bounding is ours because the library's own `LogCollapsingLowestDenseDDSketch` (2.1.1) loses
 * track of its counts when it collapses (bins summing to 1,730 for 999 values; see docs/metrics.md).
 */

/** Plain-data form of a sketch (structured-clone and JSON safe). */
export interface SketchSnapshot {
  /** Relative accuracy `a` of every reported quantile, e.g. `0.01` for 1 %. */
  relativeAccuracy: number;
  /** Observations equal to zero (or too small in magnitude to index). */
  zeroCount: number;
  /** Bins of positive values: counts[k] belongs to bin index `offset + k`. */
  positive: { offset: number; counts: number[] };
  /** Bins of negative values, indexed by magnitude. */
  negative: { offset: number; counts: number[] };
  /** Exact smallest value seen, when known (quantiles are clamped to [min, max]). */
  min?: number;
  /** Exact largest value seen, when known. */
  max?: number;
}

export interface QuantileSketchOptions {
  /** Relative error of quantiles, in (0, 1). Default 0.01 (1 %). */
  relativeAccuracy?: number;
  /**
   * Upper bound on occupied bins per sign; beyond it the lowest bins collapse. Default 2048. Memory is this rounded
   * up to a multiple of 128 bins (the library's growth step), 8 bytes each.
   */
  maxBins?: number;
}

// Magnitudes below this count as zero: log() of denormals would need thousands of bins for no practical use.
const minIndexable = 1e-12;

type Store = DDSketch['store'];

export class QuantileSketch {
  readonly relativeAccuracy: number;
  readonly gamma: number;
  readonly #maxBins: number;
  #sketch: DDSketch;
  /** Lowest bin index each sign may still store; raised when its bins collapse. */
  #positiveFloor = Number.NEGATIVE_INFINITY;
  #negativeFloor = Number.NEGATIVE_INFINITY;

  constructor(options: QuantileSketchOptions = {}) {
    const accuracy = options.relativeAccuracy ?? 0.01;
    if (!(accuracy > 0 && accuracy < 1)) {
      throw metricsError('invalid-argument', `relativeAccuracy must be in (0, 1), got ${accuracy}; use e.g. 0.01`);
    }
    const maxBins = options.maxBins ?? 2048;
    if (!Number.isInteger(maxBins) || maxBins < 16) {
      throw metricsError('invalid-argument', `maxBins must be an integer >= 16, got ${maxBins}`);
    }
    this.relativeAccuracy = accuracy;
    this.#maxBins = maxBins;
    this.#sketch = new DDSketch({ relativeAccuracy: accuracy });
    this.gamma = this.#sketch.mapping.gamma;
  }

  /** Observations equal to zero (or too small in magnitude to index). */
  get zeroCount(): number {
    return this.#sketch.zeroCount;
  }

  get count(): number {
    return this.#sketch.count;
  }

  get min(): number {
    return this.#sketch.min;
  }

  get max(): number {
    return this.#sketch.max;
  }

  /** Adds one finite value (callers validate). */
  add(value: number): void {
    const sketch = this.#sketch;
    // Tiny magnitudes count as zero: log() of denormals would need thousands of bins for no practical use.
    if (value > minIndexable) this.#addToBin(false, sketch.mapping.key(value), 1);
    else if (value < -minIndexable) this.#addToBin(true, sketch.mapping.key(-value), 1);
    else sketch.zeroCount++;
    sketch.count++;
    sketch.sum += value;
    if (value < sketch.min) sketch.min = value;
    if (value > sketch.max) sketch.max = value;
  }

  /** Adds `weight` to bin `key` of one sign, collapsing that sign's lowest bins first when it would exceed maxBins. */
  #addToBin(negative: boolean, key: number, weight: number): void {
    let store = negative ? this.#sketch.negativeStore : this.#sketch.store;
    const floor = negative ? this.#negativeFloor : this.#positiveFloor;
    let at = Math.max(key, floor);
    if (store.count > 0 && (at < store.minKey || at > store.maxKey)) {
      const highest = Math.max(at, store.maxKey);
      if (highest - Math.min(at, store.minKey) + 1 > this.#maxBins) {
        const newFloor = highest - this.#maxBins + 1;
        store = this.#collapse(negative, store, newFloor);
        if (at < newFloor) at = newFloor;
      }
    }
    store.add(at, weight);
  }

  /** Replaces one sign's store by a copy whose bins below `floor` are folded into bin `floor`. */
  #collapse(negative: boolean, store: Store, floor: number): Store {
    const collapsed = new DDSketch({ relativeAccuracy: this.relativeAccuracy }).store;
    for (let key = store.minKey; key <= store.maxKey; key++) {
      const count = store.bins[key - store.offset] as number;
      if (count > 0) collapsed.add(Math.max(key, floor), count);
    }
    if (negative) {
      this.#sketch.negativeStore = collapsed;
      this.#negativeFloor = floor;
    } else {
      this.#sketch.store = collapsed;
      this.#positiveFloor = floor;
    }
    return collapsed;
  }

  /** The value at quantile `q` in [0, 1], within `relativeAccuracy`; NaN when empty. */
  quantile(q: number): number {
    if (this.count === 0 || !(q >= 0 && q <= 1)) return Number.NaN;
    // Bin midpoints can fall outside the observed range; the exact extremes are known, so clamp to them.
    return Math.min(this.max, Math.max(this.min, this.#sketch.getValueAtQuantile(q)));
  }

  /** Adds every observation of `other` (same accuracy required). */
  merge(other: QuantileSketch | SketchSnapshot): void {
    const snapshot = other instanceof QuantileSketch ? other.toSnapshot() : other;
    if (Math.abs(snapshot.relativeAccuracy - this.relativeAccuracy) > 1e-12) {
      throw metricsError(
        'invalid-snapshot',
        `cannot merge sketches of relative accuracy ${snapshot.relativeAccuracy} and ${this.relativeAccuracy}; configure the same accuracy everywhere`,
      );
    }
    const zeroCount = snapshot.zeroCount;
    if (!(zeroCount >= 0) || !Number.isFinite(zeroCount)) {
      throw metricsError('invalid-snapshot', `sketch zeroCount must be a finite number >= 0, got ${zeroCount}`);
    }
    // Checked before anything is added, so a bad snapshot leaves this sketch as it was.
    checkBins(snapshot.positive);
    checkBins(snapshot.negative);
    const sketch = this.#sketch;
    const added = zeroCount + this.#addBins(false, snapshot.positive) + this.#addBins(true, snapshot.negative);
    sketch.zeroCount += zeroCount;
    sketch.count += added;
    if (added > 0) {
      // Without known extremes (a subtracted sketch) the clamp must not cut anything off.
      sketch.min = Math.min(sketch.min, snapshot.min ?? Number.NEGATIVE_INFINITY);
      sketch.max = Math.max(sketch.max, snapshot.max ?? Number.POSITIVE_INFINITY);
    }
  }

  #addBins(negative: boolean, bins: { offset: number; counts: readonly number[] }): number {
    let added = 0;
    for (let k = 0; k < bins.counts.length; k++) {
      const count = bins.counts[k] as number;
      if (count === 0) continue;
      this.#addToBin(negative, bins.offset + k, count);
      added += count;
    }
    return added;
  }

  /** Forgets every count and the collapse floors: a reset sketch accepts a new range at full accuracy. */
  reset(): void {
    this.#sketch = new DDSketch({ relativeAccuracy: this.relativeAccuracy });
    this.#positiveFloor = Number.NEGATIVE_INFINITY;
    this.#negativeFloor = Number.NEGATIVE_INFINITY;
  }

  toSnapshot(): SketchSnapshot {
    const snapshot: SketchSnapshot = {
      relativeAccuracy: this.relativeAccuracy,
      zeroCount: this.zeroCount,
      positive: storeSnapshot(this.#sketch.store),
      negative: storeSnapshot(this.#sketch.negativeStore),
    };
    if (this.count > 0) {
      snapshot.min = this.min;
      snapshot.max = this.max;
    }
    return snapshot;
  }

  static fromSnapshot(snapshot: SketchSnapshot, maxBins?: number): QuantileSketch {
    const sketch = new QuantileSketch(
      maxBins === undefined
        ? { relativeAccuracy: snapshot.relativeAccuracy }
        : { relativeAccuracy: snapshot.relativeAccuracy, maxBins },
    );
    sketch.merge(snapshot);
    return sketch;
  }

  /** Bytes held by the bin arrays (8 per bin; the library grows them in chunks of 128 bins). */
  get byteLength(): number {
    return (this.#sketch.store.bins.length + this.#sketch.negativeStore.bins.length) * 8;
  }
}

/** The occupied bins of a store, keyed as `offset + k` (the library's keys are the bin indices). */
function storeSnapshot(store: Store): { offset: number; counts: number[] } {
  if (store.count === 0) return { offset: 0, counts: [] };
  let first = store.minKey;
  let last = store.maxKey;
  while (first < last && store.bins[first - store.offset] === 0) first++;
  while (last > first && store.bins[last - store.offset] === 0) last--;
  return { offset: first, counts: store.bins.slice(first - store.offset, last - store.offset + 1) };
}

function checkBins(bins: { offset: number; counts: readonly number[] }): void {
  if (!Number.isInteger(bins.offset)) {
    throw metricsError('invalid-snapshot', `sketch bin offset must be an integer, got ${String(bins.offset)}`);
  }
  for (const count of bins.counts) {
    if (count !== 0 && (!(count > 0) || !Number.isFinite(count))) {
      throw metricsError('invalid-snapshot', `sketch bin counts must be positive finite numbers, got ${count}`);
    }
  }
}

/** Subtracts `earlier` from `later` bin by bin (both cumulative, same accuracy): the sketch of what happened between. */
export function subtractSketch(later: SketchSnapshot, earlier: SketchSnapshot | undefined): SketchSnapshot {
  if (earlier === undefined) return later;
  return {
    relativeAccuracy: later.relativeAccuracy,
    zeroCount: Math.max(0, later.zeroCount - earlier.zeroCount),
    positive: subtractBins(later.positive, earlier.positive),
    negative: subtractBins(later.negative, earlier.negative),
  };
}

function subtractBins(
  later: { offset: number; counts: readonly number[] },
  earlier: { offset: number; counts: readonly number[] },
): { offset: number; counts: number[] } {
  const counts = later.counts.slice();
  for (let k = 0; k < earlier.counts.length; k++) {
    // A bin of `earlier` below `later`'s window was collapsed into `later`'s lowest bin.
    const at = Math.max(0, earlier.offset + k - later.offset);
    if (at < counts.length) counts[at] = Math.max(0, counts[at]! - earlier.counts[k]!);
  }
  return { offset: later.offset, counts };
}
