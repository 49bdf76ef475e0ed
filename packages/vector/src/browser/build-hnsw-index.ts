import type { VectorRecord } from '@agenticgen/core';
import type { HnswIndex } from '../indexes/hnsw-index.js';
import { type BuildHnswIndexOptions, buildHnswIndexWith } from '../workers/build-hnsw-index.js';

/**
 * Builds an HNSW index over `records`; with `workers` ≥ 2, in a cross-origin-isolated page, the graph is
 * linked in parallel Web Workers sharing it through a SharedArrayBuffer (see `buildHnswIndexWith`); other
 * pages build on the calling thread. The default workers load the package's `hnsw-build-web-worker.js`
 * (bundlers that follow `new Worker(new URL(…, import.meta.url))` emit it; otherwise pass `createWorker`).
 */
export function buildHnswIndex(records: readonly VectorRecord[], options: BuildHnswIndexOptions): Promise<HnswIndex> {
  return buildHnswIndexWith(
    records,
    options,
    () => new Worker(new URL('./hnsw-build-web-worker.js', import.meta.url), { type: 'module' }),
  );
}
