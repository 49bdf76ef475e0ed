import type { DistanceMetric } from '@agenticgen/core';
import { describe, expect, it } from 'vitest';
import { clusteredVectors, createRandom, row } from '../testing/random-vectors.js';
import { createFlatIndex } from './flat-index.js';
import { createHnswIndex } from './hnsw-index.js';

/**
 * Property test across index paths: for random sizes and metrics, the WASM SIMD flat index, the
 * TypeScript flat index and the int8 flat index with float32 re-ranking return the same neighbours with the
 * same scores (within float tolerance), and HNSW with a wide beam finds them too.
 */
describe('all index paths agree', () => {
  it('on seeded random data, dimensions and metrics', async () => {
    const random = createRandom(99);
    for (let trial = 0; trial < 6; trial++) {
      const dims = 3 + Math.floor(random() * 90);
      const count = 50 + Math.floor(random() * 400);
      const metric = (['cosine', 'dot', 'l2'] as const)[trial % 3] as DistanceMetric;
      const data = clusteredVectors(count + 5, dims, { seed: trial + 1, clusters: 4 });
      const records = Array.from({ length: count }, (_, i) => ({ id: `r${i}`, vector: row(data, dims, i) }));
      const paths = await Promise.all([
        createFlatIndex({ dimensions: dims, metric }),
        createFlatIndex({ dimensions: dims, metric, kernels: 'typescript' }),
        createFlatIndex({ dimensions: dims, metric, quantization: 'int8', rerankFactor: 10 }),
        createHnswIndex({ dimensions: dims, metric, efSearch: 400, M: 12 }),
      ]);
      for (const index of paths) await index.upsert(records);
      for (let q = 0; q < 5; q++) {
        const vector = row(data, dims, count + q);
        const [reference, ...others] = await Promise.all(paths.map((index) => index.query({ vector, topK: 8 })));
        for (const [path, result] of others.entries()) {
          const label = `trial ${trial} (${metric}, ${dims}d) path ${path + 1}`;
          expect(
            result.map((match) => match.id),
            label,
          ).toEqual(reference!.map((match) => match.id));
          for (const [i, match] of result.entries()) {
            expect(Math.abs(match.score - reference![i]!.score), label).toBeLessThanOrEqual(
              1e-4 * Math.max(1, Math.abs(match.score)),
            );
          }
        }
      }
    }
  });
});
