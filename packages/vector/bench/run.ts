/**
 * @agenticgen/vector benchmarks: 100,000 × 384 seeded clustered vectors, exact ground truth, recall@10 next
 * to every latency, peers in the same process on the same data: LanceDB (flat scan and IVF-PQ) and
 * hnswlib-node. Run: `npm run build -w packages/vector && npm run bench -w packages/vector`.
 * Writes bench/results.json. The machine is shared: read the ratios, not the absolute numbers.
 */
import { mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import * as lancedb from '@lancedb/lancedb';
import { createFlatIndex, createHnswIndex, createLanceDbStore } from '../dist/index.node.js';
import { clusteredVectors } from '../src/testing/random-vectors.ts';

const count = Number(process.env.BENCH_COUNT ?? 100_000);
const dimensions = 384;
const queryCount = 200;
const k = 10;
const M = 16;
const efConstruction = 128;
const log = (...parts: unknown[]) => console.log(`[bench ${new Date().toISOString().slice(11, 19)}]`, ...parts);

log(`generating ${count} + ${queryCount} × ${dimensions} vectors`);
const all = clusteredVectors(count + queryCount, dimensions, { seed: 2024, clusters: 100, spread: 0.6 });
const vectorAt = (index: number) => all.subarray(index * dimensions, (index + 1) * dimensions);
const records = Array.from({ length: count }, (_, index) => ({ id: String(index), vector: vectorAt(index) }));
const queries = Array.from({ length: queryCount }, (_, index) => vectorAt(count + index));

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function timeQueries(
  run: (query: Float32Array) => Promise<string[]> | string[],
  truth: string[][] | undefined,
  limit = queryCount,
): Promise<{ p50: number; p99: number; mean: number; recall: number; results: string[][] }> {
  for (const query of queries.slice(0, 20)) await run(query);
  const times: number[] = [];
  const results: string[][] = [];
  for (const query of queries.slice(0, limit)) {
    const start = performance.now();
    results.push(await run(query));
    times.push(performance.now() - start);
  }
  let hits = 0;
  if (truth !== undefined) {
    results.forEach((ids, index) => {
      const wanted = new Set(truth[index]);
      hits += ids.filter((id) => wanted.has(id)).length;
    });
  }
  return {
    p50: percentile(times, 50),
    p99: percentile(times, 99),
    mean: times.reduce((a, b) => a + b, 0) / times.length,
    recall: truth === undefined ? 1 : hits / (results.length * k),
    results,
  };
}

async function directorySize(path: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(path, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) total += (await stat(join(entry.parentPath, entry.name))).size;
  }
  return total;
}

const gc = () => (globalThis as { gc?: () => void }).gc?.();
const figures: {
  name: string;
  unit: string;
  ours: number;
  peers: Record<string, number>;
  recall?: Record<string, number>;
}[] = [];
const notes: string[] = [];

// 1. Exact scan: ours (WASM SIMD), ours (TypeScript fallback); LanceDB flat comes later on the same data.
log('flat index (wasm-simd): insert');
const flat = await createFlatIndex({ dimensions, metric: 'cosine' });
await flat.upsert(records);
const exact = await timeQueries(
  async (query) => (await flat.query({ vector: query, topK: k })).map((m) => m.id),
  undefined,
);
const truth = exact.results;
log(`flat wasm: mean ${exact.mean.toFixed(2)} ms`);
await flat.dispose();
gc();
log('flat index (typescript): insert');
const flatTs = await createFlatIndex({ dimensions, metric: 'cosine', kernels: 'typescript' });
await flatTs.upsert(records);
const exactTs = await timeQueries(
  async (query) => (await flatTs.query({ vector: query, topK: k })).map((m) => m.id),
  truth,
  40,
);
log(`flat ts: mean ${exactTs.mean.toFixed(2)} ms, recall ${exactTs.recall}`);
await flatTs.dispose();
gc();
const flatInt8 = await createFlatIndex({ dimensions, metric: 'cosine', quantization: 'int8' });
await flatInt8.upsert(records);
const exactInt8 = await timeQueries(
  async (query) => (await flatInt8.query({ vector: query, topK: k })).map((m) => m.id),
  truth,
);
log(`flat int8+rerank: mean ${exactInt8.mean.toFixed(2)} ms, recall ${exactInt8.recall}`);
await flatInt8.dispose();
gc();

