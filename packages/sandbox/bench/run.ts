/**
 * Benchmarks of @agenticgen/sandbox (built code, `npm run build` first) against raw Pyodide in the same process:
 *   cold-start        createSandbox + first session + first run, no stored snapshot (empty snapshotCache)
 *                                                                 vs  loadPyodide() + first run in-process
 *                     (CPU at the first answer, and including the snapshot stored after it in the background)
 *   cold-start-persisted-snapshot  the same with a snapshot an earlier process stored  vs  the same peer
 *   snapshot-restore  a fresh isolated session, no warm worker     vs  loadPyodide({ _loadSnapshot }) in-process
 *   pool-acquire      createSession with a warm worker ready
 *   run-roundtrip     session.run('x') round trip                   vs  a raw worker_thread, no isolation
 *   runs-1000-small   1000 sequential small runs                    vs  the same raw worker
 *   rss-per-idle-worker  resident memory per idle pooled worker     vs  a raw worker_thread with Pyodide (same
 *                     method: RSS of the process holding the workers, from /proc/<pid>/smaps_rollup, after each
 *                     worker's full GC, (5 workers − 1 worker) / 4), and one more in-process Pyodide
 * Writes bench/results.json. `-- --quick` does fewer repetitions. The machine is shared: read the ratios.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { measure } from 'mitata';
import { loadPyodide } from 'pyodide';
import type { Figure } from '../../core/bench/results-file.ts';

// The built package, as users get it (the worker and child-process entries only exist in dist/).
const distEntry = new URL('../dist/index.node.js', import.meta.url);
if (!existsSync(distEntry)) throw new Error('bench: run "npm run build -w packages/sandbox" first');
const { createSandbox } = (await import(distEntry.href)) as typeof import('../src/index.node.ts');

const quick = process.argv.includes('--quick');
const loadAtStart = loadavg()[0] ?? 0;
const coldRepeats = quick ? 1 : 5;
const acquireRepeats = quick ? 3 : 8;

const figures: Figure[] = [];
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;
const round = (value: number, digits = 2) => Math.round(value * 10 ** digits) / 10 ** digits;
const log = (text: string) => process.stdout.write(`${text}\n`);

async function timed(task: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await task();
  return performance.now() - started;
}

// ── cold start: without a stored snapshot (an empty cache: boot, snapshot, store), with one, and raw ─────────
// Interleaved, so that a load change on the shared machine hits all three alike.
const cacheRoot = mkdtempSync(join(tmpdir(), 'agenticgen-bench-snapshots-'));
const persistedDirectory = join(cacheRoot, 'persisted');
/** CPU time (ms) of a process of ours so far, all threads, from /proc/<pid>/stat (Linux; 0 elsewhere). */
function processCpuMs(pid: string | undefined): number {
  if (pid === undefined) return 0;
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime + stime, in USER_HZ (100)
  } catch {
    return 0;
  }
}
const selfCpuMs = () => {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
};
const coldOnce = async (options: Parameters<typeof createSandbox>[0]) => {
  const sandbox = createSandbox({ pool: { warm: 0 }, ...options });
  const outcome: string[] = [];
  let reported!: () => void;
  const cacheEvent = new Promise<void>((resolve) => {
    reported = resolve;
  });
  sandbox.events.on('snapshot-cache', (event) => {
    outcome.push(`${event.outcome}${event.stored === false ? ' (not stored)' : ''}`);
    reported();
  });
  const cpuBefore = selfCpuMs();
  const ms = await timed(async () => {
    const session = await sandbox.createSession();
    await session.run('1 + 1');
  });
  // This process's share plus all of the sandbox process (started inside the timed part), at the first answer.
  const child = childPids()[0];
  const cpuMs = selfCpuMs() - cpuBefore + processCpuMs(child);
  // And once the snapshot-cache event came: a rebuilt snapshot is stored in the background after the first answer.
  const answered = performance.now();
  await cacheEvent;
  const storedAfterMs = performance.now() - answered;
  const cpuWithStoreMs = selfCpuMs() - cpuBefore + processCpuMs(child);
  await sandbox.dispose();
  return { ms, cpuMs, cpuWithStoreMs, storedAfterMs, outcome: outcome.join() };
};
// Stores the snapshot the persisted runs restore (what an earlier process of the same app left behind).
await coldOnce({ snapshotCache: { directory: persistedDirectory } });
const oursCold: number[] = [];
const oursColdCpu: number[] = [];
const oursColdCpuWithStore: number[] = [];
const oursColdStoredAfter: number[] = [];
const oursPersisted: number[] = [];
const oursPersistedCpu: number[] = [];
const rawCold: number[] = [];
const rawColdCpu: number[] = [];
for (let index = 0; index < coldRepeats; index++) {
  const missed = await coldOnce({ snapshotCache: { directory: join(cacheRoot, `empty-${index}`) } });
  if (missed.outcome !== 'rebuilt') throw new Error(`bench: expected a rebuilt snapshot, got ${missed.outcome}`);
  oursCold.push(missed.ms);
  oursColdCpu.push(missed.cpuMs);
  oursColdCpuWithStore.push(missed.cpuWithStoreMs);
  oursColdStoredAfter.push(missed.storedAfterMs);
  const restored = await coldOnce({ snapshotCache: { directory: persistedDirectory } });
  if (restored.outcome !== 'restored-from-cache') throw new Error(`bench: expected a restore, got ${restored.outcome}`);
  oursPersisted.push(restored.ms);
  oursPersistedCpu.push(restored.cpuMs);
  const cpuBefore = selfCpuMs();
  rawCold.push(await timed(async () => (await loadPyodide()).runPython('1 + 1')));
  rawColdCpu.push(selfCpuMs() - cpuBefore);
}
rmSync(cacheRoot, { recursive: true, force: true });
const coldDetails = (ours: number[], oursCpu: number[]) => ({
  wallMs: { ours, pyodide: rawCold.map((value) => round(value)) },
  cpuMs: { ours: oursCpu.map((value) => round(value)), pyodide: rawColdCpu.map((value) => round(value)) },
  cpuRatio: round(median(oursCpu) / median(rawColdCpu)),
});
figures.push({
  name: 'cold-start',
  unit: 'ms',
  ours: round(median(oursCold)),
  peers: { pyodide: round(median(rawCold)) },
  details: {
    ...coldDetails(
      oursCold.map((value) => round(value)),
      oursColdCpu,
    ),
    // The snapshot made by this start is stored after the first answer (in the background): its CPU counted too,
    // and how long after the first answer it was on disk.
    cpuMsIncludingStore: oursColdCpuWithStore.map((value) => round(value)),
    cpuRatioIncludingStore: round(median(oursColdCpuWithStore) / median(rawColdCpu)),
    storedAfterFirstAnswerMs: oursColdStoredAfter.map((value) => round(value)),
  },
});
figures.push({
  name: 'cold-start-persisted-snapshot',
  unit: 'ms',
  ours: round(median(oursPersisted)),
  peers: { pyodide: round(median(rawCold)) },
  details: coldDetails(
    oursPersisted.map((value) => round(value)),
    oursPersistedCpu,
  ),
});
log(
  `cold-start ours ${median(oursCold).toFixed(0)} ms (no stored snapshot), ${median(oursPersisted).toFixed(0)} ms (stored snapshot), raw loadPyodide ${median(rawCold).toFixed(0)} ms; ratios ${(median(oursCold) / median(rawCold)).toFixed(2)} and ${(median(oursPersisted) / median(rawCold)).toFixed(2)}; CPU ${median(oursColdCpu).toFixed(0)} / ${median(oursPersistedCpu).toFixed(0)} / ${median(rawColdCpu).toFixed(0)} ms (${median(oursColdCpuWithStore).toFixed(0)} ms with the background store, on disk ${median(oursColdStoredAfter).toFixed(0)} ms after the first answer)`,
);

