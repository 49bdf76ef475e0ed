import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { AgenticGenError, createHashingEmbedder } from '@agenticgen/core';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHnswIndex } from '../indexes/hnsw-index.js';
import { passages } from './test-support/passages.js';
import { createWorkerEmbedder, createWorkerIndex } from './worker-clients.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const dimensions = 64;

describe('worker embedder and index over worker_threads (comlink)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'agenticgen-vector-worker-'));
  const workerFile = join(dir, 'worker.mjs');
  const embedderFile = join(dir, 'embedder.mjs');
  const workers: Worker[] = [];

  beforeAll(async () => {
    // Real source, bundled with core so the thread needs no TypeScript loader.
    const shared = {
      bundle: true,
      format: 'esm' as const,
      platform: 'node' as const,
      alias: { '@agenticgen/core': join(here, '../../../core/src/index.ts') },
      logLevel: 'error' as const,
    };
    await build({ ...shared, entryPoints: [join(here, 'test-support/node-worker.ts')], outfile: workerFile });
    await build({
      ...shared,
      entryPoints: [join(here, 'test-support/hashing-embedder-module.ts')],
      outfile: embedderFile,
    });
  });
  afterAll(async () => {
    await Promise.all(workers.map((worker) => worker.terminate()));
    rmSync(dir, { recursive: true, force: true });
  });

  function startWorker(): Worker {
    const worker = new Worker(workerFile);
    workers.push(worker);
    return worker;
  }

  it('embeds in the thread exactly as the same embedder does here', async () => {
    const embedder = await createWorkerEmbedder(pathToFileURL(embedderFile), {
      worker: startWorker(),
      embedderOptions: { dimensions },
    });
    const texts = passages(50);
    const local = await createHashingEmbedder({ dimensions }).embed(texts);
    const remote = await embedder.embed(texts);
    expect(embedder.dimensions).toBe(dimensions);
    expect(embedder.id).toBe(createHashingEmbedder({ dimensions }).id);
    expect(remote).toHaveLength(50);
    for (let i = 0; i < texts.length; i++) expect(Array.from(remote[i]!)).toEqual(Array.from(local[i]!));
    embedder.close();
  });

  it('indexes and queries in the thread with the answers of an in-thread index', async () => {
    const worker = startWorker();
    const embedder = await createWorkerEmbedder(pathToFileURL(embedderFile), {
      worker,
      embedderOptions: { dimensions },
    });
    const index = await createWorkerIndex({ worker, kind: 'hnsw', dimensions, M: 8, efConstruction: 64, seed: 3 });
    const local = await createHnswIndex({ dimensions, M: 8, efConstruction: 64, seed: 3 });
    const texts = passages(400);
    const vectors = await embedder.embed(texts);
    const records = texts.map((_, i) => ({ id: `p${i}`, vector: vectors[i]!, metadata: { even: i % 2 === 0 } }));
    await index.upsert(records);
    await local.upsert(records);
    expect(await index.count()).toBe(400);
    for (const probe of [0, 17, 233]) {
      const query = { vector: vectors[probe]!, topK: 5, filter: { even: true } };
      expect(await index.query(query)).toEqual(await local.query(query));
    }
    await index.delete(['p0']);
    expect(await index.count()).toBe(399);
    index.close();
    embedder.close();
  });

  it('rethrows worker-side failures as AgenticGenError with their code', async () => {
    const worker = startWorker();
    const index = await createWorkerIndex({ worker, kind: 'flat', dimensions });
    const wrong = index.upsert([{ id: 'x', vector: new Float32Array(dimensions - 1) }]);
    await expect(wrong).rejects.toSatisfy(
      (error) => AgenticGenError.isInstance(error) && error.code === 'dimension-mismatch',
    );
    const missing = createWorkerEmbedder(pathToFileURL(join(dir, 'worker.mjs')), { worker: startWorker() });
    await expect(missing).rejects.toSatisfy(
      (error) => AgenticGenError.isInstance(error) && error.code === 'invalid-config',
    );
    index.close();
  });

  it('refuses a batch above maxBatch before posting it', async () => {
    const embedder = await createWorkerEmbedder(pathToFileURL(embedderFile), {
      worker: startWorker(),
      embedderOptions: { dimensions },
      maxBatch: 10,
    });
    await expect(embedder.embed(passages(11))).rejects.toSatisfy(
      (error) => AgenticGenError.isInstance(error) && error.code === 'invalid-argument',
    );
    expect(await embedder.embed(passages(10))).toHaveLength(10);
    embedder.close();
    const index = await createWorkerIndex({ worker: startWorker(), kind: 'flat', dimensions, maxBatch: 2 });
    const vector = new Float32Array(dimensions).fill(1);
    const three = ['a', 'b', 'c'].map((id) => ({ id, vector }));
    await expect(index.upsert(three)).rejects.toSatisfy(
      (error) => AgenticGenError.isInstance(error) && error.code === 'invalid-argument',
    );
    await index.upsert(three.slice(0, 2));
    expect(await index.count()).toBe(2);
    index.close();
  });
});
