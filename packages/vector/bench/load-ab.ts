/**
 * Load time of our saved HNSW index (`loadIndexFromFile`) against hnswlib-node's `readIndex` on the files
 * bench/query-ab-prepare.ts saved (`AB_DIR`, default /tmp/query-ab/<set>), alternating the libraries load by
 * load in one process so machine load hits both alike. CPU time (process.cpuUsage) and wall time per load.
 * Run: `node --expose-gc bench/load-ab.ts <text|clusters> [rounds]`. `AB_BASELINE=<another build's
 * dist/index.node.js>` adds that build as a third library ('base').
 */
import { createRequire } from 'node:module';
import { loadavg } from 'node:os';
import { join } from 'node:path';

const { loadIndexFromFile } = (await import(
  process.env.AB_DIST ?? '../dist/index.node.js'
)) as typeof import('../dist/index.node.js');

const set = process.argv[2] === 'clusters' ? 'clusters' : 'text';
const directory = process.env.AB_DIR ?? join('/tmp/query-ab', set);
const rounds = Number(process.argv[3] ?? 7);
const dimensions = 384;
const { HierarchicalNSW } = createRequire(import.meta.url)('hnswlib-node') as typeof import('hnswlib-node');
const loaders: Record<string, () => Promise<unknown>> = {
  ours: () => loadIndexFromFile(join(directory, 'ours.index')),
  peer: async () => {
    const peer = new HierarchicalNSW('cosine', dimensions);
    await peer.readIndex(join(directory, 'hnswlib-node.index'));
    return peer;
  },
};
if (process.env.AB_BASELINE !== undefined) {
  const baseline = (await import(process.env.AB_BASELINE)) as typeof import('../dist/index.node.js');
  loaders.base = () => baseline.loadIndexFromFile(join(directory, 'ours.index'));
}
const names = Object.keys(loaders);
const gc = (globalThis as { gc?: () => void }).gc;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
console.log(`set ${set}, ${rounds} rounds, load ${loadavg().map((l) => l.toFixed(2))}`);
const cpu: Record<string, number[]> = Object.fromEntries(names.map((name) => [name, []]));
const wall: Record<string, number[]> = Object.fromEntries(names.map((name) => [name, []]));
for (let round = -1; round < rounds; round++) {
  const shift = (round + names.length) % names.length;
  for (const name of [...names.slice(shift), ...names.slice(0, shift)]) {
    gc?.();
    const startCpu = process.cpuUsage();
    const start = performance.now();
    await loaders[name]!(); // dropped at once: the next load starts from a collected heap (gc above)
    const elapsed = performance.now() - start;
    const used = process.cpuUsage(startCpu);
    if (round >= 0) {
      // Round -1 warms both up (module compile, page cache).
      cpu[name]!.push((used.user + used.system) / 1000);
      wall[name]!.push(elapsed);
    }
  }
}
const peerCpu = median(cpu.peer!);
const peerWall = median(wall.peer!);
for (const name of names) {
  console.log(
    `${name}: CPU median ${median(cpu[name]!).toFixed(1)} ms (×${(median(cpu[name]!) / peerCpu).toFixed(2)}) wall median ${median(wall[name]!).toFixed(1)} ms (×${(median(wall[name]!) / peerWall).toFixed(2)}); CPU ${cpu[name]!.map((v) => v.toFixed(0)).join(' ')}`,
  );
}
console.log(`load at end ${loadavg().map((l) => l.toFixed(2))}`);
