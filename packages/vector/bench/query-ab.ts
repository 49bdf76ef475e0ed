/**
 * Query speed of our HNSW index against hnswlib-node's on the same data, alternating the two libraries query
 * by query in one process, so machine load hits both alike; CPU time per query (process.cpuUsage). Reads what
 * bench/query-ab-prepare.ts saved (`AB_DIR`, default /tmp/query-ab/<set>).
 * Run: `node --expose-gc bench/query-ab.ts <text|clusters> [ef,ef,…] [rounds]`. Prints per ef: recall@10 and
 * p50/mean CPU ms of each library and the ratio ours/peer. `AB_BASELINE=<path of another build's
 * dist/index.node.js>` adds that build as a third library ('base', e.g. the code before a change), alternated
 * with the other two on the same saved index.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { loadavg } from 'node:os';
import { join } from 'node:path';

const { HnswIndex, loadIndexFromFile } = (await import(
  process.env.AB_DIST ?? '../dist/index.node.js'
)) as typeof import('../dist/index.node.js');

const set = process.argv[2] === 'clusters' ? 'clusters' : 'text';
const directory = process.env.AB_DIR ?? join('/tmp/query-ab', set);
const efValues = (process.argv[3] ?? (set === 'text' ? '96,128,192,256,384,512' : '16,24,32,48,64'))
  .split(',')
  .map(Number);
const rounds = Number(process.argv[4] ?? 3);
const dimensions = 384;
const k = 10;
const read = (name: string) => {
  const bytes = readFileSync(join(directory, name));
  return new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
};
const queryRows = read('queries.f32');
const truth = JSON.parse(readFileSync(join(directory, 'truth.json'), 'utf8')) as number[][];
const queries = Array.from({ length: queryRows.length / dimensions }, (_, index) =>
  queryRows.subarray(index * dimensions, (index + 1) * dimensions),
);
const loadStart = loadavg();

const ours = await loadIndexFromFile(join(directory, 'ours.index'));
if (!(ours instanceof HnswIndex)) throw new Error('ours.index is not an HNSW index');
const { HierarchicalNSW } = createRequire(import.meta.url)('hnswlib-node') as typeof import('hnswlib-node');
const peer = new HierarchicalNSW('cosine', dimensions);
await peer.readIndex(join(directory, 'hnswlib-node.index'));
type Index = InstanceType<typeof HnswIndex>;
const ofIndex = (index: Index) => ({
  setEf: (ef: number) => {
    index.efSearch = ef;
  },
  search: async (query: Float32Array) => (await index.query({ vector: query, topK: k })).map((m) => Number(m.id)),
});
// Both get the query the way their API takes it; hnswlib-node's `Array.from` is part of its cost.
const libraries: Record<
  string,
  { setEf(ef: number): void; search(query: Float32Array): number[] | Promise<number[]> }
> = {
  ours: ofIndex(ours),
  peer: {
    setEf: (ef: number) => peer.setEf(ef),
    search: (query: Float32Array): number[] => peer.searchKnn(Array.from(query), k).neighbors,
  },
};
const names = ['ours', 'peer'];
if (process.env.AB_BASELINE !== undefined) {
  const baseline = (await import(process.env.AB_BASELINE)) as typeof import('../dist/index.node.js');
  const base = await baseline.loadIndexFromFile(join(directory, 'ours.index'));
  if (!(base instanceof baseline.HnswIndex)) throw new Error('ours.index is not an HNSW index');
  libraries.base = ofIndex(base as unknown as Index);
  names.push('base');
}
const percentile = (values: number[], p: number) =>
  [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((p / 100) * values.length))]!;

console.log(`set ${set}, ${queries.length} queries × ${rounds} rounds, load ${loadStart.map((l) => l.toFixed(2))}`);
/** Per library, per ef (in the order run): recall@10 and p50 CPU ms. */
const curves: Record<string, { recall: number; p50: number }[]> = Object.fromEntries(names.map((name) => [name, []]));
/** p50 at `target` recall, linearly between the two efSearch values around it (undefined outside the grid). */
const p50AtRecall = (curve: { recall: number; p50: number }[], target: number) => {
  for (let i = 1; i < curve.length; i++) {
    const low = curve[i - 1]!;
    const high = curve[i]!;
    if (low.recall <= target && high.recall >= target) {
      const share = high.recall === low.recall ? 0 : (target - low.recall) / (high.recall - low.recall);
      return low.p50 + share * (high.p50 - low.p50);
    }
  }
  return undefined;
};
for (const ef of efValues) {
  const times: Record<string, number[]> = Object.fromEntries(names.map((name) => [name, []]));
  const hits: Record<string, number> = Object.fromEntries(names.map((name) => [name, 0]));
  for (const name of names) libraries[name]!.setEf(ef);
  for (const query of queries.slice(0, 20)) for (const name of names) await libraries[name]!.search(query);
  for (let round = 0; round < rounds; round++) {
    for (const [index, query] of queries.entries()) {
      const shift = (index + round) % names.length;
      const order = [...names.slice(shift), ...names.slice(0, shift)];
      for (const name of order) {
        const cpu = process.cpuUsage();
        const found = await libraries[name]!.search(query);
        const used = process.cpuUsage(cpu);
        times[name]!.push((used.user + used.system) / 1000);
        if (round === 0) {
          const wanted = new Set(truth[index]);
          hits[name] = (hits[name] ?? 0) + found.filter((slot) => wanted.has(slot)).length;
        }
      }
    }
  }
  const peerP50 = percentile(times.peer!, 50);
  const line = (name: string) =>
    `${name} recall ${(hits[name]! / (queries.length * k)).toFixed(4)} p50 ${percentile(times[name]!, 50).toFixed(3)} (×${(percentile(times[name]!, 50) / peerP50).toFixed(3)}) p99 ${percentile(times[name]!, 99).toFixed(3)} mean ${(times[name]!.reduce((a, b) => a + b, 0) / times[name]!.length).toFixed(3)}`;
  console.log(`ef ${ef}: ${names.map(line).join(' | ')}`);
  for (const name of names) {
    curves[name]!.push({ recall: hits[name]! / (queries.length * k), p50: percentile(times[name]!, 50) });
  }
}
for (const target of [0.9, 0.95]) {
  const peerAt = p50AtRecall(curves.peer!, target);
  const at = (name: string) => {
    const p50 = p50AtRecall(curves[name]!, target);
    if (p50 === undefined || peerAt === undefined) return `${name} outside the grid`;
    return `${name} ${p50.toFixed(3)} ms (×${(p50 / peerAt).toFixed(3)})`;
  };
  console.log(`p50 at recall ${target.toFixed(2)} (interpolated): ${names.map(at).join(' | ')}`);
}
console.log(`load at end ${loadavg().map((l) => l.toFixed(2))}`);
