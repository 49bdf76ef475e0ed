import { metricsError } from '../errors.js';

/**
 * A DDSketch-style mergeable quantile sketch (Masson, Rim & Lee, VLDB 2019). A value `v > 0` falls in bin
 * `ceil(log(v) / log(gamma))` with `gamma = (1 + a) / (1 - a)`; reporting the bin's midpoint
 * `2 * gamma^i / (gamma + 1)` is within relative error `a` of every value in the bin, for every quantile.
 * Bins live in a growable Float64Array window; when the occupied bins would span more than `maxBins` the lowest
 * bins are collapsed (only the lowest quantiles lose accuracy). Two sketches with the same accuracy merge exactly.
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
  /** Upper bound on bins per sign; beyond it the lowest bins collapse. Default 2048. */
  maxBins?: number;
}

const initialBins = 32;
// Magnitudes below this count as zero: log() of denormals would need thousands of bins for no practical use.
const minIndexable = 1e-12;

/** One sign's bins: a dense window [offset, offset + counts.length) over bin indices. */
class BinStore {
  counts: Float64Array = new Float64Array(0);
  offset = 0;
  /** Lowest index that may be stored; raised when bins collapse. */
  floor = Number.NEGATIVE_INFINITY;

  constructor(readonly maxBins: number) {}

  add(index: number, weight: number): void {
    if (index < this.floor) index = this.floor;
    const at = index - this.offset;
    if (at >= 0 && at < this.counts.length) {
      this.counts[at]! += weight;
      return;
    }
    this.extend(index);
    // A collapse triggered by this very value raised the floor above it: it joins the lowest kept bin.
    if (index < this.floor) index = this.floor;
    this.counts[index - this.offset]! += weight;
  }

  /**
   * Grows (or re-centres) the window so `index` fits. Only occupied bins count toward `maxBins`: the empty headroom
   * of the window is not data, and counting it collapsed bins long before the data needed it.
   */
  private extend(index: number): void {
    const counts = this.counts;
    let first = 0;
    while (first < counts.length && counts[first] === 0) first++;
    if (first === counts.length) {
      // Empty (new or reset): start a window centred on the first value.
      const size = Math.min(initialBins, this.maxBins);
      this.counts = counts.length === size ? counts : new Float64Array(size);
      this.offset = index - (size >> 1);
      return;
    }
    let last = counts.length - 1;
    while (counts[last] === 0) last--;
    const lowest = Math.min(index, this.offset + first);
    const highest = Math.max(index, this.offset + last);
    const span = highest - lowest + 1;
    if (span <= this.maxBins) {
      const size = Math.min(this.maxBins, Math.max(span, counts.length * 2));
      // Leave headroom on the side that grew, so a drifting range does not re-allocate on every new bin.
      const newOffset = index < this.offset + first ? highest - size + 1 : lowest;
      const next = new Float64Array(size);
      next.set(counts.subarray(first, last + 1), this.offset + first - newOffset);
      this.counts = next;
      this.offset = newOffset;
      return;
    }
    // Wider than maxBins: keep the highest maxBins bins and fold everything below into the lowest kept bin.
    const newOffset = highest - this.maxBins + 1;
    const next = new Float64Array(this.maxBins);
    let folded = 0;
    for (let k = first; k <= last; k++) {
      const bin = this.offset + k;
      const count = counts[k]!;
      if (bin < newOffset) folded += count;
      else next[bin - newOffset]! += count;
    }
    next[0]! += folded;
    this.counts = next;
    this.offset = newOffset;
    this.floor = newOffset;
  }

  total(): number {
    let sum = 0;
    for (let k = 0; k < this.counts.length; k++) sum += this.counts[k]!;
    return sum;
  }

  /** Forgets every count and the collapse floor: a reset sketch accepts a new range at full accuracy. */
  clear(): void {
    this.counts.fill(0);
    this.floor = Number.NEGATIVE_INFINITY;
  }

  toSnapshot(): { offset: number; counts: number[] } {
    // Trim zero bins at both ends so snapshots stay small.
    let start = 0;
    let end = this.counts.length;
    while (start < end && this.counts[start] === 0) start++;
    while (end > start && this.counts[end - 1] === 0) end--;
    return { offset: this.offset + start, counts: Array.from(this.counts.subarray(start, end)) };
  }
}