// ── snapshot restore and pool acquire (one sandbox) ─────────────────────────────────────────────────────────
const sandbox = createSandbox({ pool: { warm: 0, max: 16 } });
await (await sandbox.createSession()).dispose();
const restores: number[] = [];
for (let index = 0; index < acquireRepeats; index++) {
  let opened: Awaited<ReturnType<typeof sandbox.createSession>> | undefined;
  restores.push(
    await timed(async () => {
      opened = await sandbox.createSession();
    }),
  );
  await opened?.dispose();
}
const template = await loadPyodide({ _makeSnapshot: true } as never);
template.runPython('import json, re, math, random, datetime, collections, itertools, functools, csv, io, sqlite3');
const snapshot = template.makeMemorySnapshot();
const rawRestores: number[] = [];
for (let index = 0; index < acquireRepeats; index++) {
  rawRestores.push(await timed(() => loadPyodide({ _loadSnapshot: snapshot } as never)));
}
figures.push({
  name: 'snapshot-restore',
  unit: 'ms',
  ours: round(median(restores)),
  peers: { pyodide: round(median(rawRestores)) },
});
log(
  `snapshot-restore ours ${median(restores).toFixed(0)} ms (new isolated worker), raw ${median(rawRestores).toFixed(0)} ms`,
);
await sandbox.dispose();

