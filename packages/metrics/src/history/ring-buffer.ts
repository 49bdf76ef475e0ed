import { metricsError } from '../errors.js';

/**
 * A fixed-capacity time series: timestamps and `columns` float64 values per point, in typed arrays allocated
 * once. Pushing past capacity overwrites the oldest point, so memory stays bounded however long it runs.
 */
export class RingBuffer {
  private readonly timestamps: Float64Array;
  private readonly values: Float64Array;
  private head = 0;
  private size = 0;

  constructor(
    readonly capacity: number,
    readonly columns: number,
  ) {
    if (!Number.isInteger(capacity) || capacity < 1 || !Number.isInteger(columns) || columns < 1) {
      throw metricsError(
        'invalid-argument',
        `ring buffer capacity and columns must be positive integers, got ${capacity} and ${columns}`,
      );
    }
    this.timestamps = new Float64Array(capacity);
    this.values = new Float64Array(capacity * columns);
  }

  /** Appends one point (values beyond `columns` are ignored, missing ones are NaN). */
  push(timestamp: number, values: ArrayLike<number>): void {
    const at = (this.head + this.size) % this.capacity;
    this.timestamps[at] = timestamp;
    for (let c = 0; c < this.columns; c++) this.values[at * this.columns + c] = values[c] ?? Number.NaN;
    if (this.size < this.capacity) this.size++;
    else this.head = (this.head + 1) % this.capacity;
  }

  get length(): number {
    return this.size;
  }

  /** Points oldest first, optionally only those at or after `since`. */
  toArray(since = Number.NEGATIVE_INFINITY): { timestamp: number; values: number[] }[] {
    const out: { timestamp: number; values: number[] }[] = [];
    for (let i = 0; i < this.size; i++) {
      const at = (this.head + i) % this.capacity;
      const timestamp = this.timestamps[at]!;
      if (timestamp < since) continue;
      out.push({ timestamp, values: Array.from(this.values.subarray(at * this.columns, (at + 1) * this.columns)) });
    }
    return out;
  }

  /** Bytes held by the typed arrays. */
  get byteLength(): number {
    return this.timestamps.byteLength + this.values.byteLength;
  }
}