export class QuantileSketch {
  readonly relativeAccuracy: number;
  readonly gamma: number;
  private readonly multiplier: number;
  private readonly positive: BinStore;
  private readonly negative: BinStore;
  zeroCount = 0;
  count = 0;
  min = Number.POSITIVE_INFINITY;
  max = Number.NEGATIVE_INFINITY;

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
    this.gamma = (1 + accuracy) / (1 - accuracy);
    this.multiplier = 1 / Math.log(this.gamma);
    this.positive = new BinStore(maxBins);
    this.negative = new BinStore(maxBins);
  }

  /** Adds one finite value (callers validate). */
  add(value: number): void {
    this.count++;
    if (value < this.min) this.min = value;
    if (value > this.max) this.max = value;
    if (value > minIndexable) this.positive.add(Math.ceil(Math.log(value) * this.multiplier), 1);
    else if (value < -minIndexable) this.negative.add(Math.ceil(Math.log(-value) * this.multiplier), 1);
    else this.zeroCount++;
  }

  /** The value at quantile `q` in [0, 1], within `relativeAccuracy`; NaN when empty. */
  quantile(q: number): number {
    if (this.count === 0 || !(q >= 0 && q <= 1)) return Number.NaN;
    // Bin midpoints can fall outside the observed range; the exact extremes are known, so clamp to them.
    return Math.min(this.max, Math.max(this.min, this.binQuantile(q)));
  }

  private binQuantile(q: number): number {
    const rank = q * (this.count - 1);
    let seen = 0;
    const negative = this.negative.counts;
    for (let k = negative.length - 1; k >= 0; k--) {
      seen += negative[k]!;
      if (seen > rank) return -this.binValue(this.negative.offset + k);
    }
    seen += this.zeroCount;
    if (seen > rank) return 0;
    const positive = this.positive.counts;
    for (let k = 0; k < positive.length; k++) {
      seen += positive[k]!;
      if (seen > rank) return this.binValue(this.positive.offset + k);
    }
    // Floating-point rounding of `rank` on the last bin.
    for (let k = positive.length - 1; k >= 0; k--) if (positive[k]! > 0) return this.binValue(this.positive.offset + k);
    return 0;
  }

  private binValue(index: number): number {
    return (2 * this.gamma ** index) / (this.gamma + 1);
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
    const before = this.count;
    this.zeroCount += snapshot.zeroCount;
    this.count += snapshot.zeroCount;
    this.count += addBins(this.positive, snapshot.positive);
    this.count += addBins(this.negative, snapshot.negative);
    if (this.count > before) {
      // Without known extremes (a subtracted sketch) the clamp must not cut anything off.
      this.min = Math.min(this.min, snapshot.min ?? Number.NEGATIVE_INFINITY);
      this.max = Math.max(this.max, snapshot.max ?? Number.POSITIVE_INFINITY);
    }
  }

  reset(): void {
    this.positive.clear();
    this.negative.clear();
    this.zeroCount = 0;
    this.count = 0;
    this.min = Number.POSITIVE_INFINITY;
    this.max = Number.NEGATIVE_INFINITY;
  }

  toSnapshot(): SketchSnapshot {
    const snapshot: SketchSnapshot = {
      relativeAccuracy: this.relativeAccuracy,
      zeroCount: this.zeroCount,
      positive: this.positive.toSnapshot(),
      negative: this.negative.toSnapshot(),
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

  /** Bytes held by the bin arrays (for memory accounting). */
  get byteLength(): number {
    return this.positive.counts.byteLength + this.negative.counts.byteLength;
  }
}

function addBins(store: BinStore, bins: { offset: number; counts: readonly number[] }): number {
  let added = 0;
  for (let k = 0; k < bins.counts.length; k++) {
    const count = bins.counts[k]!;
    if (count === 0) continue;
    if (!(count > 0) || !Number.isFinite(count)) {
      throw metricsError('invalid-snapshot', `sketch bin counts must be positive finite numbers, got ${count}`);
    }
    store.add(bins.offset + k, count);
    added += count;
  }
  return added;
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
