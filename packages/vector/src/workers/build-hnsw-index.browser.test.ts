import { AgenticGenError } from '@agenticgen/core';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createHnswIndex } from '../indexes/hnsw-index.js';
import { buildHnswIndexWith, type HnswBuildWorker } from './build-hnsw-index.js';
import { buildData, buildOptions, exactNeighbours, graphProblems, recallCurve } from './test-support/build-checks.js';

const buildWorkerUrl = new URL('../browser/hnsw-build-web-worker.ts', import.meta.url);
const throwingWorkerUrl = new URL('./test-support/throwing-worker.ts', import.meta.url);

describe('buildHnswIndex over Web Workers in a cross-origin-isolated page (Chromium)', () => {
  const { records, queries } = buildData(4_000, 200);
  let truth: string[][];
  beforeAll(async () => {
    truth = await exactNeighbours(records, queries);
  });
  afterEach(() => vi.unstubAllGlobals());

  /** A worker factory that records each worker and whether the build terminated it. */
  function tracked(url: URL = buildWorkerUrl) {
    const started: { worker: Worker; terminated: boolean }[] = [];
    return {
      started,
      createWorker: (): HnswBuildWorker => {
        const worker = new Worker(url, { type: 'module' });
        const entry = { worker, terminated: false };
        const terminate = worker.terminate.bind(worker);
        worker.terminate = () => {
          entry.terminated = true;
          terminate();
        };
        started.push(entry);
        return worker;
      },
    };
  }

  it('runs where the page is cross-origin isolated', () => {
    expect(crossOriginIsolated).toBe(true);
  });

  it('links the graph in 2 workers: recall curve of a sequential build (±0.005), valid graph, workers gone', async () => {
    const workers = tracked();
    const parallel = await buildHnswIndexWith(records, { ...buildOptions, workers: 2, ...workers }, undefined);
    expect(workers.started).toHaveLength(2);
    expect(workers.started.every((entry) => entry.terminated)).toBe(true);
    const sequential = await createHnswIndex(buildOptions);
    await sequential.upsert(records);
    expect(graphProblems(parallel)).toEqual([]);
    expect(Array.from(parallel.graph.levels.subarray(0, records.length))).toEqual(
      Array.from(sequential.graph.levels.subarray(0, records.length)),
    );
    const parallelCurve = await recallCurve(parallel, queries, truth);
    const sequentialCurve = await recallCurve(sequential, queries, truth);
    for (let i = 0; i < parallelCurve.length; i++) {
      expect(Math.abs(parallelCurve[i]! - sequentialCurve[i]!)).toBeLessThanOrEqual(0.005);
    }
  });

  it('builds on the calling thread, without starting workers, in a page that is not cross-origin isolated', async () => {
    vi.stubGlobal('crossOriginIsolated', false);
    const workers = tracked();
    const index = await buildHnswIndexWith(records, { ...buildOptions, workers: 2, ...workers }, undefined);
    vi.unstubAllGlobals();
    expect(workers.started).toHaveLength(0);
    const sequential = await createHnswIndex(buildOptions);
    await sequential.upsert(records);
    expect(index.graph.links0(records.length)).toEqual(sequential.graph.links0(records.length));
  });

  it('rejects with an AgenticGenError when a worker fails, and terminates the workers', async () => {
    const failing = tracked(throwingWorkerUrl);
    const error = await buildHnswIndexWith(records, { ...buildOptions, workers: 2, ...failing }, undefined).catch(
      (caught: unknown) => caught,
    );
    expect(AgenticGenError.isInstance(error)).toBe(true);
    expect((error as AgenticGenError).code).toBe('internal');
    expect(failing.started.every((entry) => entry.terminated)).toBe(true);
  });

  it('rejects with aborted and terminates the workers when the signal aborts', async () => {
    const controller = new AbortController();
    const workers = tracked();
    const createWorker = () => {
      const worker = workers.createWorker();
      if (workers.started.length === 2) queueMicrotask(() => controller.abort());
      return worker;
    };
    const error = await buildHnswIndexWith(
      records,
      { ...buildOptions, workers: 2, createWorker, signal: controller.signal },
      undefined,
    ).catch((caught: unknown) => caught);
    expect((error as AgenticGenError).code).toBe('aborted');
    expect(workers.started.every((entry) => entry.terminated)).toBe(true);
  });
});
