import { kernelsWasmBase64 } from '../wasm/kernels.generated.js';
import type { FloatKernelKind, GraphSearch, KernelBackend } from './kernel-backend.js';

/** The module's exports: the scoring kernels with the contract's signatures, and the search loops' entry points. */
type KernelExports = Pick<
  KernelBackend,
  'dotF32' | 'l2F32' | 'dotI8' | 'scoreF32Range' | 'scoreF32Gather' | 'dotI8Range' | 'dotI8Gather'
> & {
  memory: WebAssembly.Memory;
  /** Reads its 27 arguments as f64 from `params` (see `assembly/kernels.ts`). */
  hnswSearch0(params: number): number;
  /** `hnswSearch0` after the upper levels' descent: 31 f64 arguments. */
  hnswSearch(params: number): number;
};

const pageBytes = 65_536;
/** Where `hnswSearch0`'s arguments go: the last 256 bytes of the module's own first page (its data is ~100 B). */
const defaultParamsOffset = pageBytes - 256;

/** The kernel module's bytes from their base64 text (also used by the shared-memory variant). */
export function decodeBase64(base64: string): Uint8Array<ArrayBuffer> {
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
  #params = new Float64Array(0);
  #paramsBuffer: ArrayBuffer | undefined;
  readonly #paramsOffset: number;

  /**
   * `paramsOffset`: where `hnswSearch0`'s 27 f64 arguments (`hnswSearch`'s 31) are written (8-byte aligned,
   * 248 bytes). The default sits in the module's own first page; instances sharing one memory (the parallel
   * build's workers) each pass an area of their own, or they would overwrite each other's arguments.
   */
  constructor(exports: KernelExports, paramsOffset = defaultParamsOffset) {
    this.#exports = exports;
    this.#paramsOffset = paramsOffset;
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
    // The arguments go through memory (the module's own first page), not 27 call parameters.
    const buffer = this.#exports.memory.buffer;
    if (this.#paramsBuffer !== buffer) {
      this.#paramsBuffer = buffer;
      this.#params = new Float64Array(buffer, this.#paramsOffset, 31);
    }
    const p = this.#params;
    const int8 = search.int8;
    p[0] = search.metric;
    p[1] = search.query;
    p[2] = search.queryInverse;
    p[3] = search.rows;
    p[4] = search.dims;
    p[5] = search.inverseNorms;
    p[6] = search.links;
    p[7] = search.linkStride;
    p[8] = search.visited;
    p[9] = search.tag;
    p[10] = search.flags;
    p[11] = search.reject;
    p[12] = search.entry;
    p[13] = search.entryScore;
    p[14] = search.ef;
    p[15] = search.candidates;
    p[16] = search.results;
    p[17] = search.outSlots;
    p[18] = search.outScores;
    p[19] = int8 === undefined ? 0 : 1;
    p[20] = int8?.query ?? 0;
    p[21] = int8?.rows ?? 0;
    p[22] = int8?.stride ?? 0;
    p[23] = int8?.scales ?? 0;
    p[24] = int8?.squaredNorms ?? 0;
    p[25] = int8?.queryScale ?? 0;
    p[26] = int8?.querySquared ?? 0;
    const descent = search.descent;
    if (descent === undefined) return this.#exports.hnswSearch0(this.#paramsOffset);
    p[27] = descent.upperOffsets;
    p[28] = descent.maxLevel;
    p[29] = descent.upperStride;
    return this.#exports.hnswSearch(this.#paramsOffset);
  }
}