const pooled = createSandbox({ pool: { warm: 1, max: 16 } });
await pooled.warmUp();
const acquires: number[] = [];
for (let index = 0; index < acquireRepeats; index++) {
  await waitFor(() => pooled.stats().idleWorkers >= 1);
  let opened: Awaited<ReturnType<typeof pooled.createSession>> | undefined;
  acquires.push(
    await timed(async () => {
      opened = await pooled.createSession();
    }),
  );
  await opened?.dispose();
}
figures.push({ name: 'pool-acquire', unit: 'ms', ours: round(median(acquires), 3), peers: {} });
log(`pool-acquire ${median(acquires).toFixed(2)} ms`);

// ── round trips: ours vs a raw worker without isolation ────────────────────────────────────────────────────
const session = await pooled.createSession();
await session.run('x = 0');
const pyodideDirectory = dirname(createRequire(import.meta.url).resolve('pyodide'));
const pyodideEntry = pathToFileURL(`${pyodideDirectory}/pyodide.mjs`).href;
const raw = new Worker(
  `const { parentPort } = require('node:worker_threads');
   import(${JSON.stringify(pyodideEntry)}).then(async ({ loadPyodide }) => {
     const pyodide = await loadPyodide({ indexURL: ${JSON.stringify(`${pyodideDirectory}/`)} });
     parentPort.on('message', (code) => parentPort.postMessage(String(pyodide.runPython(code))));
     parentPort.postMessage('ready');
   });`,
  { eval: true },
);
await new Promise((resolve) => raw.once('message', resolve));
const rawRun = (code: string) =>
  new Promise<string>((resolve) => {
    raw.once('message', resolve);
    raw.postMessage(code);
  });
await rawRun('x = 0');
const oursTrip = await measure(
  async () => {
    await session.run('x');
  },
  { min_cpu_time: (quick ? 200 : 1000) * 1e6 },
);
const rawTrip = await measure(
  async () => {
    await rawRun('x');
  },
  { min_cpu_time: (quick ? 200 : 1000) * 1e6 },
);
figures.push({
  name: 'run-roundtrip',
  unit: 'ms',
  ours: round(oursTrip.avg / 1e6, 3),
  peers: { 'pyodide (raw worker, no isolation)': round(rawTrip.avg / 1e6, 3) },
});
log(`run-roundtrip ours ${(oursTrip.avg / 1e6).toFixed(3)} ms, raw worker ${(rawTrip.avg / 1e6).toFixed(3)} ms`);

