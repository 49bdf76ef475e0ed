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
}

const pageBytes = 65_536;

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
}
