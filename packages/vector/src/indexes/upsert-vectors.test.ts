import { AgenticGenError } from '@agenticgen/core';
import { describe, expect, it } from 'vitest';
import { clusteredVectors, row } from '../testing/random-vectors.js';
import { createFlatIndex } from './flat-index.js';
import { createHnswIndex } from './hnsw-index.js';

const dims = 8;
const data = clusteredVectors(50, dims, { seed: 3 });

describe('upsert reads the caller vectors once, when it writes them (no batch copy)', () => {
  for (const create of [() => createFlatIndex({ dimensions: dims }), () => createHnswIndex({ dimensions: dims })]) {
    it('a vector made NaN before the write runs fails with invalid-vector and never reaches the rows', async () => {
      const index = await create();
      const records = Array.from({ length: 20 }, (_, i) => ({ id: `v${i}`, vector: row(data, dims, i).slice() }));
      const pending = index.upsert(records);
      // Validation passed synchronously; the write runs after this line, on the caller's arrays.
      records[10]!.vector[3] = Number.NaN;
      const error = await pending.then(
        () => undefined,
        (thrown: unknown) => thrown,
      );
      expect(AgenticGenError.hasCode(error, 'invalid-vector')).toBe(true);
      expect(await index.count()).toBe(10);
      for (const match of await index.query({ vector: row(data, dims, 0), topK: 20 })) {
        expect(Number.isFinite(match.score)).toBe(true);
      }
    });

    it('plain number arrays are stored as float32, and an unchanged one is recognised as unchanged', async () => {
      const index = await create();
      const vector = Array.from(row(data, dims, 1), (value) => value + 0.1);
      await index.upsert([{ id: 'a', vector, metadata: { n: 1 } }]);
      await index.upsert([{ id: 'a', vector, metadata: { n: 2 } }]);
      expect(index.storage.deletedCount).toBe(0);
      const [stored] = await index.get(['a']);
      expect(Array.from(stored!.vector)).toEqual(Array.from(Float32Array.from(vector)));
      expect(stored!.metadata).toEqual({ n: 2 });
    });
  }
});
