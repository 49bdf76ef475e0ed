import type { KernelBackend } from '../kernels/kernel-backend.js';

const align = (value: number) => Math.ceil(value / 16) * 16;

/**
 * Lays one index's rows out in its kernel backend's memory:
 * [query f32 | query int8 | scratch ids (i32) | scratch scores | graph areas | rows f32 | rows int8].
 * Rows are contiguous so one kernel call scores the whole table; the scratch areas are sized to the
 * capacity so a gather over every row also fits. Growing moves the row areas to higher offsets.
 *
 * An HNSW index (`linkStride` > 0) also keeps its search state here, so the whole layer-0 search runs in
 * the backend over contiguous memory: [inverse norms f32 | flags u8 | visited tags u16 | candidate heap |
 * result heap | layer-0 links (`linkStride` i32 per slot) | with int8 rows: scales f32 | squared norms f32].
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
  /** i32 per slot in the layer-0 link area (0: no graph areas). */
  readonly linkStride: number;
  inverseNormsOffset = 0;
  flagsOffset = 0;
  visitedOffset = 0;
  candidatesOffset = 0;
  resultsOffset = 0;
  linksOffset = 0;
  /** HNSW with int8 rows: f32 scale and ‖v‖² per slot, read by the int8 graph search (0: absent). */
  scalesOffset = 0;
  squaredNormsOffset = 0;
  /**
   * HNSW: the upper levels' links packed for the backend's descent (see `HnswGraph`), placed after the rows
   * by `reserveUpper`; a new layout (growth) moves the rows over it, and bumps `layoutVersion`.
   */
  upperOffset = 0;
  layoutVersion = 0;
  #end = 0;
  #f32: Float32Array = new Float32Array(0);
  #i32: Int32Array = new Int32Array(0);
  #i8: Int8Array = new Int8Array(0);
  #u8: Uint8Array = new Uint8Array(0);
  #u32: Uint32Array = new Uint32Array(0);
  #u16: Uint16Array = new Uint16Array(0);
  #bufferSeen: ArrayBuffer | undefined;

  constructor(
    backend: KernelBackend,
    dimensions: number,
    storage: { float32: boolean; int8: boolean },
    linkStride = 0,
  ) {
    this.backend = backend;
    this.linkStride = linkStride;
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
    const graph = this.linkStride > 0 ? capacity : 0;
    const inverseNorms = align(out + capacity * 4);
    const flags = align(inverseNorms + graph * 4);
    const visited = align(flags + graph);
    const candidates = align(visited + graph * 2);
    const results = align(candidates + (graph > 0 ? (graph + 1) * 8 : 0));
    const links = align(results + (graph > 0 ? (graph + 1) * 8 : 0));
    const int8Graph = this.hasInt8 ? graph : 0;
    const scales = align(links + graph * this.linkStride * 4);
    const squaredNorms = align(scales + int8Graph * 4);
    const rows = align(squaredNorms + int8Graph * 4);
    const rowsInt8 = align(rows + (this.hasFloat32 ? capacity * this.dimensions * 4 : 0));
    const end = rowsInt8 + (this.hasInt8 ? capacity * this.int8Stride : 0);
    // Bytes past the memory's length before `reserve` come zeroed (fresh WebAssembly pages, a new ArrayBuffer):
    // only the part below it needs clearing. A load lays out 100k slots at once: ~13 MB of links not re-zeroed.
    const zeroedFrom = this.backend.buffer().byteLength;
    this.backend.reserve(end);
    const bytes = new Uint8Array(this.backend.buffer());
    const clear = (from: number, to: number) => {
      if (from < Math.min(to, zeroedFrom)) bytes.fill(0, from, Math.min(to, zeroedFrom));
    };
    // Move the last area first: areas only move up, so nothing is overwritten before it is copied.
    if (this.capacity > 0) {
      if (this.hasInt8)
        bytes.copyWithin(rowsInt8, this.rowsInt8Offset, this.rowsInt8Offset + this.capacity * this.int8Stride);
      if (this.hasFloat32)
        bytes.copyWithin(rows, this.rowsOffset, this.rowsOffset + this.capacity * this.dimensions * 4);
      if (int8Graph > 0) {
        const old = this.capacity * 4;
        bytes.copyWithin(squaredNorms, this.squaredNormsOffset, this.squaredNormsOffset + old);
        bytes.copyWithin(scales, this.scalesOffset, this.scalesOffset + old);
      }
      if (graph > 0) {
        bytes.copyWithin(links, this.linksOffset, this.linksOffset + this.capacity * this.linkStride * 4);
        bytes.copyWithin(flags, this.flagsOffset, this.flagsOffset + this.capacity);
        bytes.copyWithin(inverseNorms, this.inverseNormsOffset, this.inverseNormsOffset + this.capacity * 4);
      }
    }
    if (graph > 0) {
      // Old rows may lie here now: start with no slot visited (tags only need to be ≠ the current one).
      clear(visited, visited + graph * 2);
      clear(flags + this.capacity, flags + graph);
      clear(links + this.capacity * this.linkStride * 4, links + graph * this.linkStride * 4);
    }
    this.queryOffset = query;
    this.queryInt8Offset = queryInt8;
    this.idsOffset = ids;
    this.outOffset = out;
    this.inverseNormsOffset = inverseNorms;
    this.flagsOffset = flags;
    this.visitedOffset = visited;
    this.candidatesOffset = candidates;
    this.resultsOffset = results;
    this.linksOffset = links;
    this.scalesOffset = int8Graph > 0 ? scales : 0;
    this.squaredNormsOffset = int8Graph > 0 ? squaredNorms : 0;
    this.rowsOffset = rows;
    this.rowsInt8Offset = rowsInt8;
    this.capacity = capacity;
    this.#end = end;
    this.upperOffset = 0;
    this.layoutVersion++;
    this.#bufferSeen = undefined;
  }

  /** Places a scratch area of `bytes` after the rows (valid until the next layout); returns its offset. */
  reserveUpper(bytes: number): number {
    this.upperOffset = align(this.#end);
    this.backend.reserve(this.upperOffset + bytes);
    return this.upperOffset;
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
    this.#u8 = new Uint8Array(buffer);
    this.#u32 = new Uint32Array(buffer);
    this.#u16 = new Uint16Array(buffer);
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

  /** Uint8 view over the whole memory. */
  get u8(): Uint8Array {
    this.#refresh();
    return this.#u8;
  }

  /** Uint32 view over the whole memory. */
  get u32(): Uint32Array {
    this.#refresh();
    return this.#u32;
  }

  /** Uint16 view over the whole memory (index = byte offset / 2). */
  get u16(): Uint16Array {
    this.#refresh();
    return this.#u16;
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
