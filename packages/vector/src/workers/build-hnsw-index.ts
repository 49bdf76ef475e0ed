import { AgenticGenError, throwIfAborted, type VectorRecord } from '@agenticgen/core';
import { type Remote, releaseProxy, wrap } from 'comlink';
import { connectUnreachable } from '../indexes/graph-reachability.js';
import { createHnswIndex, type HnswIndex, type HnswIndexOptions } from '../indexes/hnsw-index.js';
import { yieldToEventLoop } from '../indexes/index-events.js';
import { control, type SharedGraphLayout, sharedGraphLayout } from '../indexes/shared-graph-layout.js';
import { assertPositiveInteger, checkRecords } from '../indexes/validation.js';
import { compileSharedKernelModule, createSharedMemory } from '../kernels/shared-kernels.js';
import type { HnswBuildWorkerApi } from './hnsw-build-worker.js';
import { toEndpoint, unwrap, type WorkerLike } from './worker-protocol.js';

/** A worker `buildHnswIndex` starts and terminates: a Web Worker, or a worker_threads Worker in Node. */
export type HnswBuildWorker = WorkerLike & { terminate(): unknown };

/** Options of `buildHnswIndex`: the index's options plus how to build it. */
export interface BuildHnswIndexOptions extends HnswIndexOptions {
  /**
   * Workers linking the graph in parallel over shared memory (default: `navigator.hardwareConcurrency`, at
   * most 16). 1, or a runtime without shared memory, builds on the calling thread.
   */
  workers?: number;
  /** Stops the build: the workers are terminated and the promise rejects with `aborted`. */
  signal?: AbortSignal;
  /**
   * Starts one build worker serving `exposeHnswBuildWorker` (default: the package's own worker entry). The
   * build terminates every worker it started, whether it succeeds, fails or is aborted.
   */
  createWorker?: () => HnswBuildWorker;
}

const metricCodes = { dot: 0, l2: 1, cosine: 2 } as const;

function defaultWorkerCount(): number {
  const cores = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency;
  return Math.max(1, Math.min(16, Math.floor(cores ?? 1)));
}

/** Rejects when a worker fails or exits, or when `signal` aborts; `dispose` stops listening. */
function watchFailures(
  workers: HnswBuildWorker[],
  signal: AbortSignal | undefined,
): { failed: Promise<never>; dispose: () => void } {
  const cleanups: (() => void)[] = [];
  const failed = new Promise<never>((_, reject) => {
    const fail = (what: string, cause?: unknown) =>
      reject(new AgenticGenError('internal', `[vector] a build worker ${what}`.slice(0, 300), { cause }));
    for (const worker of workers) {
      const onError = (value: unknown) => {
        // Handled here: keep the browser from also reporting it as uncaught.
        (value as { preventDefault?: () => void } | undefined)?.preventDefault?.();
        const message = (value as { message?: unknown } | undefined)?.message;
        fail(`failed: ${String(message ?? value).slice(0, 200)}`, value);
      };
      const onExit = (code: unknown) => fail(`exited (code ${String(code)}) before the build finished`);
      const onMessageError = () => fail('could not read a message');
      if ('on' in worker && typeof worker.on === 'function') {
        // The error listener stays after `dispose`: a second worker failing after the first already settled the
        // build (or while it is being terminated) would otherwise be an uncaught 'error' event of the process.
        worker.on('error', onError);
        worker.on('exit', onExit);
        worker.on('messageerror', onMessageError);
        cleanups.push(() => {
          worker.off('exit', onExit);
          worker.off('messageerror', onMessageError);
        });
      } else if ('addEventListener' in worker && typeof worker.addEventListener === 'function') {
        const target = worker as { addEventListener: EventTarget['addEventListener'] };
        const remove = worker as { removeEventListener: EventTarget['removeEventListener'] };
        // Kept after `dispose` too (see above): a late error is handled, not reported as uncaught by the page.
        target.addEventListener('error', onError);
        target.addEventListener('messageerror', onMessageError);
        cleanups.push(() => {
          remove.removeEventListener('messageerror', onMessageError);
        });
      }
    }
    if (signal !== undefined) {
      const onAbort = () => {
        try {
          throwIfAborted(signal, 'vector');
        } catch (error) {
          reject(error);
        }
      };
      if (signal.aborted) onAbort();
      signal.addEventListener('abort', onAbort, { once: true });
      cleanups.push(() => signal.removeEventListener('abort', onAbort));
    }
  });
  return {
    failed,
    dispose: () => {
      for (const cleanup of cleanups) cleanup();
    },
  };
}