// 2. HNSW: ours.
log(`hnsw (ours): build M=${M} efConstruction=${efConstruction}`);
const hnsw = await createHnswIndex({ dimensions, metric: 'cosine', M, efConstruction });
let start = performance.now();
let cpu = process.cpuUsage();
await hnsw.upsert(records);
const buildOursWall = performance.now() - start;
// The build is single-threaded: its CPU time is what it costs, whatever else the shared machine runs.
const buildOurs = process.cpuUsage(cpu).user / 1000;
log(`hnsw (ours): built in ${(buildOursWall / 1000).toFixed(1)} s wall, ${(buildOurs / 1000).toFixed(1)} s CPU`);
gc();
const efValues = [10, 16, 24, 32, 48, 64, 96, 128, 192, 256, 384];
async function sweep(
  name: string,
  setEf: (ef: number) => void,
  search: (query: Float32Array) => Promise<string[]> | string[],
) {
  let chosen: Awaited<ReturnType<typeof timeQueries>> & { ef: number } = {
    ...(await timeQueries(search, truth)),
    ef: -1,
  };
  for (const ef of efValues) {
    setEf(ef);
    const measured = await timeQueries(search, truth);
    log(
      `${name} ef=${ef}: p50 ${measured.p50.toFixed(3)} ms p99 ${measured.p99.toFixed(3)} ms recall ${measured.recall.toFixed(3)}`,
    );
    chosen = { ...measured, ef };
    if (measured.recall >= 0.95) break;
  }
  return chosen;
}
const ours = await sweep(
  'hnsw ours',
  (ef) => {
    hnsw.efSearch = ef;
  },
  async (query) => (await hnsw.query({ vector: query, topK: k })).map((m) => m.id),
);
const savedBytes = (await hnsw.save()).length;
await hnsw.dispose();
gc();

// 3. hnswlib-node, if it is installed and built.
let peerHnsw: { build: number; p50: number; p99: number; recall: number; ef: number; bytes: number } | undefined;
try {
  const { HierarchicalNSW } = createRequire(import.meta.url)('hnswlib-node') as typeof import('hnswlib-node');
  const index = new HierarchicalNSW('cosine', dimensions);
  index.initIndex(count, M, efConstruction, 100);
  log('hnswlib-node: build');
  start = performance.now();
  cpu = process.cpuUsage();
  for (let i = 0; i < count; i++) index.addPoint(Array.from(records[i]!.vector), i);
  const buildWall = performance.now() - start;
  const build = process.cpuUsage(cpu).user / 1000;
  log(`hnswlib-node: built in ${(buildWall / 1000).toFixed(1)} s wall, ${(build / 1000).toFixed(1)} s CPU`);
  notes.push(
    `hnsw-build wall-clock on the shared machine: ours ${(buildOursWall / 1000).toFixed(1)} s, hnswlib-node ${(buildWall / 1000).toFixed(1)} s.`,
  );
  gc();
  const measured = await sweep(
    'hnswlib-node',
    (ef) => index.setEf(ef),
    (query) => index.searchKnn(Array.from(query), k).neighbors.map(String),
  );
  const file = join(tmpdir(), `hnswlib-bench-${process.pid}.bin`);
  await index.writeIndex(file);
  const bytes = (await stat(file)).size;
  await rm(file, { force: true });
  peerHnsw = { build, p50: measured.p50, p99: measured.p99, recall: measured.recall, ef: measured.ef, bytes };
} catch (error) {
  notes.push(`hnswlib-node unavailable: ${String(error)}`);
}
gc();

