/**
 * The parallel-build figures alone (run.ts produces them too, with everything else): on the clusters and
 * the real-text set of run.ts (same seeds and generator, 100,000 × 384 by default), builds in child
 * processes, one after the other: ours with `buildHnswIndex({ workers: 2 })`, hnswlib-node (one thread),
 * ours with `upsert` (one thread); each then sweeps efSearch for recall@10 against our exact flat scan.
 * Replaces the build figures in bench/results.json, keeping the others.
 * Run: `npm run build -w packages/vector && node --expose-gc packages/vector/bench/build-parallel.ts`.
 */
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BuildRun, buildFigures, type Figure } from './build-figures.ts';
import { clusterSet, textSet } from './data-sets.ts';
import { exactNeighbours } from './ground-truth.ts';

const count = Number(process.env.BENCH_COUNT ?? 100_000);
const dimensions = 384;
const queryCount = 200;
const k = 10;
const M = 16;
const efConstruction = 200;
const efValues = [10, 16, 24, 32, 48, 64, 96, 128, 192, 256, 384, 512, 768, 1024, 1536];
const log = (...parts: unknown[]) => console.log(`[build ${new Date().toISOString().slice(11, 19)}]`, ...parts);
const loadAtStart = loadavg()[0] ?? 0;

// The data of run.ts: same seeds, same held-out queries.
const clusters = clusterSet(count, queryCount, dimensions);
const { base: textBase, queries: textQueries } = textSet(count, queryCount, dimensions);

const figures: Figure[] = [];
const notes: string[] = [];
const dataRoot = await mkdtemp(join(tmpdir(), 'agenticgen-bench-build-'));
const childScript = fileURLToPath(new URL('./hnsw-child.ts', import.meta.url));
try {
  for (const [name, prefix, base, queries] of [
    ['text', 'hnsw-text-', textBase, textQueries],
    ['clusters', 'hnsw-', clusters.base, clusters.queries],
  ] as const) {
    const directory = join(dataRoot, name);
    await mkdir(directory);
    log(`${name}: ground truth (exact flat scan)`);
    await writeFile(join(directory, 'base.f32'), new Uint8Array(base.buffer, base.byteOffset, base.byteLength));
    await writeFile(
      join(directory, 'queries.f32'),
      new Uint8Array(queries.buffer, queries.byteOffset, queries.byteLength),
    );
    await writeFile(
      join(directory, 'truth.json'),
      JSON.stringify((await exactNeighbours(base, queries, dimensions, k)).map((ids) => ids.map(Number))),
    );
    await writeFile(join(directory, 'settings.json'), JSON.stringify({ dimensions, M, efConstruction, efValues, k }));
    const runs: Record<string, BuildRun> = {};
    // Ours and the peer alternate: 2 workers, hnswlib-node, 1 thread.
    for (const library of ['ours-2-workers', 'hnswlib-node', 'ours']) {
      log(`${name}: ${library} build (load ${loadavg()[0]!.toFixed(2)})`);
      const output = execFileSync(process.execPath, ['--expose-gc', childScript, library, directory, '0'], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'inherit'],
        maxBuffer: 1 << 20,
      });
      const run = JSON.parse(output.trim().split('\n').at(-1)!) as BuildRun;
      runs[library] = run;
      log(
        `${name}: ${library} ${(run.buildWall / 1000).toFixed(1)} s wall, ${((run.buildCpu + (run.buildCpuSystem ?? 0)) / 1000).toFixed(1)} s CPU, load ${run.loadBefore?.toFixed(2)} → ${run.loadAfter?.toFixed(2)}`,
      );
    }
    const built = buildFigures(prefix, name, {
      parallel: runs['ours-2-workers']!,
      sequential: runs.ours!,
      peer: runs['hnswlib-node']!,
    });
    figures.push(...built.figures);
    notes.push(built.note);
    log(built.note);
  }
} finally {
  await rm(dataRoot, { recursive: true, force: true });
}

const resultsFile = new URL('./results.json', import.meta.url);
const results = JSON.parse(await readFile(resultsFile, 'utf8')) as { figures: Figure[]; notes: string[] };
const replaced = new Set(figures.map((figure) => figure.name));
results.figures = [...results.figures.filter((figure) => !replaced.has(figure.name)), ...figures];
results.notes = [
  ...results.notes.filter(
    (note) => !/^hnsw-(text-)?build-100k-\*/.test(note) && !note.startsWith('Parallel build run'),
  ),
  ...notes,
  `Parallel build run (bench/build-parallel.ts) ${new Date().toISOString()}: load average ${loadAtStart.toFixed(2)} at the start, ${(loadavg()[0] ?? 0).toFixed(2)} at the end, on ${availableParallelism()} cores shared with other work. A 2-worker wall time only means something with 2 free cores; CPU time does not depend on the load.`,
];
await writeFile(resultsFile, `${JSON.stringify(results, null, 2)}\n`);
log('updated bench/results.json');
