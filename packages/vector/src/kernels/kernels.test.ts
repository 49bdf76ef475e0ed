import { AgenticGenError } from '@agenticgen/core';
import { describe, expect, it } from 'vitest';
import { createRandom } from '../testing/random-vectors.js';
import { type KernelBackend, TypeScriptKernels } from './kernel-backend.js';
import { createKernelBackend, wasmSimdSupported } from './load-kernels.js';
import { dequantizeInt8, quantizeInt8 } from './quantization.js';
import { createVectorKernels } from './vector-kernels.js';

function referenceDot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i]! * b[i]!;
  return sum;
}

function referenceL2(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += (a[i]! - b[i]!) ** 2;
  return sum;
}

function close(actual: number, expected: number, scale: number): void {
  // float32 accumulation in a different order: relative tolerance on the magnitude of the terms.
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(1e-4 * Math.max(1, scale));
}

async function backends(): Promise<KernelBackend[]> {
  return [new TypeScriptKernels(), await createKernelBackend('auto')];
}

describe('kernels', () => {
  it('runs WebAssembly SIMD in this runtime (Node 22+ and Chromium support it)', async () => {
    expect(await wasmSimdSupported()).toBe(true);
    expect((await createKernelBackend()).kind).toBe('wasm-simd');
    expect((await createKernelBackend('typescript')).kind).toBe('typescript');
  });

  it('agrees with a float64 reference on every path for random sizes (seeded property test)', async () => {
    const random = createRandom(7);
    for (const backend of await backends()) {
      for (let trial = 0; trial < 40; trial++) {
        const dims = 1 + Math.floor(random() * 300);
        const rows = 1 + Math.floor(random() * 20);
        const base = backend.memoryBase;
        const query = base;
        const matrix = base + Math.ceil(dims / 4) * 16;
        const ids = matrix + rows * dims * 4 + 16;
        const out = ids + rows * 4 + 16;
        backend.reserve(out + rows * 4 + 64);
        const f32 = new Float32Array(backend.buffer());
        const i32 = new Int32Array(backend.buffer());
        const values = Array.from({ length: dims * (rows + 1) }, () => (random() - 0.5) * 8);
        f32.set(values.slice(0, dims), query >> 2);
        f32.set(values.slice(dims), matrix >> 2);
        const q = f32.slice(query >> 2, (query >> 2) + dims);
        const rowAt = (r: number) => f32.slice((matrix >> 2) + r * dims, (matrix >> 2) + (r + 1) * dims);
        const scale = referenceDot(q, q) + referenceDot(rowAt(0), rowAt(0));
        close(backend.dotF32(query, matrix, dims), referenceDot(q, rowAt(0)), scale);
        close(backend.l2F32(query, matrix, dims), referenceL2(q, rowAt(0)), scale);
        for (const kind of [0, 1] as const) {
          const reference = (r: number) => (kind === 0 ? referenceDot(q, rowAt(r)) : referenceL2(q, rowAt(r)));
          backend.scoreF32Range(kind, query, matrix, rows, dims, out);
          const range = new Float32Array(backend.buffer()).slice(out >> 2, (out >> 2) + rows);
          for (let r = 0; r < rows; r++) close(range[r]!, reference(r), scale * 4);
          const order = Array.from({ length: rows }, (_, r) => rows - 1 - r);
          i32.set(order, ids >> 2);
          backend.scoreF32Gather(kind, query, matrix, ids, rows, dims, out);
          const gathered = new Float32Array(backend.buffer()).slice(out >> 2, (out >> 2) + rows);
          for (let r = 0; r < rows; r++) close(gathered[r]!, reference(order[r]!), scale * 4);
        }
      }
    }
  });

  it('computes exact int8 dot products, batched and gathered, on every path', async () => {
    const random = createRandom(11);
    const [typescript, wasm] = await backends();
    for (let trial = 0; trial < 30; trial++) {
      const stride = 16 * (1 + Math.floor(random() * 30));
      const rows = 1 + Math.floor(random() * 10);
      const bytes = Array.from({ length: stride * (rows + 1) }, () => Math.floor(random() * 255) - 127);
      const results: number[][] = [];
      for (const backend of [typescript!, wasm!]) {
        const base = backend.memoryBase;
        const ids = base + stride * (rows + 1);
        const out = ids + rows * 4;
        backend.reserve(out + rows * 4 + 16);
        new Int8Array(backend.buffer()).set(bytes, base);
        new Int32Array(backend.buffer()).set(
          Array.from({ length: rows }, (_, r) => r),
          ids >> 2,
        );
        const single = backend.dotI8(base, base + stride, stride);
        backend.dotI8Range(base, base + stride, rows, stride, out);
        const range = Array.from(new Int32Array(backend.buffer()).slice(out >> 2, (out >> 2) + rows));
        backend.dotI8Gather(base, base + stride, ids, rows, stride, out);
        const gathered = Array.from(new Int32Array(backend.buffer()).slice(out >> 2, (out >> 2) + rows));
        expect(gathered).toEqual(range);
        results.push([single, ...range]);
      }
      const expected = Array.from({ length: rows }, (_, r) =>
        referenceDot(bytes.slice(0, stride), bytes.slice(stride * (r + 1), stride * (r + 2))),
      );
      expect(results[0]).toEqual([expected[0], ...expected]);
      expect(results[1]).toEqual(results[0]);
    }
  });

  it('keeps memory contents when growing', async () => {
    for (const backend of await backends()) {
      const at = backend.memoryBase;
      new Float32Array(backend.buffer())[at >> 2] = 1.5;
      backend.reserve(backend.buffer().byteLength * 3);
      expect(new Float32Array(backend.buffer())[at >> 2]).toBe(1.5);
    }
  });

  it('int8 quantization round-trips within half a step per component', () => {
    const random = createRandom(3);
    const vector = Float32Array.from({ length: 97 }, () => (random() - 0.5) * 10);
    const target = new Int8Array(97);
    const scale = quantizeInt8(vector, target, 0);
    const back = dequantizeInt8(target, 0, 97, scale);
    for (let i = 0; i < 97; i++) expect(Math.abs(back[i]! - vector[i]!)).toBeLessThanOrEqual(scale / 2 + 1e-6);
    expect(quantizeInt8(new Float32Array(4), target, 0)).toBe(0);
  });
});