// 4. LanceDB: ingest through our store vs raw table.add, flat scan, IVF-PQ.
const directory = await mkdtemp(join(tmpdir(), 'agenticgen-bench-lancedb-'));
try {
  const store = await createLanceDbStore({
    uri: directory,
    table: 'ours',
    dimensions,
    metric: 'cosine',
    vectorIndex: false,
    compactEveryWrites: false,
  });
  log('lancedb: ingest through the store (upsert batches of 10,000)');
  start = performance.now();
  for (let i = 0; i < count; i += 10_000) await store.upsert(records.slice(i, i + 10_000));
  const ingestOurs = performance.now() - start;
  const connection = await lancedb.connect(directory);
  const rawRows = (from: number, to: number) =>
    records.slice(from, to).map((record) => ({ id: record.id, vector: Array.from(record.vector) }));
  const rawTable = await connection.createTable('raw', rawRows(0, 10_000));
  log('lancedb: raw table.add of the same rows');
  start = performance.now();
  for (let i = 10_000; i < count; i += 10_000) await rawTable.add(rawRows(i, i + 10_000));
  // The first 10,000 rows went in with createTable: scale the timed 90,000 to 100,000.
  const ingestRaw = ((performance.now() - start) * count) / (count - 10_000);
  log(`lancedb ingest: store ${(ingestOurs / 1000).toFixed(1)} s, raw add ~${(ingestRaw / 1000).toFixed(1)} s`);
  const table = await connection.openTable('ours');
  const lanceSearch = async (query: Float32Array, tune?: (search: lancedb.VectorQuery) => lancedb.VectorQuery) => {
    let search = table.vectorSearch(query).distanceType('cosine').limit(k).select(['id', '_distance']);
    if (tune) search = tune(search);
    return ((await search.toArray()) as { id: string }[]).map((row) => row.id);
  };
  const lanceFlat = await timeQueries((query) => lanceSearch(query), truth, 40);
  log(`lancedb flat: mean ${lanceFlat.mean.toFixed(2)} ms recall ${lanceFlat.recall}`);
  log('lancedb: IVF-PQ index');
  start = performance.now();
  await table.createIndex('vector', {
    config: lancedb.Index.ivfPq({ distanceType: 'cosine', numPartitions: 256, numSubVectors: dimensions / 8 }),
  });
  const lanceIndexBuild = performance.now() - start;
  log(`lancedb: IVF-PQ built in ${(lanceIndexBuild / 1000).toFixed(1)} s`);
  let lancePq: Awaited<ReturnType<typeof timeQueries>> & { setting: string } = { ...lanceFlat, setting: 'none' };
  for (const [nprobes, refine] of [
    [10, 10],
    [20, 10],
    [40, 20],
    [80, 40],
    [160, 80],
  ] as const) {
    const measured = await timeQueries(
      (query) => lanceSearch(query, (s) => s.nprobes(nprobes).refineFactor(refine)),
      truth,
    );
    log(
      `lancedb ivf-pq nprobes=${nprobes} refine=${refine}: p50 ${measured.p50.toFixed(2)} ms recall ${measured.recall.toFixed(3)}`,
    );
    lancePq = { ...measured, setting: `nprobes ${nprobes}, refineFactor ${refine}` };
    if (measured.recall >= 0.95) break;
  }
  const lanceBytes = await directorySize(join(directory, 'ours.lance'));
  await store.dispose();
  connection.close();

  const mb = (bytes: number) => (bytes / 1_000_000) * (100_000 / count);
  figures.push(
    {
      name: 'exact-scan-100k',
      unit: 'ms',
      ours: exact.mean,
      peers: { 'typescript-fallback (ours)': exactTs.mean, '@lancedb/lancedb (flat)': lanceFlat.mean },
      recall: { ours: 1, 'typescript-fallback (ours)': exactTs.recall, '@lancedb/lancedb (flat)': lanceFlat.recall },
    },
    {
      name: 'exact-scan-100k-int8-rerank',
      unit: 'ms',
      ours: exactInt8.mean,
      peers: { '@lancedb/lancedb (flat)': lanceFlat.mean },
      recall: { ours: exactInt8.recall },
    },
    {
      name: 'hnsw-query-p50',
      unit: 'ms',
      ours: ours.p50,
      peers: {
        ...(peerHnsw ? { 'hnswlib-node': peerHnsw.p50 } : {}),
        '@lancedb/lancedb (IVF-PQ)': lancePq.p50,
      },
      recall: {
        ours: ours.recall,
        ...(peerHnsw ? { 'hnswlib-node': peerHnsw.recall } : {}),
        '@lancedb/lancedb (IVF-PQ)': lancePq.recall,
      },
    },
    {
      name: 'hnsw-query-p99',
      unit: 'ms',
      ours: ours.p99,
      peers: {
        ...(peerHnsw ? { 'hnswlib-node': peerHnsw.p99 } : {}),
        '@lancedb/lancedb (IVF-PQ)': lancePq.p99,
      },
      recall: {
        ours: ours.recall,
        ...(peerHnsw ? { 'hnswlib-node': peerHnsw.recall } : {}),
        '@lancedb/lancedb (IVF-PQ)': lancePq.recall,
      },
    },
    {
      name: 'hnsw-build-100k',
      unit: 'ms',
      ours: buildOurs,
      peers: { ...(peerHnsw ? { 'hnswlib-node': peerHnsw.build } : {}), '@lancedb/lancedb (IVF-PQ)': lanceIndexBuild },
    },
    {
      name: 'hnsw-recall-at-10',
      unit: 'ratio',
      ours: ours.recall,
      peers: { ...(peerHnsw ? { 'hnswlib-node': peerHnsw.recall } : {}), '@lancedb/lancedb (IVF-PQ)': lancePq.recall },
    },
    {
      name: 'index-bytes-per-vector',
      unit: 'MB',
      ours: mb(savedBytes),
      peers: {
        ...(peerHnsw ? { 'hnswlib-node': mb(peerHnsw.bytes) } : {}),
        '@lancedb/lancedb (IVF-PQ)': mb(lanceBytes),
      },
    },
    {
      name: 'lancedb-ingest-100k',
      unit: 'ms',
      ours: ingestOurs,
      peers: { '@lancedb/lancedb (table.add)': ingestRaw },
    },
  );
  notes.push(
    `${count} × ${dimensions} float32 vectors in 100 Gaussian clusters (spread 0.6, seed 2024), ${queryCount} held-out queries from the same distribution, cosine, k = ${k}; ground truth = our exact flat scan.`,
    `exact-scan-100k: mean ms per query; recall@10 of every path is 1.0 except int8 (${exactInt8.recall.toFixed(3)} after float32 re-ranking). TypeScript fallback and LanceDB flat were timed on ${40} queries.`,
    `HNSW: M = ${M}, efConstruction = ${efConstruction}, one thread; latencies at the smallest efSearch reaching recall@10 ≥ 0.95 — ours ef ${ours.ef} (recall ${ours.recall.toFixed(3)})${peerHnsw ? `, hnswlib-node ef ${peerHnsw.ef} (recall ${peerHnsw.recall.toFixed(3)})` : ''}; LanceDB IVF-PQ (256 partitions, 48 sub-vectors) at ${lancePq.setting} (recall ${lancePq.recall.toFixed(3)}).`,
    `hnsw-build-100k: process CPU ms (user) to insert 100k vectors one by one on one thread (the wall-clock times are in the first note; load average when the run ended: ${(loadavg()[0] ?? 0).toFixed(2)} on ${availableParallelism()} cores); LanceDB: wall ms of IVF-PQ training + indexing (multi-threaded, not the same work).`,
    'index-bytes-per-vector: MB for 100k vectors — ours: the saved HNSW file (float32 rows + graph + ids); hnswlib-node: writeIndex file; LanceDB: table directory with its IVF-PQ index.',
    'lancedb-ingest-100k: ms to write 100k rows — ours: LanceDbStore.upsert (merge-insert by id, 10 batches of 10,000); peer: raw table.add appends (no id de-duplication), 90,000 timed and scaled.',
  );
} finally {
  await rm(directory, { recursive: true, force: true });
}

const results = { node: process.version, date: new Date().toISOString(), figures, notes };
await writeFile(new URL('./results.json', import.meta.url), `${JSON.stringify(results, null, 2)}\n`);
log('wrote bench/results.json');
for (const figure of figures) log(figure.name, figure.unit, figure.ours.toFixed(3), JSON.stringify(figure.peers));
