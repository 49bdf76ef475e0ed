/**
 * RSS of one bulk upsert of 100,000 × 384 into a fresh index, in this process (issue 15: the batch used to
 * be copied before it was written). Run after a build: `node --expose-gc bench/upsert-rss.ts [flat|hnsw]`.
 * Prints the figures; hnsw uses efConstruction 16 to keep it short (the graph is small next to the rows).
 */
import { createFlatIndex, createHnswIndex } from '../dist/index.node.js';
import { clusterSet } from './data-sets.ts';

const kind = process.argv[2] === 'hnsw' ? 'hnsw' : 'flat';
const count = Number(process.env.BENCH_COUNT ?? 100_000);
const dimensions = 384;
const { base } = clusterSet(count, 0, dimensions);
const records = Array.from({ length: count }, (_, index) => ({
  id: String(index),
  vector: base.subarray(index * dimensions, (index + 1) * dimensions),
}));
const gc = () => {
  for (let i = 0; i < 3; i++) (globalThis as { gc?: () => void }).gc?.();
};
const mb = (bytes: number) => (bytes / 1e6).toFixed(0);
gc();
const before = process.memoryUsage();
const index =
  kind === 'hnsw'
    ? await createHnswIndex({ dimensions, M: 16, efConstruction: 16 })
    : await createFlatIndex({ dimensions });
await index.upsert(records);
gc();
const after = process.memoryUsage();
console.log(
  `${kind}: ${count} × ${dimensions} rows = ${mb(count * dimensions * 4)} MB; after the upsert RSS +${mb(after.rss - before.rss)} MB (JS heap +${mb(after.heapTotal - before.heapTotal)} MB, outside the heap +${mb(after.external - before.external)} MB)`,
);