/**
 * Builds an HNSW index over `records`, linking the graph in `workers` parallel workers that share it
 * through one shared WebAssembly memory (`SharedArrayBuffer`): each worker takes records from a shared
 * counter and inserts them with a lock per node, as hnswlib does. Levels are drawn from the seed up front,
 * so the level structure is the one a sequential build draws; the links depend on the interleaving.
 * Falls back to a sequential build (`upsert`) with one worker, without shared memory (no
 * SharedArrayBuffer, or a page that is not cross-origin isolated), without WebAssembly SIMD, or when
 * graph construction would use int8 rows (`quantization: 'int8'` with `rerank: false`).
 * `defaultCreateWorker` is the runtime's own worker entry (see the node and browser entries).
 */
export async function buildHnswIndexWith(
  records: readonly VectorRecord[],
  options: BuildHnswIndexOptions,
  defaultCreateWorker: (() => HnswBuildWorker) | undefined,
): Promise<HnswIndex> {
  const { workers: workersOption, signal, createWorker = defaultCreateWorker, ...indexOptions } = options;
  throwIfAborted(signal, 'vector');
  const workerCount = assertPositiveInteger(workersOption ?? defaultWorkerCount(), 'workers', 'vector', 256);
  if (createWorker !== undefined && typeof createWorker !== 'function') {
    throw new AgenticGenError('invalid-config', '[vector] createWorker must be a function returning a worker');
  }
  const index = await createHnswIndex(indexOptions);
  const storage = index.storage;
  const checked = checkRecords(records, index.dimensions, index.metric, 'vector', { copyVectors: false });
  const sequential = async () => {
    await index.upsert(records, signal === undefined ? {} : { signal });
    return index;
  };
  if (
    workerCount < 2 ||
    checked.length < 2 ||
    createWorker === undefined ||
    !storage.canScoreFloat32 ||
    storage.arena.backend.kind !== 'wasm-simd' ||
    (await compileSharedKernelModule()) === undefined
  ) {
    return sequential();
  }
  const graph = index.graph;
  const { M, efConstruction } = graph.parameters;
  const size = checked.length;
  const randomState = graph.randomState;
  const levels = new Int8Array(size);
  let upperInts = 0;
  for (let slot = 0; slot < size; slot++) {
    levels[slot] = graph.nextLevel();
    upperInts += levels[slot]! * (M + 1);
  }
  const shape = { size, dimensions: index.dimensions, metric: metricCodes[index.metric], M, efConstruction };
  // Node 0 is linked up front, so more than size - 1 workers would have nothing to do.
  const workersUsed = Math.min(workerCount, size - 1);
  const layout = sharedGraphLayout(shape, upperInts, workersUsed, 65_536);
  const memory = createSharedMemory(layout.bytes);
  if (memory === undefined) {
    graph.randomState = randomState;
    return sequential();
  }
  throwIfAborted(signal, 'vector');
  graph.ensureCapacity(size);
  for (let i = 0; i < size; i++) {
    const record = checked[i]!;
    storage.append(record.id, record.vector, record.metadata);
    // Writing 100k rows takes about a second: let a page handle events in between, as upsert does.
    if ((i + 1) % 2_000 === 0) await yieldToEventLoop();
  }
  throwIfAborted(signal, 'vector');
  fillSharedGraph(memory.buffer as unknown as SharedArrayBuffer, layout, index, levels);
  const linked = await runWorkers(memory, layout, workersUsed, createWorker, signal);
  if (linked !== size - 1) {
    throw new AgenticGenError('internal', `[vector] the build workers linked ${linked} of ${size - 1} records`);
  }
  const buffer = memory.buffer as unknown as SharedArrayBuffer;
  const entryPoint = Atomics.load(new Int32Array(buffer, layout.control, 8), control.entryPoint);
  connectUnreachable(
    new Int32Array(buffer, layout.links, size * layout.linkStride),
    size,
    layout.linkStride,
    entryPoint,
  );
  adoptSharedGraph(buffer, layout, index, levels);
  return index;
}

