/**
 * One HNSW library on one data set, in its own process so its RSS is its own: build, RSS after the build,
 * an efSearch sweep (p50/p99/recall@10 against the exact ground truth), save and load. Run by run.ts:
 * `node --expose-gc bench/hnsw-child.ts <ours|ours-int8|ours-2-workers|hnswlib-node> <data directory> <with-filter 0|1>`;
 * prints one JSON line. `ours` builds with `upsert` on one thread; `ours-2-workers` with
 * `buildHnswIndex(records, { workers: 2 })` (worker_threads over shared memory).
 */
import { readFileSync } from 'node:fs';
import { rm, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { buildHnswIndex, createHnswIndex, loadIndexFromFile, saveIndexToFile } from '../dist/index.node.js';

const loadAtStart = loadavg()[0] ?? 0;
const [library, directory, withFilter] = process.argv.slice(2) as [string, string, string];
/** `ours-int8`: int8 rows searched, float32 rows kept for the re-rank (`quantization: 'int8'`). */
const quantization = library === 'ours-int8' ? ({ quantization: 'int8' } as const) : {};
const settings = JSON.parse(readFileSync(join(directory, 'settings.json'), 'utf8')) as {
  dimensions: number;
  M: number;
  efConstruction: number;
  efValues: number[];
  k: number;
};
const { dimensions, M, efConstruction, k } = settings;
const read = (name: string) => {
  const bytes = readFileSync(join(directory, name));
  return new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
};
const base = read('base.f32');
const queryRows = read('queries.f32');
const truth = JSON.parse(readFileSync(join(directory, 'truth.json'), 'utf8')) as number[][];
const count = base.length / dimensions;
const queries = Array.from({ length: queryRows.length / dimensions }, (_, index) =>
  queryRows.subarray(index * dimensions, (index + 1) * dimensions),
);
const gc = () => {
  for (let i = 0; i < 3; i++) (globalThis as { gc?: () => void }).gc?.();
};

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function measure(search: (query: Float32Array) => Promise<number[]> | number[]) {
  for (const query of queries.slice(0, 20)) await search(query);
  const times: number[] = [];
  const cpuTimes: number[] = [];
  let hits = 0;
  for (const [index, query] of queries.entries()) {
    const cpu = process.cpuUsage();
    const start = performance.now();
    const found = await search(query);
    times.push(performance.now() - start);
    const used = process.cpuUsage(cpu);
    cpuTimes.push((used.user + used.system) / 1000);
    const wanted = new Set(truth[index]);
    hits += found.filter((slot) => wanted.has(slot)).length;
  }
  return {
    p50: percentile(times, 50),
    p99: percentile(times, 99),
    p50Cpu: percentile(cpuTimes, 50),
    meanCpu: cpuTimes.reduce((a, b) => a + b, 0) / cpuTimes.length,
    recall: hits / (queries.length * k),
  };
}

interface Library {
  setEf(ef: number): void;
  search(query: Float32Array): Promise<number[]> | number[];
  filteredSearch?(query: Float32Array, category: number): Promise<number[]> | number[];
  save(file: string): Promise<void>;
  load(file: string): Promise<void>;
}

// The caller's input is made before the baseline for both libraries: ours takes `{ id, vector }` records
// (views of the loaded rows), hnswlib-node one `Array.from(row)` per addPoint (short-lived garbage).
const records = Array.from({ length: count }, (_, slot) => ({
  id: String(slot),
  vector: base.subarray(slot * dimensions, (slot + 1) * dimensions),
}));
gc();
const memoryBefore = process.memoryUsage();
const rssBefore = memoryBefore.rss;
const loadBefore = loadavg()[0];
const wallStart = performance.now();
const cpuStart = process.cpuUsage();
let subject: Library;
/** Metadata for the filtered query (clusters): upserted after the build figures, not inside them. */
let addCategories: (() => Promise<void>) | undefined;
if (library === 'ours' || library === 'ours-int8' || library === 'ours-2-workers') {
  const options = { dimensions, metric: 'cosine' as const, M, efConstruction, ...quantization };
  let index: Awaited<ReturnType<typeof createHnswIndex>>;
  if (library === 'ours-2-workers') {
    // CPU time below is the whole process's, so it includes the worker threads.
    index = await buildHnswIndex(records, { ...options, workers: 2 });
  } else {
    index = await createHnswIndex(options);
    await index.upsert(records);
  }
  subject = {
    setEf: (ef) => {
      index.efSearch = ef;
    },
    search: async (query) => (await index.query({ vector: query, topK: k })).map((match) => Number(match.id)),
    filteredSearch: async (query, category) =>
      (await index.query({ vector: query, topK: k, filter: { category } })).map((match) => Number(match.id)),
    save: (file) => saveIndexToFile(index, file),
    load: async (file) => {
      await loadIndexFromFile(file);
    },
  };
  // Metadata-only updates (same vectors): 100 categories, so one category is a 1 % filter.
  addCategories = () =>
    index.upsert(records.map((record, slot) => ({ ...record, metadata: { category: slot % 100 } })));
} else {
  const { HierarchicalNSW } = createRequire(import.meta.url)('hnswlib-node') as typeof import('hnswlib-node');
  const index = new HierarchicalNSW('cosine', dimensions);
  index.initIndex(count, M, efConstruction, 100);
  for (let slot = 0; slot < count; slot++) {
    index.addPoint(Array.from(base.subarray(slot * dimensions, (slot + 1) * dimensions)), slot);
  }
  subject = {
    setEf: (ef) => index.setEf(ef),
    search: (query) => index.searchKnn(Array.from(query), k).neighbors,
    filteredSearch: (query, category) =>
      index.searchKnn(Array.from(query), k, (label) => label % 100 === category).neighbors,
    save: (file) => index.writeIndex(file).then(() => undefined),
    load: async (file) => {
      const loaded = new HierarchicalNSW('cosine', dimensions);
      await loaded.readIndex(file);
    },
  };
}
const buildWall = performance.now() - wallStart;
const cpuUsed = process.cpuUsage(cpuStart);
const buildCpu = cpuUsed.user / 1000;
const buildCpuSystem = cpuUsed.system / 1000;
const loadAfter = loadavg()[0];
gc();
const memoryAfter = process.memoryUsage();
const rssAfterBuild = memoryAfter.rss - rssBefore;
// Where the RSS went: the JS heap (committed), and memory outside it (typed arrays, WASM memory, native).
const memoryGrowth = {
  heapUsed: memoryAfter.heapUsed - memoryBefore.heapUsed,
  heapTotal: memoryAfter.heapTotal - memoryBefore.heapTotal,
  external: memoryAfter.external - memoryBefore.external,
};

const sweep: { ef: number; p50: number; p99: number; p50Cpu: number; meanCpu: number; recall: number }[] = [];
for (const ef of settings.efValues) {
  subject.setEf(ef);
  const measured = await measure((query) => subject.search(query));
  sweep.push({ ef, ...measured });
  process.stderr.write(
    `[${library}] ef ${ef}: p50 ${measured.p50.toFixed(3)} ms p99 ${measured.p99.toFixed(3)} recall ${measured.recall.toFixed(3)}\n`,
  );
  if (measured.recall >= 0.95) break;
}

let filtered: { p50: number; p99: number } | undefined;
if (withFilter === '1' && subject.filteredSearch !== undefined) {
  await addCategories?.();
  // At the efSearch that reached recall 0.95 unfiltered; category 7 of 100 (1 %).
  const search = subject.filteredSearch;
  const measured = await measure((query) => search(query, 7));
  filtered = { p50: measured.p50, p99: measured.p99 };
}

const file = join(directory, `${library}.index`);
const cpuMs = (since: NodeJS.CpuUsage) => {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1000;
};
let start = performance.now();
let cpu = process.cpuUsage();
await subject.save(file);
const saveMs = performance.now() - start;
const saveCpu = cpuMs(cpu);
const bytes = (await stat(file)).size;
gc();
start = performance.now();
cpu = process.cpuUsage();
await subject.load(file);
const loadMs = performance.now() - start;
const loadCpu = cpuMs(cpu);
await rm(file, { force: true });

console.log(
  JSON.stringify({
    library,
    buildWall,
    buildCpu,
    buildCpuSystem,
    loadBefore,
    loadAfter,
    rssAfterBuild,
    memoryGrowth,
    sweep,
    filtered,
    saveMs,
    saveCpu,
    loadMs,
    loadCpu,
    bytes,
    loadAverage: [loadAtStart, loadavg()[0] ?? 0],
  }),
);
