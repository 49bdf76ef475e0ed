import { kernelsWasmBase64 } from '../wasm/kernels.generated.js';
import type { FloatKernelKind, GraphSearch, KernelBackend } from './kernel-backend.js';

interface KernelExports {
  memory: WebAssembly.Memory;
  dotF32(a: number, b: number, dims: number): number;
  l2F32(a: number, b: number, dims: number): number;
  dotI8(a: number, b: number, bytes: number): number;
  scoreF32Range(kind: number, query: number, rows: number, count: number, dims: number, out: number): void;
  scoreF32Gather(
    kind: number,
    query: number,
    rows: number,
    ids: number,
    count: number,
    dims: number,
    out: number,
  ): void;
  dotI8Range(query: number, rows: number, count: number, stride: number, out: number): void;
  dotI8Gather(query: number, rows: number, ids: number, count: number, stride: number, out: number): void;
  hnswSearch0(
    metric: number,
    query: number,
    queryInverse: number,
    rows: number,
    dims: number,
    inverseNorms: number,
    links: number,
    linkStride: number,
    visited: number,
    tag: number,
    flags: number,
    reject: number,
    entry: number,
    entryScore: number,
    ef: number,
    candidates: number,
    results: number,
    outSlots: number,
    outScores: number,
    int8: number,
    query8: number,
    rows8: number,
    stride: number,
    scales: number,
    squaredNorms: number,
    queryScale: number,
    querySquared: number,
  ): number;
}

const pageBytes = 65_536;

function decodeBase64(base64: string): Uint8Array<ArrayBuffer> {
  // atob exists in Node >= 16 and every browser; no Buffer so the same code runs in both.
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

let compiled: Promise<WebAssembly.Module | undefined> | undefined;

/**
 * Compiles the SIMD module once per process. Resolves `undefined` when the runtime lacks WebAssembly or
 * SIMD (the module fails validation), so callers fall back to TypeScript instead of failing.
 */
export function compileKernelModule(): Promise<WebAssembly.Module | undefined> {
  compiled ??= (async () => {
    if (typeof WebAssembly !== 'object') return undefined;
    const bytes = decodeBase64(kernelsWasmBase64);
    if (!WebAssembly.validate(bytes)) return undefined;
    try {
      return await WebAssembly.compile(bytes);
    } catch {
      return undefined;
    }
  })();
  return compiled;
}

/** One module instance = one private linear memory; each index owns one, so indexes never share memory. */
export class WasmSimdKernels implements KernelBackend {
  readonly kind = 'wasm-simd' as const;
  /** The module's first page holds its (tiny) static data; the arena starts after it. */
  readonly memoryBase = pageBytes;
  readonly #exports: KernelExports;

  constructor(exports: KernelExports) {
    this.#exports = exports;
    this.reserve(pageBytes * 2);
  }

  static async instantiate(module: WebAssembly.Module): Promise<WasmSimdKernels> {
    const instance = await WebAssembly.instantiate(module, {});
    return new WasmSimdKernels(instance.exports as unknown as KernelExports);
  }

  buffer(): ArrayBuffer {
    return this.#exports.memory.buffer;
  }

  reserve(bytes: number): void {
    const memory = this.#exports.memory;
    const current = memory.buffer.byteLength;
    if (bytes <= current) return;
    // Grow geometrically so a stream of inserts triggers few reallocations.
    const target = Math.max(bytes, Math.floor(current * 1.5));
    memory.grow(Math.ceil((target - current) / pageBytes));
  }

  dotF32(a: number, b: number, dims: number): number {
    return this.#exports.dotF32(a, b, dims);
  }

  l2F32(a: number, b: number, dims: number): number {
    return this.#exports.l2F32(a, b, dims);
  }

  dotI8(a: number, b: number, bytes: number): number {
    return this.#exports.dotI8(a, b, bytes);
  }

  scoreF32Range(kind: FloatKernelKind, query: number, rows: number, count: number, dims: number, out: number): void {
    this.#exports.scoreF32Range(kind, query, rows, count, dims, out);
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
    this.#exports.scoreF32Gather(kind, query, rows, ids, count, dims, out);
  }

  dotI8Range(query: number, rows: number, count: number, stride: number, out: number): void {
    this.#exports.dotI8Range(query, rows, count, stride, out);
  }

  dotI8Gather(query: number, rows: number, ids: number, count: number, stride: number, out: number): void {
    this.#exports.dotI8Gather(query, rows, ids, count, stride, out);
  }

  hnswSearch0(search: GraphSearch): number {
    return this.#exports.hnswSearch0(
      search.metric,
      search.query,
      search.queryInverse,
      search.rows,
      search.dims,
      search.inverseNorms,
      search.links,
      search.linkStride,
      search.visited,
      search.tag,
      search.flags,
      search.reject,
      search.entry,
      search.entryScore,
      search.ef,
      search.candidates,
      search.results,
      search.outSlots,
      search.outScores,
      search.int8 === undefined ? 0 : 1,
      search.int8?.query ?? 0,
      search.int8?.rows ?? 0,
      search.int8?.stride ?? 0,
      search.int8?.scales ?? 0,
      search.int8?.squaredNorms ?? 0,
      search.int8?.queryScale ?? 0,
      search.int8?.querySquared ?? 0,
    );
  }
}