const oursThousand = await timed(async () => {
  for (let index = 0; index < 1000; index++) await session.run('x = x + 1');
});
const rawThousand = await timed(async () => {
  for (let index = 0; index < 1000; index++) await rawRun('x = x + 1');
});
figures.push({
  name: 'runs-1000-small',
  unit: 'ops/s',
  ours: round(1000 / (oursThousand / 1000), 0),
  peers: { 'pyodide (raw worker, no isolation)': round(1000 / (rawThousand / 1000), 0) },
});
log(`runs-1000-small ours ${(1e6 / oursThousand).toFixed(0)} ops/s, raw ${(1e6 / rawThousand).toFixed(0)} ops/s`);
await raw.terminate();
await session.dispose();
await pooled.dispose();

// ── memory per idle worker (Linux) ──────────────────────────────────────────────────────────────────────────
// Same method for ours and the raw peer: the resident memory (Rss of /proc/<pid>/smaps_rollup) of the process
// holding the workers, with 1 and with 5 idle workers that each made a full GC after starting, 1.5 s after the
// last one was ready; (5 − 1) / 4 is the cost of one more worker. Ours: the sandbox child process (each worker
// collects its start-up garbage itself once ready). Peer: a plain Node process whose worker_threads load Pyodide,
// run the same standard imports (the state our snapshot holds) and call gc(); the workers stay alive (a worker
// with nothing left to do exits, which the earlier version of this figure measured by mistake: 4.7 MB).
function childPids(): string[] {
  const found: string[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const status = readFileSync(`/proc/${entry}/status`, 'utf8');
      if (Number(/PPid:\s+(\d+)/.exec(status)?.[1]) === process.pid) found.push(entry);
    } catch {
      // The process ended meanwhile.
    }
  }
  return found;
}
function rssMb(pid: string | number): number {
  const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
  return Number(/^Rss:\s+(\d+)/m.exec(rollup)?.[1] ?? 0) / 1024;
}
const settle = () => new Promise((resolve) => setTimeout(resolve, 1500));
async function oursRss(workers: number): Promise<number> {
  const pooledSandbox = createSandbox({
    pool: { warm: workers, max: 16 },
    snapshotCache: { directory: memoryCacheDirectory },
  });
  await pooledSandbox.warmUp();
  await waitFor(() => pooledSandbox.stats().idleWorkers === workers);
  await settle();
  const pids = childPids();
  if (pids.length !== 1) throw new Error(`bench: expected one sandbox process, found ${pids.length}`);
  const rss = rssMb(pids[0] as string);
  await pooledSandbox.dispose();
  return rss;
}
const rawProcessRss = (workers: number) => {
  const script = `
    const { Worker } = require('node:worker_threads');
    const { readFileSync } = require('node:fs');
    const source = ${JSON.stringify(`const { parentPort } = require('node:worker_threads');
      import(${JSON.stringify(pyodideEntry)}).then(async ({ loadPyodide }) => {
        const pyodide = await loadPyodide({ indexURL: ${JSON.stringify(`${pyodideDirectory}/`)} });
        pyodide.runPython('import json, re, math, cmath, random, datetime, time, collections, itertools, functools, statistics, decimal, fractions, base64, hashlib, hmac, csv, io, sqlite3, textwrap, string, typing, dataclasses, enum, heapq, bisect, copy, pprint, operator, uuid, struct, zlib, gzip, unicodedata, difflib, calendar, secrets');
        pyodide.runPython('1 + 1');
        globalThis.gc();
        // Stays alive like a pooled worker: it waits for work.
        parentPort.on('message', (code) => parentPort.postMessage(String(pyodide.runPython(code))));
        parentPort.postMessage('ready');
      });`)};
    (async () => {
      const all = [];
      for (let i = 0; i < ${workers}; i++) {
        const worker = new Worker(source, { eval: true });
        await new Promise((resolve) => worker.once('message', resolve));
        all.push(worker);
      }
      await new Promise((resolve) => setTimeout(resolve, 1500));
      const rollup = readFileSync('/proc/self/smaps_rollup', 'utf8');
      process.stdout.write(String(Number(/^Rss:\\s+(\\d+)/m.exec(rollup)[1]) / 1024));
      process.exit(0);
    })();`;
  return Number(execFileSync(process.execPath, ['--expose-gc', '-e', script], { encoding: 'utf8' }));
};
// Every worker of ours restored from a stored snapshot (the usual state of a pool): the first call stores it.
const memoryCacheDirectory = mkdtempSync(join(tmpdir(), 'agenticgen-bench-memory-'));
await oursRss(1);
// Alternating ours and the peer; the median of the rounds.
const oursPerWorker: number[] = [];
const rawPerWorkerRounds: number[] = [];
for (let pass = 0; pass < (quick ? 1 : 3); pass++) {
  const oursOne = await oursRss(1);
  const oursFive = await oursRss(5);
  oursPerWorker.push((oursFive - oursOne) / 4);
  rawPerWorkerRounds.push((rawProcessRss(5) - rawProcessRss(1)) / 4);
}
rmSync(memoryCacheDirectory, { recursive: true, force: true });
// One more Pyodide in the same thread, in a fresh process (this one holds too much garbage of the figures above
// for an RSS difference to mean anything): RSS after GC with two instances minus with one.
const inProcessScript = `
  const { readFileSync } = require('node:fs');
  const rss = () => Number(/^Rss:\\s+(\\d+)/m.exec(readFileSync('/proc/self/smaps_rollup', 'utf8'))[1]) / 1024;
  const settle = () => new Promise((resolve) => setTimeout(resolve, 1500));
  import(${JSON.stringify(pyodideEntry)}).then(async ({ loadPyodide }) => {
    const keep = [];
    const load = async () => {
      const pyodide = await loadPyodide({ indexURL: ${JSON.stringify(`${pyodideDirectory}/`)} });
      pyodide.runPython('import json');
      keep.push(pyodide);
      globalThis.gc();
      await settle();
      return rss();
    };
    const one = await load();
    const two = await load();
    process.stdout.write(String(two - one));
    process.exit(0);
  });`;