/** Copies rows, norms and levels into the shared memory; node 0 is the first entry point. */
function fillSharedGraph(buffer: SharedArrayBuffer, layout: SharedGraphLayout, index: HnswIndex, levels: Int8Array) {
  const { size, dimensions, M } = layout;
  const arena = index.storage.arena;
  const rowsStart = arena.rowsOffset >> 2;
  new Float32Array(buffer, layout.rows, size * dimensions).set(
    arena.f32.subarray(rowsStart, rowsStart + size * dimensions),
  );
  new Float32Array(buffer, layout.inverseNorms, size).set(index.storage.inverseNorms.subarray(0, size));
  new Int8Array(buffer, layout.levels, size).set(levels);
  const upperIndex = new Int32Array(buffer, layout.upperIndex, size);
  let next = layout.upper >> 2;
  for (let slot = 0; slot < size; slot++) {
    upperIndex[slot] = levels[slot]! > 0 ? next : -1;
    next += levels[slot]! * (M + 1);
  }
  const cells = new Int32Array(buffer, layout.control, 8);
  cells[control.entryPoint] = 0;
  cells[control.next] = 1;
}

/** Moves the finished graph into the index's own (unshared) memory. */
function adoptSharedGraph(buffer: SharedArrayBuffer, layout: SharedGraphLayout, index: HnswIndex, levels: Int8Array) {
  const { size, M } = layout;
  const graph = index.graph;
  graph.restoreLinks0(new Int32Array(buffer, layout.links, size * layout.linkStride));
  graph.levels.set(levels);
  const upperIndex = new Int32Array(buffer, layout.upperIndex, size);
  const all = new Int32Array(buffer);
  const upper: (Int32Array | undefined)[] = new Array(size);
  for (let slot = 0; slot < size; slot++) {
    const start = upperIndex[slot]!;
    upper[slot] = start < 0 ? undefined : all.slice(start, start + levels[slot]! * (M + 1));
  }
  graph.upper = upper;
  const entryPoint = Atomics.load(new Int32Array(buffer, layout.control, 8), control.entryPoint);
  graph.entryPoint = entryPoint;
  graph.maxLevel = levels[entryPoint]!;
}

/** Starts the workers, waits for them all (or the first failure or abort), and always terminates them. */
async function runWorkers(
  memory: WebAssembly.Memory,
  layout: SharedGraphLayout,
  count: number,
  createWorker: () => HnswBuildWorker,
  signal: AbortSignal | undefined,
): Promise<number> {
  const workers: HnswBuildWorker[] = [];
  const remotes: Remote<HnswBuildWorkerApi>[] = [];
  const cells = new Int32Array(memory.buffer, layout.control, 8);
  let watch: ReturnType<typeof watchFailures> | undefined;
  try {
    for (let w = 0; w < count; w++) {
      try {
        workers.push(createWorker());
      } catch (error) {
        const message = String((error as Error)?.message ?? error).slice(0, 200);
        throw new AgenticGenError('internal', `[vector] a build worker could not start: ${message}`, { cause: error });
      }
    }
    watch = watchFailures(workers, signal);
    const runs = workers.map(async (worker, w): Promise<number> => {
      const remote = wrap<HnswBuildWorkerApi>(toEndpoint(worker));
      remotes.push(remote);
      return unwrap<number>(await remote.link(memory, layout, w));
    });
    const linked = await Promise.race([Promise.all(runs), watch.failed]);
    return linked.reduce((sum, value) => sum + value, 0);
  } finally {
    // Workers still linking stop taking records; then they are terminated either way.
    Atomics.store(cells, control.abort, 1);
    watch?.dispose();
    for (const remote of remotes) {
      try {
        remote[releaseProxy]();
      } catch {
        // A worker that already died cannot be told; terminating it below is enough.
      }
    }
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
}
