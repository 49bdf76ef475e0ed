/**
 * The low-level kernel contract shared by the WebAssembly SIMD module and the pure-TypeScript fallback.
 * Every pointer is a byte offset into the backend's memory; the arena (see `vector-arena.ts`) lays rows,
 * the query and scratch space out in that memory so a scan never copies vectors across the JS/WASM border.
 */

/** Which implementation runs the kernels. */
export type KernelBackendKind = 'wasm-simd' | 'typescript';

/** Which implementation to use: `auto` picks WebAssembly SIMD when the runtime supports it. */
export type KernelPreference = 'auto' | KernelBackendKind;

/** Kernel selector for the batched forms: 0 = dot product, 1 = squared Euclidean distance. */
export type FloatKernelKind = 0 | 1;

export interface KernelBackend {
  /** The implementation in use. */
  readonly kind: KernelBackendKind;
  /** First byte the arena may use (the WASM module keeps its own first page). */
  readonly memoryBase: number;
  /** The current memory; it changes identity when the memory grows, so never keep it across `reserve`. */
  buffer(): ArrayBuffer;
  /** Ensures the memory is at least `bytes` long (contents are kept). */
  reserve(bytes: number): void;
  /** Dot product of two f32 rows. */
  dotF32(a: number, b: number, dims: number): number;
  /** Squared Euclidean distance of two f32 rows. */
  l2F32(a: number, b: number, dims: number): number;
  /** Dot product of two int8 rows of `bytes` bytes (a multiple of 16, zero-padded). */
  dotI8(a: number, b: number, bytes: number): number;
  /** `out[r]` (f32) = kernel(query, row r) for `count` consecutive rows. */
  scoreF32Range(kind: FloatKernelKind, query: number, rows: number, count: number, dims: number, out: number): void;
  /** `out[r]` (f32) = kernel(query, row ids[r]) where `ids` holds i32 row numbers. */
  scoreF32Gather(
    kind: FloatKernelKind,
    query: number,
    rows: number,
    ids: number,
    count: number,
    dims: number,
    out: number,
  ): void;
  /** `out[r]` (i32) = dotI8(query, row r) for consecutive int8 rows of `stride` bytes. */
  dotI8Range(query: number, rows: number, count: number, stride: number, out: number): void;
  /** `out[r]` (i32) = dotI8(query, row ids[r]). */
  dotI8Gather(query: number, rows: number, ids: number, count: number, stride: number, out: number): void;
  /** The HNSW layer-0 search loop over arena memory (see `assembly/kernels.ts`); returns the result count. */
  hnswSearch0(search: GraphSearch): number;
}

/** Arguments of `hnswSearch0`: pointers are byte offsets into the backend memory. */
export interface GraphSearch {
  /** 0 dot, 1 l2 (similarity = −squared distance), 2 cosine. */
  metric: 0 | 1 | 2;
  query: number;
  /** 1/‖query‖ (cosine), kept in float64 as the JavaScript scoring does. */
  queryInverse: number;
  rows: number;
  dims: number;
  /** f32 1/‖row‖ per slot. */
  inverseNorms: number;
  /** i32 `[count, …links]` blocks of `linkStride` ints per slot. */
  links: number;
  linkStride: number;
  /** u16 per slot: a slot is visited in this search when it holds `tag` (1…65535). */
  visited: number;
  tag: number;
  /** u8 per slot; a slot enters the results only when `flags & reject` is 0. */
  flags: number;
  reject: number;
  entry: number;
  entryScore: number;
  ef: number;
  /** Heap scratch: 8 bytes per entry, room for every slot (+1). */
  candidates: number;
  results: number;
  /** Output: result slots (i32) and similarities (f32), best first. */
  outSlots: number;
  outScores: number;
  /** Present: score the int8 rows instead of the float32 ones (`query`, `rows`, `dims` are then unused). */
  int8?: GraphSearchInt8 | undefined;
  /**
   * Present: `entry` is the graph's entry point and the search first descends greedily through levels
   * `maxLevel`…1 (`entryScore` is then computed, not read), so a query costs one backend call.
   */
  descent?: GraphDescent | undefined;
}

/** The upper levels of a graph search's descent, packed in backend memory (see `HnswGraph`). */
export interface GraphDescent {
  /** i32 per slot: byte offset of the slot's upper links (`[count, …links]` per level, level 1 first). */
  upperOffsets: number;
  /** Ints per level block (M + 1). */
  upperStride: number;
  maxLevel: number;
}

/** The int8 rows of a graph search, scored as `VectorStorage` scores int8 rows (float64, then f32). */
export interface GraphSearchInt8 {
  /** The int8 query (`stride` bytes, zero-padded). */
  query: number;
  rows: number;
  /** Bytes per int8 row (dimensions rounded up to 16). */
  stride: number;
  /** f32 quantization scale per slot. */
  scales: number;
  /** f32 ‖v‖² per slot (l2). */
  squaredNorms: number;
  queryScale: number;
  /** ‖query‖² (l2). */
  querySquared: number;
}

