import type { KernelBackend } from '../kernels/kernel-backend.js';

const align = (value: number) => Math.ceil(value / 16) * 16;

/**
 * Lays one index's rows out in its kernel backend's memory:
 * [query f32 | query int8 | scratch ids (i32) | scratch scores | rows f32 | rows int8].
 * Rows are contiguous so one kernel call scores the whole table; the scratch areas are sized to the
 * capacity so a gather over every row also fits. Growing moves the row areas to higher offsets.
 */
export class VectorArena {
  readonly backend: KernelBackend;
  readonly dimensions: number;
  /** Bytes per int8 row: the dimensions rounded up to 16 so the SIMD loop has no tail. */
  readonly int8Stride: number;
  readonly hasFloat32: boolean;
  readonly hasInt8: boolean;
  capacity = 0;
  queryOffset = 0;
  queryInt8Offset = 0;
  idsOffset = 0;
  outOffset = 0;
  rowsOffset = 0;
  rowsInt8Offset = 0;
  #f32: Float32Array = new Float32Array(0);
  #i32: Int32Array = new Int32Array(0);
  #i8: Int8Array = new Int8Array(0);
  #bufferSeen: ArrayBuffer | undefined;

  constructor(backend: KernelBackend, dimensions: number, storage: { float32: boolean; int8: boolean }) {
    this.backend = backend;
    this.dimensions = dimensions;
    this.int8Stride = align(dimensions);
    this.hasFloat32 = storage.float32;
    this.hasInt8 = storage.int8;
    this.#layout(16);
  }

  #layout(capacity: number): void {
    const base = this.backend.memoryBase;
    const query = base;
    const queryInt8 = align(query + this.dimensions * 4);
    const ids = align(queryInt8 + this.int8Stride);
    const out = align(ids + capacity * 4);
    const rows = align(out + capacity * 4);
    const rowsInt8 = align(rows + (this.hasFloat32 ? capacity * this.dimensions * 4 : 0));
    const end = rowsInt8 + (this.hasInt8 ? capacity * this.int8Stride : 0);
    this.backend.reserve(end);
    const bytes = new Uint8Array(this.backend.buffer());
    // Move the last area first: areas only move up, so nothing is overwritten before it is copied.
    if (this.capacity > 0) {
      if (this.hasInt8)
        bytes.copyWithin(rowsInt8, this.rowsInt8Offset, this.rowsInt8Offset + this.capacity * this.int8Stride);
      if (this.hasFloat32)
        bytes.copyWithin(rows, this.rowsOffset, this.rowsOffset + this.capacity * this.dimensions * 4);
    }
    this.queryOffset = query;
    this.queryInt8Offset = queryInt8;
    this.idsOffset = ids;
    this.outOffset = out;
    this.rowsOffset = rows;
    this.rowsInt8Offset = rowsInt8;
    this.capacity = capacity;
    this.#bufferSeen = undefined;
  }

  /** Makes room for at least `rows` rows. */
  ensureCapacity(rows: number): void {
    if (rows <= this.capacity) return;
    this.#layout(Math.max(rows, Math.ceil(this.capacity * 1.5)));
  }

  #refresh(): void {
    const buffer = this.backend.buffer();
    if (buffer === this.#bufferSeen) return;
    this.#bufferSeen = buffer;
    this.#f32 = new Float32Array(buffer);
    this.#i32 = new Int32Array(buffer);
    this.#i8 = new Int8Array(buffer);
  }

  /** Float32 view over the whole memory (index = byte offset / 4). */
  get f32(): Float32Array {
    this.#refresh();
    return this.#f32;
  }

  /** Int32 view over the whole memory. */
  get i32(): Int32Array {
    this.#refresh();
    return this.#i32;
  }

  /** Int8 view over the whole memory. */
  get i8(): Int8Array {
    this.#refresh();
    return this.#i8;
  }

  rowOffset(slot: number): number {
    return this.rowsOffset + slot * this.dimensions * 4;
  }

  rowInt8Offset(slot: number): number {
    return this.rowsInt8Offset + slot * this.int8Stride;
  }

  /** Copies row `from` over row `to` (both representations). */
  moveRow(from: number, to: number): void {
    const bytes = new Uint8Array(this.backend.buffer());
    if (this.hasFloat32) {
      const size = this.dimensions * 4;
      bytes.copyWithin(this.rowOffset(to), this.rowOffset(from), this.rowOffset(from) + size);
    }
    if (this.hasInt8) {
      bytes.copyWithin(this.rowInt8Offset(to), this.rowInt8Offset(from), this.rowInt8Offset(from) + this.int8Stride);
    }
  }
}
