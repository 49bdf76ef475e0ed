import { AgenticGenError } from '@agenticgen/core';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { createFlatIndex } from '../indexes/flat-index.js';
import { createKernelBackend, wasmSimdSupported } from './load-kernels.js';

// Each test file gets fresh modules, so the SIMD probe has not run yet: make this runtime look SIMD-less.
const validate = vi.spyOn(WebAssembly, 'validate').mockReturnValue(false);
afterAll(() => validate.mockRestore());

describe('kernels without WebAssembly SIMD', () => {
  it('falls back to TypeScript on auto and refuses an explicit wasm-simd', async () => {
    expect(await wasmSimdSupported()).toBe(false);
    expect((await createKernelBackend('auto')).kind).toBe('typescript');
    await expect(createKernelBackend('wasm-simd')).rejects.toSatisfy((error) =>
      AgenticGenError.hasCode(error, 'unsupported'),
    );
    await expect(createKernelBackend('gpu' as 'auto')).rejects.toSatisfy((error) =>
      AgenticGenError.hasCode(error, 'invalid-config'),
    );
  });

  it('still answers queries through an index', async () => {
    const index = await createFlatIndex({ dimensions: 3 });
    expect(index.kernels).toBe('typescript');
    await index.upsert([
      { id: 'x', vector: [1, 0, 0] },
      { id: 'y', vector: [0, 1, 0] },
    ]);
    const [best] = await index.query({ vector: [0.9, 0.1, 0], topK: 1 });
    expect(best!.id).toBe('x');
  });
});