const rawPerInstance = Number(
  execFileSync(process.execPath, ['--expose-gc', '-e', inProcessScript], { encoding: 'utf8' }),
);
figures.push({
  name: 'rss-per-idle-worker',
  unit: 'MB',
  ours: round(median(oursPerWorker), 1),
  peers: {
    'pyodide (raw worker_thread, no isolation)': round(median(rawPerWorkerRounds), 1),
    'pyodide (one more in-process instance)': round(rawPerInstance, 1),
  },
  details: {
    method: 'Rss of /proc/<pid>/smaps_rollup of the process holding the workers, (5 idle workers - 1) / 4, after GC',
    oursRounds: oursPerWorker.map((value) => round(value, 1)),
    rawRounds: rawPerWorkerRounds.map((value) => round(value, 1)),
  },
});
log(
  `rss-per-idle-worker ours ${median(oursPerWorker).toFixed(1)} MB, raw worker ${median(rawPerWorkerRounds).toFixed(1)} MB, in-process ${rawPerInstance.toFixed(1)} MB`,
);

writeFileSync(
  new URL('./results.json', import.meta.url),
  `${JSON.stringify(
    {
      node: process.version,
      date: new Date().toISOString(),
      loadAverage: { start: round(loadAtStart, 1), end: round(loadavg()[0] ?? 0, 1), cores: cpus().length },
      figures,
    },
    null,
    2,
  )}\n`,
);
log(`wrote ${dirname(new URL(import.meta.url).pathname)}/results.json`);
process.exit(0);

async function waitFor(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 120_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('bench: timed out waiting for the pool');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
