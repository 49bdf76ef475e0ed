/**
 * Prepares bench/query-ab.ts: one data set (text or clusters) of BENCH_COUNT rows with exact ground truth, our
 * HNSW index and hnswlib-node's built on it (M 16, efConstruction 200, cosine, one thread) and saved, all under
 * `AB_DIR` (default /tmp/query-ab/<set>). Run: `node --expose-gc bench/query-ab-prepare.ts <text|clusters>`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { createHnswIndex, saveIndexToFile } from '../dist/index.node.js';
import { clusterSet, textSet } from './data-sets.ts';
import { exactNeighbours } from './ground-truth.ts';

const set = process.argv[2] === 'clusters' ? 'clusters' : 'text';
const count = Number(process.env.BENCH_COUNT ?? 100_000);
const directory = process.env.AB_DIR ?? join('/tmp/query-ab', set);
const dimensions = 384;
const queryCount = 200;
const k = 10;
const M = 16;
const efConstruction = 200;
mkdirSync(directory, { recursive: true });
const log = (...parts: unknown[]) => console.log(`[prepare ${new Date().toISOString().slice(11, 19)}]`, ...parts);

const { base, queries } = (set === 'clusters' ? clusterSet : textSet)(count, queryCount, dimensions);
log(`${set}: ${count} × ${dimensions}, ${queryCount} queries`);
const truth = (await exactNeighbours(base, queries, dimensions, k)).map((ids) => ids.map(Number));
writeFileSync(join(directory, 'base.f32'), new Uint8Array(base.buffer, base.byteOffset, base.byteLength));
writeFileSync(join(directory, 'queries.f32'), new Uint8Array(queries.buffer, queries.byteOffset, queries.byteLength));
writeFileSync(join(directory, 'truth.json'), JSON.stringify(truth));
log('ground truth written');

const records = Array.from({ length: count }, (_, slot) => ({
  id: String(slot),
  vector: base.subarray(slot * dimensions, (slot + 1) * dimensions),
}));
if (process.env.AB_SKIP_OURS !== '1') {
  const cpu = process.cpuUsage();
  const ours = await createHnswIndex({ dimensions, metric: 'cosine', M, efConstruction });
  await ours.upsert(records);
  log(`ours built in ${(process.cpuUsage(cpu).user / 1e6).toFixed(1)} s CPU`);
  await saveIndexToFile(ours, join(directory, 'ours.index'));
  await ours.dispose();
}
if (process.env.AB_SKIP_PEER !== '1') {
  const { HierarchicalNSW } = createRequire(import.meta.url)('hnswlib-node') as typeof import('hnswlib-node');
  const cpu = process.cpuUsage();
  const peer = new HierarchicalNSW('cosine', dimensions);
  peer.initIndex(count, M, efConstruction, 100);
  for (let slot = 0; slot < count; slot++) {
    peer.addPoint(Array.from(base.subarray(slot * dimensions, (slot + 1) * dimensions)), slot);
  }
  log(`hnswlib-node built in ${(process.cpuUsage(cpu).user / 1e6).toFixed(1)} s CPU`);
  await peer.writeIndex(join(directory, 'hnswlib-node.index'));
}
log('done');
