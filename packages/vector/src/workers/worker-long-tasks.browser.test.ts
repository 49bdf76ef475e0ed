import { createHashingEmbedder } from '@agenticgen/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createHnswIndex } from '../indexes/hnsw-index.js';
import { passages } from './test-support/passages.js';
import { createWorkerEmbedder, createWorkerIndex } from './worker-clients.js';

const dimensions = 384;
const indexOptions = { dimensions, M: 12, efConstruction: 100 };
const embedderModule = new URL('./test-support/hashing-embedder-module.ts', import.meta.url).href;

/** Main-thread long tasks (> 50 ms) as the browser reports them, and the time windows of our work. */
function observeLongTasks() {
  const entries: PerformanceEntry[] = [];
  const observer = new PerformanceObserver((list) => entries.push(...list.getEntries()));
  observer.observe({ type: 'longtask' });
  return {
    async window(work: () => Promise<void>): Promise<{ start: number; end: number }> {
      // Start in a fresh task, so a long task overlapping the window is one our work ran in.
      await new Promise((resolve) => setTimeout(resolve, 0));
      const start = performance.now();
      await work();
      return { start, end: performance.now() };
    },
    /** Long tasks overlapping `window`. */
    during: (window: { start: number; end: number }) =>
      entries.filter((entry) => entry.startTime <= window.end && entry.startTime + entry.duration >= window.start)
        .length,
    disconnect: () => observer.disconnect(),
  };
}

describe('embedding and indexing off the main thread (Chromium)', () => {
  const workers: Worker[] = [];
  afterEach(() => {
    for (const worker of workers.splice(0)) worker.terminate();
  });

  it('has no main-thread long task in the worker while the same work on the main thread has some', async () => {
    expect(PerformanceObserver.supportedEntryTypes).toContain('longtask');
    const texts = passages(10_000);
    const records = (vectors: Float32Array[]) => texts.map((_, i) => ({ id: `p${i}`, vector: vectors[i]! }));

    const worker = new Worker(new URL('./test-support/web-worker.ts', import.meta.url), { type: 'module' });
    workers.push(worker);
    // Module loading and index creation happen before the measured window, as they would at page start.
    const embedder = await createWorkerEmbedder(embedderModule, { worker, embedderOptions: { dimensions } });
    const index = await createWorkerIndex({ worker, kind: 'hnsw', ...indexOptions });
    const local = await createHnswIndex(indexOptions);
    const localEmbedder = createHashingEmbedder({ dimensions });

    const longTasks = observeLongTasks();
    const inWorker = await longTasks.window(async () => {
      for (let start = 0; start < texts.length; start += 250) {
        const batch = texts.slice(start, start + 250);
        const vectors = await embedder.embed(batch);
        await index.upsert(batch.map((_, i) => ({ id: `p${start + i}`, vector: vectors[i]! })));
      }
    });
    const onMain = await longTasks.window(async () => {
      await local.upsert(records(await localEmbedder.embed(texts)));
    });
    // Entries arrive in order, after their task: once the main-thread window's arrive, the worker window's
    // have all been delivered too.
    await vi.waitFor(() => expect(longTasks.during(onMain)).toBeGreaterThan(0), { timeout: 10_000 });
    expect(longTasks.during(inWorker)).toBe(0);
    longTasks.disconnect();

    expect(await index.count()).toBe(texts.length);
    expect(await local.count()).toBe(texts.length);
    const probe = (await embedder.embed([texts[42]!]))[0]!;
    expect((await index.query({ vector: probe, topK: 1 }))[0]!.id).toBe('p42');
    index.close();
    embedder.close();
  });
});
