import {
  AgenticGenError,
  type DistanceMetric,
  type Metadata,
  type MetadataFilter,
  matchesFilter,
} from '@agenticgen/core';
import type { KernelBackend } from '../kernels/kernel-backend.js';
import { dequantizeInt8, quantizeInt8 } from '../kernels/quantization.js';
import { MetadataIndex } from './metadata-index.js';
import { VectorArena } from './vector-arena.js';

/** How rows are kept: float32 only, int8 plus float32 (re-ranking), or int8 only (4× smaller). */
export interface StorageLayout {
  float32: boolean;
  int8: boolean;
}

/**
 * Rows, ids, metadata and per-row norms of one in-process index, plus the scoring that turns raw kernel
 * output into similarities ("higher is closer": dot, cosine, or −squared L2 internally).
 * Slots are dense row numbers; a deleted slot keeps its row until the owner compacts.
 */
export class VectorStorage {
  readonly dimensions: number;
  readonly metric: DistanceMetric;
  readonly arena: VectorArena;
  readonly layout: StorageLayout;
  size = 0;
  ids: string[] = [];
  /** Metadata per slot: read freely, write only through `append`/`setMetadata` (the filter index follows). */
  metadata: Metadata[] = [];
  /** Inverted index of the live records' metadata, for filters. */
  readonly filterIndex: MetadataIndex;
  readonly slotById = new Map<string, number>();
  deleted = new Uint8Array(0);
  deletedCount = 0;
  /** 1/‖v‖ (cosine). */
  inverseNorms = new Float32Array(0);
  /** ‖v‖² (l2 over int8). */
  squaredNorms = new Float32Array(0);
  /** int8 scale per row. */
  scales = new Float32Array(0);
  /** How many times a record's metadata was evaluated against a query filter (diagnostics and tests). */
  metadataEvaluations = 0;
  /** Post-processed similarities of the last score call. */
  scores = new Float32Array(0);
  /** Float32 rounding of a plain-array vector before it is written (one row, reused). */
  readonly #rowScratch: Float32Array;
  #queryInverseNorm = 1;
  #querySquaredNorm = 0;
  #queryScale = 0;

  constructor(
    backend: KernelBackend,
    dimensions: number,
    metric: DistanceMetric,
    layout: StorageLayout,
    filterIndexMaxValues?: number,
    linkStride = 0,
  ) {
    this.filterIndex = new MetadataIndex(filterIndexMaxValues);
    this.#rowScratch = new Float32Array(dimensions);
    this.dimensions = dimensions;
    this.metric = metric;
    this.layout = layout;
    this.arena = new VectorArena(backend, dimensions, layout, linkStride);
    this.#grow(16);
  }

  get liveCount(): number {
    return this.size - this.deletedCount;
  }

  get backendKind(): KernelBackend['kind'] {
    return this.arena.backend.kind;
  }

