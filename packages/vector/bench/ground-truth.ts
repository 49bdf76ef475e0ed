/**
 * Exact top-k neighbours of each query by our flat index (the bench's ground truth, checked against a float64
 * scan in run.ts): rows of `base` and `queries` are `dimensions` float32 each; ids are row numbers as strings.
 */
import { createFlatIndex } from '../dist/index.node.js';

export async function exactNeighbours(
  base: Float32Array,
  queries: Float32Array,
  dimensions: number,
  k: number,
): Promise<string[][]> {
  const flat = await createFlatIndex({ dimensions, metric: 'cosine' });
  await flat.upsert(
    Array.from({ length: base.length / dimensions }, (_, index) => ({
      id: String(index),
      vector: base.subarray(index * dimensions, (index + 1) * dimensions),
    })),
  );
  const truth: string[][] = [];
  for (let index = 0; index < queries.length / dimensions; index++) {
    const vector = queries.subarray(index * dimensions, (index + 1) * dimensions);
    truth.push((await flat.query({ vector, topK: k })).map((match) => match.id));
  }
  await flat.dispose();
  return truth;
}
