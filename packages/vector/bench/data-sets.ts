/**
 * The bench's two data sets, built here for every bench that reports on them, so their figures come from the
 * same rows (docs/vector.md says which figure comes from which set). Row-major float32: `count` base rows, then
 * `queryCount` held-out queries.
 */
import { fileURLToPath } from 'node:url';
import { clusteredVectors } from '../src/testing/random-vectors.ts';
import { documentationPassages, embedPassages, holdOutQueries } from './text-dataset.ts';

export interface BenchDataSet {
  base: Float32Array;
  queries: Float32Array;
}

/** Seeded Gaussian clusters (100 clusters, spread 0.6, seed 2024); the queries come from the same distribution. */
export function clusterSet(count: number, queryCount: number, dimensions: number): BenchDataSet {
  const all = clusteredVectors(count + queryCount, dimensions, { seed: 2024, clusters: 100, spread: 0.6 });
  return { base: all.subarray(0, count * dimensions), queries: all.subarray(count * dimensions) };
}

/** Real text (text-dataset.ts): passages of the documentation under the repository's node_modules. */
export function textSet(count: number, queryCount: number, dimensions: number): BenchDataSet {
  const nodeModules = fileURLToPath(new URL('../../../node_modules', import.meta.url));
  const all = embedPassages(documentationPassages(nodeModules, count + queryCount), dimensions);
  return holdOutQueries(all, count, queryCount, dimensions);
}
