import { EventEmitter } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { AgenticGenError, type VectorRecord } from '@agenticgen/core';
import { build } from 'esbuild';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createHnswIndex } from '../indexes/hnsw-index.js';
import { buildHnswIndexWith, type HnswBuildWorker } from './build-hnsw-index.js';
import { buildData, buildOptions, exactNeighbours, graphProblems, recallCurve } from './test-support/build-checks.js';

const here = fileURLToPath(new URL('.', import.meta.url));

describe('buildHnswIndex over worker_threads (SharedArrayBuffer, comlink)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'agenticgen-vector-build-'));
  const workerFile = join(dir, 'hnsw-build-thread.mjs');
  const { records, queries } = buildData(4_000, 200);
  let truth: string[][];

  beforeAll(async () => {
    // The package's own worker entry, bundled with core so the thread needs no TypeScript loader.
    await build({
      entryPoints: [join(here, '../node/hnsw-build-thread.ts')],
      outfile: workerFile,
      bundle: true,
      format: 'esm',
      platform: 'node',
      alias: { '@agenticgen/core': join(here, '../../../core/src/index.ts') },
      logLevel: 'error',
    });
    truth = await exactNeighbours(records, queries);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  afterEach(() => vi.unstubAllGlobals());

  /** A worker factory that records each worker and whether it has exited. */
  function tracked(script: string | URL = workerFile, options?: ConstructorParameters<typeof Worker>[1]) {
    const started: { worker: Worker; exited: boolean }[] = [];
    return {
      started,
      createWorker: (): HnswBuildWorker => {
        const worker = new Worker(script, options);
        const entry = { worker, exited: false };
        worker.once('exit', () => {
          entry.exited = true;
        });
        started.push(entry);
        return worker;
      },
    };
  }

  async function sequentialBuild(input: VectorRecord[] = records) {
    const index = await createHnswIndex(buildOptions);
    await index.upsert(input);
    return index;
  }

  it('links the graph in 2 workers: recall curve of a sequential build (±0.005), valid graph, workers gone', async () => {
    const workers = tracked();
    const parallel = await buildHnswIndexWith(records, { ...buildOptions, workers: 2, ...workers }, undefined);
    expect(workers.started).toHaveLength(2);
    expect(workers.started.every((entry) => entry.exited)).toBe(true);
    const sequential = await sequentialBuild();
    expect(graphProblems(parallel)).toEqual([]);
    // Levels come from the seed up front: the same level structure as the sequential build.
    expect(Array.from(parallel.graph.levels.subarray(0, records.length))).toEqual(
      Array.from(sequential.graph.levels.subarray(0, records.length)),
    );
    expect(parallel.graph.maxLevel).toBe(sequential.graph.maxLevel);
    expect(parallel.graph.randomState).toBe(sequential.graph.randomState);
    const parallelCurve = await recallCurve(parallel, queries, truth);
    const sequentialCurve = await recallCurve(sequential, queries, truth);
    for (let i = 0; i < parallelCurve.length; i++) {
      expect(Math.abs(parallelCurve[i]! - sequentialCurve[i]!)).toBeLessThanOrEqual(0.005);
    }
    // The index is an ordinary one afterwards: more upserts link on the calling thread.
    await parallel.upsert([{ id: 'extra', vector: queries[0]!, metadata: { tag: 'x' } }]);
    expect((await parallel.query({ vector: queries[0]!, topK: 1 }))[0]!.id).toBe('extra');
    expect(await parallel.count()).toBe(records.length + 1);
    expect(graphProblems(parallel)).toEqual([]);
  });

  it('keeps ids and metadata, and uses the later of two records with the same id', async () => {
    const input: VectorRecord[] = records.slice(0, 500).map((record, i) => ({ ...record, metadata: { i } }));
    input.push({ id: 'r3', vector: records[600]!.vector, metadata: { i: -1 } });
    const index = await buildHnswIndexWith(input, { ...buildOptions, workers: 2, ...tracked() }, undefined);
    expect(await index.count()).toBe(500);
    const [r3] = await index.get(['r3']);
    expect(r3!.metadata).toEqual({ i: -1 });
    expect(Array.from(r3!.vector)).toEqual(Array.from(records[600]!.vector));
    expect((await index.query({ vector: records[42]!.vector, topK: 1, filter: { i: 42 } }))[0]!.id).toBe('r42');
  });

  it('builds on the calling thread, without starting workers, where shared memory is missing', async () => {
    vi.stubGlobal('SharedArrayBuffer', undefined);
    const workers = tracked();
    const index = await buildHnswIndexWith(records, { ...buildOptions, workers: 2, ...workers }, undefined);
    vi.unstubAllGlobals();
    expect(workers.started).toHaveLength(0);
    // Exactly the sequential build: same levels and links.
    const sequential = await sequentialBuild();
    expect(index.graph.links0(records.length)).toEqual(sequential.graph.links0(records.length));
    expect(index.graph.randomState).toBe(sequential.graph.randomState);
  });

  it('starts no more workers than there are records to link after the first', async () => {
    const workers = tracked();
    const index = await buildHnswIndexWith(records.slice(0, 3), { ...buildOptions, workers: 8, ...workers }, undefined);
    expect(workers.started).toHaveLength(2);
    expect(workers.started.every((entry) => entry.exited)).toBe(true);
    expect(await index.count()).toBe(3);
    expect(graphProblems(index)).toEqual([]);
  });

  it('builds on the calling thread with workers: 1', async () => {
    const workers = tracked();
    const index = await buildHnswIndexWith(
      records.slice(0, 300),
      { ...buildOptions, workers: 1, ...workers },
      undefined,
    );
    expect(workers.started).toHaveLength(0);
    expect(await index.count()).toBe(300);
  });

  it('rejects with an AgenticGenError when a worker fails, and terminates the others', async () => {
    const failing = tracked(new URL('data:text/javascript,throw new Error("worker boom")'));
    const error = await buildHnswIndexWith(records, { ...buildOptions, workers: 2, ...failing }, undefined).catch(
      (caught: unknown) => caught,
    );
    expect(AgenticGenError.isInstance(error)).toBe(true);
    expect((error as AgenticGenError).code).toBe('internal');
    expect((error as Error).message).toContain('worker boom');
    expect(failing.started.every((entry) => entry.exited)).toBe(true);

    const throwing = await buildHnswIndexWith(
      records,
      {
        ...buildOptions,
        workers: 2,
        createWorker: () => {
          throw new Error('no threads here');
        },
      },
      undefined,
    ).catch((caught: unknown) => caught);
    expect((throwing as AgenticGenError).code).toBe('internal');
    expect((throwing as Error).message).toContain('no threads here');

    const exiting = tracked('process.exit(3)', { eval: true });
    const exited = await buildHnswIndexWith(records, { ...buildOptions, workers: 2, ...exiting }, undefined).catch(
      (caught: unknown) => caught,
    );
    expect((exited as AgenticGenError).code).toBe('internal');
    expect((exited as Error).message).toContain('exited');
  });

  it('handles an error a second worker reports after the build already failed (no uncaught error event)', async () => {
    // Workers the test drives: both fail, the second only after the build has rejected for the first.
    class ScriptedWorker extends EventEmitter {
      postMessage() {}
      terminate() {}
    }
    const fakes: ScriptedWorker[] = [];
    const failed = buildHnswIndexWith(
      records.slice(0, 500),
      {
        ...buildOptions,
        workers: 2,
        createWorker: () => {
          const worker = new ScriptedWorker();
          fakes.push(worker);
          return worker as unknown as HnswBuildWorker;
        },
      },
      undefined,
    ).catch((caught: unknown) => caught);
    await vi.waitFor(() => expect(fakes).toHaveLength(2));
    fakes[0]!.emit('error', new Error('first failure'));
    expect((await failed) as AgenticGenError).toMatchObject({ code: 'internal' });
    // An EventEmitter with no 'error' listener throws here; in a real worker that is an uncaught exception.
    expect(() => fakes[1]!.emit('error', new Error('late failure'))).not.toThrow();
  });

  it('rejects with aborted and terminates the workers when the signal aborts', async () => {
    const controller = new AbortController();
    const workers = tracked();
    const createWorker = () => {
      const worker = workers.createWorker() as Worker;
      // Abort once the first thread runs: the build is under way.
      worker.once('online', () => controller.abort());
      return worker;
    };
    const error = await buildHnswIndexWith(
      records,
      { ...buildOptions, workers: 2, createWorker, signal: controller.signal },
      undefined,
    ).catch((caught: unknown) => caught);
    expect((error as AgenticGenError).code).toBe('aborted');
    expect(workers.started.every((entry) => entry.exited)).toBe(true);

    const before = new AbortController();
    before.abort();
    await expect(
      buildHnswIndexWith(records, { ...buildOptions, workers: 2, signal: before.signal }, undefined),
    ).rejects.toMatchObject({ code: 'aborted' });
  });

  it('refuses a bad worker count', async () => {
    await expect(buildHnswIndexWith(records, { ...buildOptions, workers: 0 }, undefined)).rejects.toMatchObject({
      code: 'invalid-config',
    });
  });
});