  #grow(capacity: number): void {
    this.arena.ensureCapacity(capacity);
    const next = this.arena.capacity;
    if (next <= this.deleted.length) return;
    const resize = <T extends Float32Array | Uint8Array>(old: T, make: (n: number) => T): T => {
      const array = make(next);
      array.set(old);
      return array;
    };
    this.deleted = resize(this.deleted, (n) => new Uint8Array(n));
    this.inverseNorms = resize(this.inverseNorms, (n) => new Float32Array(n));
    this.squaredNorms = resize(this.squaredNorms, (n) => new Float32Array(n));
    this.scales = resize(this.scales, (n) => new Float32Array(n));
    this.scores = new Float32Array(next);
  }

  ensureCapacity(rows: number): void {
    if (rows > this.arena.capacity || rows > this.deleted.length) this.#grow(rows);
  }

  /**
   * Rows an upsert of `records` needs up front: one per id not stored yet. Existing ids update in place (or,
   * in HNSW, take a new slot only when the vector changed, and `append` grows for those), so re-upserting a
   * whole index to change metadata reserves nothing — it used to double the rows' memory.
   */
  rowsNeededFor(records: readonly { id: string }[]): number {
    let fresh = 0;
    for (const record of records) if (!this.slotById.has(record.id)) fresh++;
    return this.size + fresh;
  }

  /**
   * Writes `vector` into `slot` (which must be < capacity) and its norms. The vector is the caller's
   * (validated when `upsert` was called, never copied as a batch), so it is checked again before anything is
   * written: a vector changed in between must not put NaN or a wrong length into the rows.
   */
  writeRow(slot: number, vector: ArrayLike<number>): void {
    const arena = this.arena;
    let row: ArrayLike<number> = vector;
    if (!(vector instanceof Float32Array) && vector.length === this.dimensions) {
      this.#rowScratch.set(vector);
      row = this.#rowScratch;
    }
    let squared = 0;
    for (let i = 0; i < row.length; i++) squared += row[i]! * row[i]!;
    if (row.length !== this.dimensions || !Number.isFinite(squared) || (this.metric === 'cosine' && squared === 0)) {
      throw new AgenticGenError(
        'invalid-vector',
        '[vector] a vector changed after upsert was called (now non-finite, all zeros or resized); keep vectors unchanged until upsert resolves',
      );
    }
    if (this.layout.float32) arena.f32.set(row, arena.rowOffset(slot) >> 2);
    // Derive the inverse norm from the stored float32 value so a loaded index scores bit-identically.
    this.squaredNorms[slot] = squared;
    const stored = this.squaredNorms[slot]!;
    this.inverseNorms[slot] = stored > 0 ? 1 / Math.sqrt(stored) : 0;
    this.#mirror(slot);
    if (this.layout.int8) {
      const i8 = arena.i8;
      const offset = arena.rowInt8Offset(slot);
      this.scales[slot] = quantizeInt8(row, i8, offset);
      i8.fill(0, offset + this.dimensions, offset + arena.int8Stride);
      this.#mirror(slot);
    }
  }

  /** Appends a record and returns its slot. */
  append(id: string, vector: ArrayLike<number>, metadata: Metadata): number {
    const slot = this.size;
    this.ensureCapacity(slot + 1);
    this.writeRow(slot, vector);
    this.ids[slot] = id;
    this.metadata[slot] = metadata;
    this.filterIndex.add(slot, metadata);
    this.deleted[slot] = 0;
    this.#mirror(slot);
    this.slotById.set(id, slot);
    this.size++;
    return slot;
  }

  /** Copies a slot's inverse norm and deleted flag into the arena, where the graph search reads them. */
  #mirror(slot: number): void {
    const arena = this.arena;
    if (arena.linkStride === 0) return;
    const f32 = arena.f32;
    f32[(arena.inverseNormsOffset >> 2) + slot] = this.inverseNorms[slot]!;
    arena.u8[arena.flagsOffset + slot] = this.deleted[slot]!;
    if (arena.scalesOffset !== 0) {
      f32[(arena.scalesOffset >> 2) + slot] = this.scales[slot]!;
      f32[(arena.squaredNormsOffset >> 2) + slot] = this.squaredNorms[slot]!;
    }
  }

  /** Replaces the metadata of a live slot. */
  setMetadata(slot: number, metadata: Metadata): void {
    this.filterIndex.remove(slot, this.metadata[slot]!);
    this.metadata[slot] = metadata;
    this.filterIndex.add(slot, metadata);
  }

  /**
   * The live slots matching `filter`, ascending. Conditions the filter index answers cost nothing per
   * record; only the rest are evaluated, and only on the slots the index lets through.
   */
  matchingSlots(filter: MetadataFilter, candidates = this.filterIndex.candidates(filter)): Int32Array {
    const matches: number[] = [];
    if (candidates === undefined) {
      for (let slot = 0; slot < this.size; slot++) {
        if (this.deleted[slot] === 0 && this.matches(slot, filter)) matches.push(slot);
      }
    } else if (candidates.exact) {
      for (const slot of candidates.slots) matches.push(slot);
    } else {
      for (const slot of candidates.slots) if (this.matches(slot, filter)) matches.push(slot);
    }
    return Int32Array.from(matches).sort();
  }

  /** Whether the metadata of `slot` matches `filter`, counted in `metadataEvaluations`. */
  matches(slot: number, filter: MetadataFilter): boolean {
    this.metadataEvaluations++;
    return matchesFilter(this.metadata[slot]!, filter);
  }

  /** Marks a slot deleted (its row stays until compaction). */
  tombstone(slot: number): void {
    if (this.deleted[slot] === 1) return;
    this.deleted[slot] = 1;
    this.#mirror(slot);
    this.deletedCount++;
    this.filterIndex.remove(slot, this.metadata[slot]!);
    this.slotById.delete(this.ids[slot]!);
  }

  /**
   * Fills a fresh storage from verified persisted data (see `load-index.ts`). Returns the first live id that
   * appears twice (the data is corrupt then), or undefined.
   */
  restore(data: {
    ids: string[];
    metadata: Metadata[];
    deleted: Uint8Array;
    squaredNorms: Float32Array;
    rows: Float32Array | undefined;
    scales: Float32Array | undefined;
    int8Rows: Uint8Array | undefined;
  }): string | undefined {
    const size = data.ids.length;
    this.ensureCapacity(size);
    const arena = this.arena;
    if (data.rows !== undefined) arena.f32.set(data.rows, arena.rowOffset(0) >> 2);
    if (data.int8Rows !== undefined) {
      const i8 = new Uint8Array(arena.backend.buffer());
      for (let slot = 0; slot < size; slot++) {
        i8.set(data.int8Rows.subarray(slot * this.dimensions, (slot + 1) * this.dimensions), arena.rowInt8Offset(slot));
      }
      this.scales.set(data.scales ?? []);
    }
    this.squaredNorms.set(data.squaredNorms);
    for (let slot = 0; slot < size; slot++) {
      const squared = data.squaredNorms[slot]!;
      this.inverseNorms[slot] = squared > 0 ? 1 / Math.sqrt(squared) : 0;
    }
    this.deleted.set(data.deleted);
    this.ids = data.ids;
    this.metadata = data.metadata;
    this.size = size;
    this.deletedCount = 0;
    this.filterIndex.clear();
    if (arena.linkStride > 0) {
      // The graph search's copies of the norms and flags, in bulk (what `#mirror` does per slot).
      arena.f32.set(this.inverseNorms.subarray(0, size), arena.inverseNormsOffset >> 2);
      arena.u8.set(data.deleted.subarray(0, size), arena.flagsOffset);
      if (arena.scalesOffset !== 0) {
        arena.f32.set(this.scales.subarray(0, size), arena.scalesOffset >> 2);
        arena.f32.set(this.squaredNorms.subarray(0, size), arena.squaredNormsOffset >> 2);
      }
    }
    const slotById = this.slotById;
    for (let slot = 0; slot < size; slot++) {
      if (data.deleted[slot] === 1) this.deletedCount++;
      else {
        const id = data.ids[slot]!;
        if (slotById.has(id)) return id;
        slotById.set(id, slot);
        this.filterIndex.add(slot, data.metadata[slot]!);
      }
    }
    return undefined;
  }

  /** Removes a live slot by moving the last slot into it (keeps rows dense; flat index). */
  swapRemove(slot: number): void {
    this.slotById.delete(this.ids[slot]!);
    this.filterIndex.remove(slot, this.metadata[slot]!);
    const last = this.size - 1;
    if (slot !== last) this.moveSlot(last, slot);
    this.size--;
    this.deleted[this.size] = 0;
    this.ids.length = this.size;
    this.metadata.length = this.size;
  }

  /**
   * Moves the record in `from` to `to`, overwriting it (swap-remove, compaction). The record in `to` must
   * already be out of the filter index (deleted, or moved away itself).
   */
  moveSlot(from: number, to: number): void {
    if (this.deleted[from] === 0) this.filterIndex.move(from, to, this.metadata[from]!);
    this.arena.moveRow(from, to);
    this.inverseNorms[to] = this.inverseNorms[from]!;
    this.squaredNorms[to] = this.squaredNorms[from]!;
    this.scales[to] = this.scales[from]!;
    this.deleted[to] = this.deleted[from]!;
    this.#mirror(to);
    this.ids[to] = this.ids[from]!;
    this.metadata[to] = this.metadata[from]!;
    if (this.deleted[to] === 0) this.slotById.set(this.ids[to]!, to);
  }

  /** Drops the last slot (after moving it away or deleting it). */
  pop(): void {
    this.size--;
    if (this.deleted[this.size] === 1) this.deletedCount--;
    this.deleted[this.size] = 0;
    this.#mirror(this.size);
    this.ids.length = this.size;
    this.metadata.length = this.size;
  }

  /** The stored vector (the float32 row, or the dequantized int8 row for int8-only storage). */
  /**
   * Whether row `slot` equals `vector` once that is rounded to float32, as it would be stored. Compared in
   * place: a copy of the row per upserted record (the old way) left one small malloc'd buffer per record,
   * and RSS kept those pages after they were freed.
   */
  rowEquals(slot: number, vector: ArrayLike<number>): boolean {
    if (!this.layout.float32) {
      const row = this.vector(slot);
      for (let i = 0; i < row.length; i++) if (row[i] !== Math.fround(vector[i]!)) return false;
      return true;
    }
    const f32 = this.arena.f32;
    const start = this.arena.rowOffset(slot) >> 2;
    for (let i = 0; i < this.dimensions; i++) if (f32[start + i] !== Math.fround(vector[i]!)) return false;
    return true;
  }

  vector(slot: number): Float32Array {
    const arena = this.arena;
    if (this.layout.float32) {
      const start = arena.rowOffset(slot) >> 2;
      return arena.f32.slice(start, start + this.dimensions);
    }
    return dequantizeInt8(arena.i8, arena.rowInt8Offset(slot), this.dimensions, this.scales[slot]!);
  }

  /** Loads the query into the arena (both representations) and caches its norms. */
  setQuery(vector: Float32Array): void {
    const arena = this.arena;
    arena.f32.set(vector, arena.queryOffset >> 2);
    let squared = 0;
    for (let i = 0; i < vector.length; i++) squared += vector[i]! * vector[i]!;
    this.#querySquaredNorm = squared;
    this.#queryInverseNorm = squared > 0 ? 1 / Math.sqrt(squared) : 0;
    if (this.layout.int8) {
      const i8 = arena.i8;
      this.#queryScale = quantizeInt8(vector, i8, arena.queryInt8Offset);
      i8.fill(0, arena.queryInt8Offset + this.dimensions, arena.queryInt8Offset + arena.int8Stride);
    }
  }

  /** int8 scale of the loaded query (int8 graph search). */
  get queryScale(): number {
    return this.#queryScale;
  }

  /** ‖query‖² of the loaded query (l2 over int8 rows in the graph search). */
  get querySquaredNorm(): number {
    return this.#querySquaredNorm;
  }

  /** 1/‖query‖ of the loaded query (cosine scoring in the graph search). */
  get queryInverseNorm(): number {
    return this.#queryInverseNorm;
  }

  /** Uses a stored row as the query (index construction): copies it inside the memory, no allocation. */
  setQueryFromSlot(slot: number): void {
    const arena = this.arena;
    const bytes = new Uint8Array(arena.backend.buffer());
    if (this.layout.float32) {
      const row = arena.rowOffset(slot);
      bytes.copyWithin(arena.queryOffset, row, row + this.dimensions * 4);
    }
    if (this.layout.int8) {
      const row = arena.rowInt8Offset(slot);
      bytes.copyWithin(arena.queryInt8Offset, row, row + arena.int8Stride);
    }
    this.#querySquaredNorm = this.squaredNorms[slot]!;
    this.#queryInverseNorm = this.inverseNorms[slot]!;
    this.#queryScale = this.scales[slot]!;
  }

  /** Whether scoring can use float32 rows; int8-only storage scores with int8. */
  get canScoreFloat32(): boolean {
    return this.layout.float32;
  }

  /**
   * Turns raw kernel output into similarities. Rows are `slots[r]` when given, else `start + r`; the query
   * norms/scale are the loaded query's, or row `querySlot`'s when it is ≥ 0.
   */
  #postProcess(
    count: number,
    slots: ArrayLike<number> | undefined,
    start: number,
    int8: boolean,
    querySlot: number,
  ): Float32Array {
    const arena = this.arena;
    const scores = this.scores;
    const base = arena.outOffset >> 2;
    const metric = this.metric;
    const queryInverse = querySlot >= 0 ? this.inverseNorms[querySlot]! : this.#queryInverseNorm;
    const inverseNorms = this.inverseNorms;
    if (!int8) {
      const raw = arena.f32;
      if (metric === 'dot') for (let r = 0; r < count; r++) scores[r] = raw[base + r]!;
      else if (metric === 'l2') for (let r = 0; r < count; r++) scores[r] = -raw[base + r]!;
      else if (slots === undefined) {
        for (let r = 0; r < count; r++) scores[r] = raw[base + r]! * queryInverse * inverseNorms[start + r]!;
      } else {
        for (let r = 0; r < count; r++) scores[r] = raw[base + r]! * queryInverse * inverseNorms[slots[r]!]!;
      }
      return scores;
    }
    const raw = arena.i32;
    const queryScale = querySlot >= 0 ? this.scales[querySlot]! : this.#queryScale;
    const querySquared = querySlot >= 0 ? this.squaredNorms[querySlot]! : this.#querySquaredNorm;
    for (let r = 0; r < count; r++) {
      const slot = slots === undefined ? start + r : slots[r]!;
      const dot = raw[base + r]! * queryScale * this.scales[slot]!;
      if (metric === 'dot') scores[r] = dot;
      else if (metric === 'cosine') scores[r] = dot * queryInverse * inverseNorms[slot]!;
      else scores[r] = -(querySquared + this.squaredNorms[slot]! - 2 * dot);
    }
    return scores;
  }

  /** Similarities of the query against slots [start, start+count); valid in the first `count` entries. */
  scoreRange(start: number, count: number, int8: boolean): Float32Array {
    const arena = this.arena;
    const backend = arena.backend;
    if (int8) {
      backend.dotI8Range(arena.queryInt8Offset, arena.rowInt8Offset(start), count, arena.int8Stride, arena.outOffset);
    } else {
      const kind = this.metric === 'l2' ? 1 : 0;
      backend.scoreF32Range(kind, arena.queryOffset, arena.rowOffset(start), count, this.dimensions, arena.outOffset);
    }
    return this.#postProcess(count, undefined, start, int8, -1);
  }

  /** Similarities of the query against `slots[0..count)`. */
  scoreSlots(slots: ArrayLike<number>, count: number, int8: boolean): Float32Array {
    return this.#gather(slots, count, int8, -1);
  }

  /** Similarities of stored row `querySlot` against `slots[0..count)` in one kernel call (graph building). */
  scoreSlotsAgainstRow(querySlot: number, slots: ArrayLike<number>, count: number, int8: boolean): Float32Array {
    return this.#gather(slots, count, int8, querySlot);
  }

  #gather(slots: ArrayLike<number>, count: number, int8: boolean, querySlot: number): Float32Array {
    const arena = this.arena;
    const backend = arena.backend;
    const i32 = arena.i32;
    const idsBase = arena.idsOffset >> 2;
    for (let r = 0; r < count; r++) i32[idsBase + r] = slots[r]!;
    if (int8) {
      const query = querySlot >= 0 ? arena.rowInt8Offset(querySlot) : arena.queryInt8Offset;
      backend.dotI8Gather(query, arena.rowsInt8Offset, arena.idsOffset, count, arena.int8Stride, arena.outOffset);
    } else {
      const kind = this.metric === 'l2' ? 1 : 0;
      const query = querySlot >= 0 ? arena.rowOffset(querySlot) : arena.queryOffset;
      backend.scoreF32Gather(kind, query, arena.rowsOffset, arena.idsOffset, count, this.dimensions, arena.outOffset);
    }
    return this.#postProcess(count, slots, 0, int8, querySlot);
  }

  /** Converts an internal similarity to the public score (l2: negated distance, not squared). */
  publicScore(similarity: number): number {
    return this.metric === 'l2' ? -Math.sqrt(Math.max(0, -similarity)) : similarity;
  }

  /** Internal similarity for a public `minScore`. */
  internalScore(score: number): number {
    return this.metric === 'l2' ? (score >= 0 ? 0 : -(score * score)) : score;
  }
}
