import { Worker } from 'node:worker_threads';
import type { VectorRecord } from '@agenticgen/core';
import type { HnswIndex } from '../indexes/hnsw-index.js';
import { type BuildHnswIndexOptions, buildHnswIndexWith } from '../workers/build-hnsw-index.js';

/**
 * Builds an HNSW index over `records`; with `workers` ≥ 2 the graph is linked in parallel worker_threads
 * sharing it through a SharedArrayBuffer (see `buildHnswIndexWith`). The default workers run the package's
 * `dist/hnsw-build-thread.js`.
 */
export function buildHnswIndex(records: readonly VectorRecord[], options: BuildHnswIndexOptions): Promise<HnswIndex> {
  return buildHnswIndexWith(records, options, () => new Worker(new URL('./hnsw-build-thread.js', import.meta.url)));
}