describe('createVectorKernels', () => {
  it('gives the same single, batched and top-k results with WASM SIMD and TypeScript', async () => {
    const random = createRandom(5);
    const dims = 45;
    const rows = 300;
    const matrix = Float32Array.from({ length: rows * dims }, () => random() - 0.5);
    const query = Float32Array.from({ length: dims }, () => random() - 0.5);
    const wasm = await createVectorKernels();
    const typescript = await createVectorKernels({ kernels: 'typescript' });
    expect(wasm.kind).toBe('wasm-simd');
    for (const metric of ['cosine', 'dot', 'l2'] as const) {
      const a = wasm.scoreMany(query, matrix, metric);
      const b = typescript.scoreMany(query, matrix, metric);
      for (let r = 0; r < rows; r++) expect(a[r]).toBeCloseTo(b[r]!, 4);
      const topA = wasm.topK(query, matrix, 10, metric);
      const topB = typescript.topK(query, matrix, 10, metric);
      expect(topA.map((match) => match.index)).toEqual(topB.map((match) => match.index));
      const sorted = [...a].map((score, index) => ({ score, index })).sort((x, y) => y.score - x.score);
      expect(topA.map((match) => match.index)).toEqual(sorted.slice(0, 10).map((entry) => entry.index));
    }
    const a = matrix.subarray(0, dims);
    const b = matrix.subarray(dims, 2 * dims);
    expect(wasm.dot(a, b)).toBeCloseTo(referenceDot(a, b), 4);
    expect(wasm.l2(a, b)).toBeCloseTo(Math.sqrt(referenceL2(a, b)), 4);
    expect(wasm.cosine(a, a)).toBeCloseTo(1, 5);
    expect(typescript.cosine(a, b)).toBeCloseTo(wasm.cosine(a, b), 5);
  });

  it('rejects mismatched inputs with codes', async () => {
    const kernels = await createVectorKernels();
    const error = (run: () => unknown) => {
      try {
        run();
      } catch (caught) {
        return caught;
      }
      return undefined;
    };
    expect(
      AgenticGenError.hasCode(
        error(() => kernels.dot(new Float32Array(3), new Float32Array(4))),
        'dimension-mismatch',
      ),
    ).toBe(true);
    expect(
      AgenticGenError.hasCode(
        error(() => kernels.scoreMany(new Float32Array(3), new Float32Array(4), 'dot')),
        'dimension-mismatch',
      ),
    ).toBe(true);
    expect(
      AgenticGenError.hasCode(
        error(() => kernels.scoreMany(new Float32Array(2), new Float32Array(4), 'hamming' as 'dot')),
        'unknown-metric',
      ),
    ).toBe(true);
  });
});
