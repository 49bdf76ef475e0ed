import { describe, expect, it } from 'vitest';
import { compileSharedKernelModule, createSharedMemory, instantiateSharedKernels } from './shared-kernels.js';

const pageBytes = 65_536;

describe('shared-memory kernels', () => {
  // The parallel build runs one kernel instance per worker on one memory: `hnswSearch0` takes its arguments
  // through memory, so each instance must write them to its own block, never to the module's default one.
  it('write hnswSearch0 arguments to the block each instance was given', async () => {
    const module = await compileSharedKernelModule();
    const memory = createSharedMemory(4 * pageBytes);
    expect(module).toBeDefined();
    expect(memory).toBeDefined();
    if (module === undefined || memory === undefined) return;
    const base = pageBytes;
    const f32 = new Float32Array(memory.buffer);
    const i32 = new Int32Array(memory.buffer);
    const query = base;
    const rows = base + 64;
    const inverseNorms = base + 128;
    const links = base + 192;
    f32.set([1, 0, 0, 0], query / 4);
    f32.set([1, 0, 0, 0], rows / 4);
    f32[inverseNorms / 4] = 1;
    i32[links / 4] = 0; // one node, no neighbours
    const search = (params: number) => ({
      metric: 2 as const,
      query,
      queryInverse: 1,
      rows,
      dims: 4,
      inverseNorms,
      links,
      linkStride: 3,
      visited: base + 256,
      tag: params, // a fresh tag per search
      flags: base + 320,
      reject: 0,
      entry: 0,
      entryScore: 1,
      ef: 1,
      candidates: base + 384,
      results: base + 448,
      outSlots: base + 512,
      outScores: base + 576,
    });
    const first = await instantiateSharedKernels(module, memory, base + 1024);
    const second = await instantiateSharedKernels(module, memory, base + 2048);
    expect(first.hnswSearch0(search(1))).toBe(1);
    expect(second.hnswSearch0(search(2))).toBe(1);
    expect(i32[(base + 512) / 4]).toBe(0);
    const argumentsAt = (offset: number) => new Float64Array(memory.buffer, offset, 27);
    expect(argumentsAt(base + 1024)[9]).toBe(1); // the first instance's tag
    expect(argumentsAt(base + 2048)[9]).toBe(2); // the second instance's tag
    expect([...argumentsAt(pageBytes - 256)].every((value) => value === 0)).toBe(true);
  });
});
