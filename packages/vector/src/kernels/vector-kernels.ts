import { AgenticGenError, type DistanceMetric } from '@agenticgen/core';
import { assertMetric } from '../indexes/validation.js';
import type { KernelBackend, KernelBackendKind, KernelPreference } from './kernel-backend.js';
import { createKernelBackend } from './load-kernels.js';
import { TopK } from './top-k.js';

/** One top-k result of `VectorKernels.topK`. */
export interface KernelMatch {
  /** Row number in the matrix. */
  index: number;
  /** Similarity (cosine/dot: higher is closer; l2: the negated distance). */
  score: number;
}

/**
 * Stand-alone similarity kernels over Float32Array, for callers that manage their own vectors. Inputs are
 * copied into the kernel memory on each call; the indexes avoid that copy by keeping rows there.
 */
export interface VectorKernels {
  /** The implementation in use. */
  readonly kind: KernelBackendKind;
  /** Dot product. */
  dot(a: Float32Array, b: Float32Array): number;
  /** Cosine similarity (0 when either vector is all zeros). */
  cosine(a: Float32Array, b: Float32Array): number;
  /** Euclidean distance (not squared). */
  l2(a: Float32Array, b: Float32Array): number;
  /** Scores of `query` against every row of `matrix` (rows × query.length, row-major), higher is closer. */
  scoreMany(query: Float32Array, matrix: Float32Array, metric: DistanceMetric): Float32Array;
  /** The `k` best rows of `matrix` for `query`, best first. */
  topK(query: Float32Array, matrix: Float32Array, k: number, metric: DistanceMetric): KernelMatch[];
}

function checkPair(a: Float32Array, b: Float32Array): void {
  if (!(a instanceof Float32Array) || !(b instanceof Float32Array)) {
    throw new AgenticGenError('invalid-vector', '[vector] kernels take Float32Array inputs');
  }
  if (a.length !== b.length) {
    throw new AgenticGenError('dimension-mismatch', `[vector] dimension mismatch: ${a.length} vs ${b.length}`, {
      data: { expected: a.length, actual: b.length },
    });
  }
}

class Kernels implements VectorKernels {
  readonly #backend: KernelBackend;

  constructor(backend: KernelBackend) {
    this.#backend = backend;
  }

  get kind(): KernelBackendKind {
    return this.#backend.kind;
  }

  /** Copies the inputs to the kernel memory and returns their byte offsets. */
  #load(...arrays: Float32Array[]): number[] {
    const backend = this.#backend;
    let total = 0;
    for (const array of arrays) total += Math.ceil(array.length / 4) * 16;
    backend.reserve(backend.memoryBase + total + 16);
    const view = new Float32Array(backend.buffer());
    const offsets: number[] = [];
    let offset = backend.memoryBase;
    for (const array of arrays) {
      view.set(array, offset >> 2);
      offsets.push(offset);
      offset += Math.ceil(array.length / 4) * 16;
    }
    return offsets;
  }

  dot(a: Float32Array, b: Float32Array): number {
    checkPair(a, b);
    const [x, y] = this.#load(a, b);
    return this.#backend.dotF32(x!, y!, a.length);
  }

  cosine(a: Float32Array, b: Float32Array): number {
    checkPair(a, b);
    const [x, y] = this.#load(a, b);
    const dot = this.#backend.dotF32(x!, y!, a.length);
    const norms = Math.sqrt(this.#backend.dotF32(x!, x!, a.length) * this.#backend.dotF32(y!, y!, a.length));
    return norms === 0 ? 0 : dot / norms;
  }

  l2(a: Float32Array, b: Float32Array): number {
    checkPair(a, b);
    const [x, y] = this.#load(a, b);
    return Math.sqrt(this.#backend.l2F32(x!, y!, a.length));
  }

  scoreMany(query: Float32Array, matrix: Float32Array, metric: DistanceMetric): Float32Array {
    assertMetric(metric);
    const dims = query.length;
    if (!(matrix instanceof Float32Array) || dims === 0 || matrix.length % dims !== 0) {
      throw new AgenticGenError(
        'dimension-mismatch',
        `[vector] the matrix length (${matrix?.length}) must be a multiple of the query length (${dims})`,
      );
    }
    const rows = matrix.length / dims;
    const out = new Float32Array(rows);
    const [queryOffset, matrixOffset, outOffset] = this.#load(query, matrix, out);
    const backend = this.#backend;
    backend.scoreF32Range(metric === 'l2' ? 1 : 0, queryOffset!, matrixOffset!, rows, dims, outOffset!);
    const raw = new Float32Array(backend.buffer(), outOffset!, rows);
    if (metric === 'dot') out.set(raw);
    else if (metric === 'l2') for (let r = 0; r < rows; r++) out[r] = -Math.sqrt(raw[r]!);
    else {
      const queryNorm = Math.sqrt(backend.dotF32(queryOffset!, queryOffset!, dims));
      for (let r = 0; r < rows; r++) {
        const row = matrixOffset! + r * dims * 4;
        const norms = queryNorm * Math.sqrt(backend.dotF32(row, row, dims));
        out[r] = norms === 0 ? 0 : raw[r]! / norms;
      }
    }
    return out;
  }

  topK(query: Float32Array, matrix: Float32Array, k: number, metric: DistanceMetric): KernelMatch[] {
    if (!Number.isInteger(k) || k < 1)
      throw new AgenticGenError('invalid-argument', '[vector] k must be a positive integer');
    const scores = this.scoreMany(query, matrix, metric);
    const best = new TopK(Math.min(k, scores.length));
    for (let r = 0; r < scores.length; r++) if (scores[r]! > best.threshold) best.push(r, scores[r]!);
    const sorted = best.sorted();
    return sorted.items.map((index, r) => ({ index, score: sorted.scores[r]! }));
  }
}

/** Loads the kernels (`auto`: WebAssembly SIMD when available, else TypeScript). */
export async function createVectorKernels(options: { kernels?: KernelPreference } = {}): Promise<VectorKernels> {
  return new Kernels(await createKernelBackend(options.kernels));
}