const pageBytes = 65_536;

/** Heap order of `#heapPush`/`#heapPop`: `max` puts the highest score on top. */
function before(max: boolean, a: number, b: number): boolean {
  return max ? a > b : a < b;
}

/**
 * The pure-TypeScript fallback: same memory model as the WASM module (one growable ArrayBuffer addressed by
 * byte offsets), so the arena and the indexes do not care which backend runs. Sums are kept in float64.
 */
export class TypeScriptKernels implements KernelBackend {
  readonly kind = 'typescript' as const;
  readonly memoryBase = 0;
  #buffer = new ArrayBuffer(pageBytes);
  #f32 = new Float32Array(this.#buffer);
  #i32 = new Int32Array(this.#buffer);
  #i8 = new Int8Array(this.#buffer);

  buffer(): ArrayBuffer {
    return this.#buffer;
  }

  reserve(bytes: number): void {
    if (bytes <= this.#buffer.byteLength) return;
    const size = Math.ceil(Math.max(bytes, this.#buffer.byteLength * 1.5) / pageBytes) * pageBytes;
    const next = new ArrayBuffer(size);
    new Uint8Array(next).set(new Uint8Array(this.#buffer));
    this.#buffer = next;
    this.#f32 = new Float32Array(next);
    this.#i32 = new Int32Array(next);
    this.#i8 = new Int8Array(next);
  }

  dotF32(a: number, b: number, dims: number): number {
    const f = this.#f32;
    let i = a >> 2;
    let j = b >> 2;
    const end = i + dims;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    for (; i + 4 <= end; i += 4, j += 4) {
      s0 += f[i]! * f[j]!;
      s1 += f[i + 1]! * f[j + 1]!;
      s2 += f[i + 2]! * f[j + 2]!;
      s3 += f[i + 3]! * f[j + 3]!;
    }
    for (; i < end; i++, j++) s0 += f[i]! * f[j]!;
    return s0 + s1 + s2 + s3;
  }

  l2F32(a: number, b: number, dims: number): number {
    const f = this.#f32;
    let i = a >> 2;
    let j = b >> 2;
    const end = i + dims;
    let s0 = 0;
    let s1 = 0;
    for (; i + 2 <= end; i += 2, j += 2) {
      const d0 = f[i]! - f[j]!;
      const d1 = f[i + 1]! - f[j + 1]!;
      s0 += d0 * d0;
      s1 += d1 * d1;
    }
    for (; i < end; i++, j++) {
      const d = f[i]! - f[j]!;
      s0 += d * d;
    }
    return s0 + s1;
  }

  dotI8(a: number, b: number, bytes: number): number {
    const v = this.#i8;
    let sum = 0;
    for (let i = 0; i < bytes; i++) sum += v[a + i]! * v[b + i]!;
    return sum;
  }

  scoreF32Range(kind: FloatKernelKind, query: number, rows: number, count: number, dims: number, out: number): void {
    const f = this.#f32;
    const stride = dims * 4;
    const base = out >> 2;
    for (let r = 0; r < count; r++) {
      const row = rows + r * stride;
      f[base + r] = kind === 0 ? this.dotF32(query, row, dims) : this.l2F32(query, row, dims);
    }
  }

  scoreF32Gather(
    kind: FloatKernelKind,
    query: number,
    rows: number,
    ids: number,
    count: number,
    dims: number,
    out: number,
  ): void {
    const f = this.#f32;
    const idsBase = ids >> 2;
    const base = out >> 2;
    const stride = dims * 4;
    for (let r = 0; r < count; r++) {
      const row = rows + this.#i32[idsBase + r]! * stride;
      f[base + r] = kind === 0 ? this.dotF32(query, row, dims) : this.l2F32(query, row, dims);
    }
  }

  dotI8Range(query: number, rows: number, count: number, stride: number, out: number): void {
    const base = out >> 2;
    for (let r = 0; r < count; r++) this.#i32[base + r] = this.dotI8(query, rows + r * stride, stride);
  }

  dotI8Gather(query: number, rows: number, ids: number, count: number, stride: number, out: number): void {
    const idsBase = ids >> 2;
    const base = out >> 2;
    for (let r = 0; r < count; r++) {
      this.#i32[base + r] = this.dotI8(query, rows + this.#i32[idsBase + r]! * stride, stride);
    }
  }

  #similarity(search: GraphSearch, slot: number): number {
    const int8 = search.int8;
    if (int8 !== undefined) {
      const f = this.#f32;
      const dot =
        this.dotI8(int8.query, int8.rows + slot * int8.stride, int8.stride) *
        int8.queryScale *
        f[(int8.scales >> 2) + slot]!;
      if (search.metric === 0) return Math.fround(dot);
      if (search.metric === 2) return Math.fround(dot * search.queryInverse * f[(search.inverseNorms >> 2) + slot]!);
      return Math.fround(-(int8.querySquared + f[(int8.squaredNorms >> 2) + slot]! - 2 * dot));
    }
    const row = search.rows + slot * search.dims * 4;
    if (search.metric === 1) return Math.fround(-this.l2F32(search.query, row, search.dims));
    const dot = Math.fround(this.dotF32(search.query, row, search.dims));
    if (search.metric === 0) return dot;
    return Math.fround(dot * search.queryInverse * this.#f32[(search.inverseNorms >> 2) + slot]!);
  }

  #heapPush(heap: number, size: number, max: boolean, slot: number, score: number): void {
    const f = this.#f32;
    const ints = this.#i32;
    const base = heap >> 2;
    let index = size;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      const parentScore = f[base + parent * 2]!;
      if (!before(max, score, parentScore)) break;
      f[base + index * 2] = parentScore;
      ints[base + index * 2 + 1] = ints[base + parent * 2 + 1]!;
      index = parent;
    }
    f[base + index * 2] = score;
    ints[base + index * 2 + 1] = slot;
  }

  #heapPop(heap: number, size: number, max: boolean): void {
    const f = this.#f32;
    const ints = this.#i32;
    const base = heap >> 2;
    const last = size - 1;
    if (last === 0) return;
    const score = f[base + last * 2]!;
    const slot = ints[base + last * 2 + 1]!;
    let index = 0;
    for (;;) {
      const left = 2 * index + 1;
      if (left >= last) break;
      const right = left + 1;
      const child = right < last && before(max, f[base + right * 2]!, f[base + left * 2]!) ? right : left;
      const childScore = f[base + child * 2]!;
      if (!before(max, childScore, score)) break;
      f[base + index * 2] = childScore;
      ints[base + index * 2 + 1] = ints[base + child * 2 + 1]!;
      index = child;
    }
    f[base + index * 2] = score;
    ints[base + index * 2 + 1] = slot;
  }

  hnswSearch0(search: GraphSearch): number {
    const f = this.#f32;
    const ints = this.#i32;
    const bytes = new Uint8Array(this.#buffer);
    const visited = new Uint16Array(this.#buffer);
    const visitedBase = search.visited >> 1;
    const { candidates, results, ef, tag, reject, flags } = search;
    let entry = search.entry;
    let entryScore = search.entryScore;
    const descent = search.descent;
    if (descent !== undefined) {
      // The greedy descent through the upper levels, as `assembly/kernels.ts` `hnswSearch` runs it.
      entryScore = this.#similarity(search, entry);
      for (let level = descent.maxLevel; level > 0; level--) {
        let changed = true;
        while (changed) {
          changed = false;
          const list = (ints[(descent.upperOffsets >> 2) + entry]! >> 2) + (level - 1) * descent.upperStride;
          const count = ints[list]!;
          for (let i = 0; i < count; i++) {
            const neighbour = ints[list + 1 + i]!;
            const score = this.#similarity(search, neighbour);
            if (score > entryScore) {
              entryScore = score;
              entry = neighbour;
              changed = true;
            }
          }
        }
      }
    }
    let candidateCount = 0;
    let resultCount = 0;
    visited[visitedBase + entry] = tag;
    this.#heapPush(candidates, candidateCount++, true, entry, entryScore);
    if ((bytes[flags + entry]! & reject) === 0) {
      this.#heapPush(results, resultCount++, false, entry, entryScore);
    }
    let lowerBound = resultCount > 0 ? f[results >> 2]! : Number.NEGATIVE_INFINITY;
    while (candidateCount > 0) {
      if (f[candidates >> 2]! < lowerBound && resultCount >= ef) break;
      const current = ints[(candidates >> 2) + 1]!;
      this.#heapPop(candidates, candidateCount--, true);
      const list = (search.links >> 2) + current * search.linkStride;
      const count = ints[list]!;
      for (let i = 0; i < count; i++) {
        const neighbour = ints[list + 1 + i]!;
        if (visited[visitedBase + neighbour] === tag) continue;
        visited[visitedBase + neighbour] = tag;
        const score = this.#similarity(search, neighbour);
        if (resultCount < ef || score > lowerBound) {
          this.#heapPush(candidates, candidateCount++, true, neighbour, score);
          if ((bytes[flags + neighbour]! & reject) === 0) {
            this.#heapPush(results, resultCount++, false, neighbour, score);
            if (resultCount > ef) this.#heapPop(results, resultCount--, false);
            lowerBound = f[results >> 2]!;
          }
        }
      }
    }
    const total = resultCount;
    for (let at = total - 1; at >= 0; at--) {
      f[(search.outScores >> 2) + at] = f[results >> 2]!;
      ints[(search.outSlots >> 2) + at] = ints[(results >> 2) + 1]!;
      this.#heapPop(results, resultCount--, false);
    }
    return total;
  }
}
