import { AgenticGenError, type MetadataFilter } from '@agenticgen/core';
import { describe, expect, it } from 'vitest';
import { clusteredVectors, createRandom, row } from '../testing/random-vectors.js';
import { createFlatIndex } from './flat-index.js';
import { createHnswIndex } from './hnsw-index.js';
import type { BuildProgressEvent } from './index-events.js';

const dims = 32;

function records(count: number, seed = 1, offset = 0) {
  const data = clusteredVectors(count, dims, { seed });
  return Array.from({ length: count }, (_, index) => ({
    id: `v${index + offset}`,
    vector: row(data, dims, index).slice(),
    metadata: { group: index % 50, even: index % 2 === 0 },
  }));
}

async function recallAt10(
  hnsw: Awaited<ReturnType<typeof createHnswIndex>>,
  flat: Awaited<ReturnType<typeof createFlatIndex>>,
  queries: Float32Array[],
  filter?: MetadataFilter,
) {
  let hits = 0;
  let wanted = 0;
  for (const vector of queries) {
    const truth = await flat.query({ vector, topK: 10, ...(filter ? { filter } : {}) });
    const found = await hnsw.query({ vector, topK: 10, ...(filter ? { filter } : {}) });
    const ids = new Set(truth.map((match) => match.id));
    hits += found.filter((match) => ids.has(match.id)).length;
    wanted += truth.length;
  }
  return hits / wanted;
}

describe('HNSW index', () => {
  // Queries come from the same distribution as the data (held-out rows), as real queries do.
  const all = records(3040);
  const data = all.slice(0, 3000);
  const queries = all.slice(3000).map((record) => record.vector);

  it('reaches recall@10 ≥ 0.95 against exact search and improves with efSearch', async () => {
    const hnsw = await createHnswIndex({ dimensions: dims, M: 12, efConstruction: 100, efSearch: 10 });
    const flat = await createFlatIndex({ dimensions: dims });
    await hnsw.upsert(data);
    await flat.upsert(data);
    const low = await recallAt10(hnsw, flat, queries);
    hnsw.efSearch = 96;
    const high = await recallAt10(hnsw, flat, queries);
    expect(high).toBeGreaterThanOrEqual(0.95);
    expect(high).toBeGreaterThanOrEqual(low);
    expect(() => {
      hnsw.efSearch = 0;
    }).toThrow(AgenticGenError);
  });

  it('builds incrementally: inserts after a first batch are found', async () => {
    const hnsw = await createHnswIndex({ dimensions: dims, M: 8, efConstruction: 64 });
    await hnsw.upsert(data.slice(0, 500));
    await hnsw.upsert(data.slice(500, 1000));
    expect(await hnsw.count()).toBe(1000);
    for (const index of [3, 600, 999]) {
      const [best] = await hnsw.query({ vector: data[index]!.vector, topK: 1 });
      expect(best!.id).toBe(`v${index}`);
    }
  });

  it('keeps tombstones out of results and compacts them away without losing live records', async () => {
    const hnsw = await createHnswIndex({ dimensions: dims, M: 8, efConstruction: 64, compactionRatio: 1 });
    const flat = await createFlatIndex({ dimensions: dims });
    const subset = data.slice(0, 1200);
    await hnsw.upsert(subset);
    await flat.upsert(subset);
    const removed = subset.filter((_, index) => index % 3 === 0).map((record) => record.id);
    await hnsw.delete(removed);
    await flat.delete(removed);
    expect(await hnsw.count()).toBe(800);
    expect(hnsw.storage.deletedCount).toBe(400);
    const removedSet = new Set(removed);
    for (const vector of queries.slice(0, 10)) {
      const found = await hnsw.query({ vector, topK: 20 });
      expect(found.some((match) => removedSet.has(match.id))).toBe(false);
    }
    const events: BuildProgressEvent[] = [];
    hnsw.on('build-progress', (event) => events.push(event));
    await hnsw.compact();
    expect(hnsw.storage.deletedCount).toBe(0);
    expect(hnsw.storage.size).toBe(800);
    expect(events.at(-1)).toEqual({ operation: 'compact', completed: 800, total: 800 });
    expect(await recallAt10(hnsw, flat, queries)).toBeGreaterThanOrEqual(0.9);
    const [kept] = await hnsw.get(['v1']);
    expect(Array.from(kept!.vector)).toEqual(Array.from(subset[1]!.vector));
  });

  it('compacts automatically once tombstones pass compactionRatio', async () => {
    const hnsw = await createHnswIndex({ dimensions: dims, M: 8, efConstruction: 32, compactionRatio: 0.25 });
    await hnsw.upsert(data.slice(0, 600));
    await hnsw.delete(data.slice(0, 250).map((record) => record.id));
    expect(hnsw.storage.deletedCount).toBe(0);
    expect(await hnsw.count()).toBe(350);
  });

  it('re-inserts a changed vector and updates metadata in place for an unchanged one', async () => {
    const hnsw = await createHnswIndex({ dimensions: dims, M: 8, efConstruction: 32 });
    await hnsw.upsert(data.slice(0, 100));
    await hnsw.upsert([{ ...data[5]!, metadata: { group: -1, even: false } }]);
    expect(hnsw.storage.deletedCount).toBe(0);
    await hnsw.upsert([{ ...data[6]!, vector: data[70]!.vector }]);
    expect(hnsw.storage.deletedCount).toBe(1);
    const found = await hnsw.query({ vector: data[70]!.vector, topK: 2 });
    expect(found.map((match) => match.id).sort()).toEqual(['v6', 'v70']);
    const [five] = await hnsw.get(['v5']);
    expect(five!.metadata).toEqual({ group: -1, even: false });
  });

  it('answers selective filters exactly (exact scan) and broad filters with high recall (graph)', async () => {
    const hnsw = await createHnswIndex({ dimensions: dims, M: 12, efConstruction: 100, efSearch: 64 });
    const flat = await createFlatIndex({ dimensions: dims });
    await hnsw.upsert(data);
    await flat.upsert(data);
    // group 7 matches 2% of the rows: below filterExactScanRatio, so results are exact.
    expect(await recallAt10(hnsw, flat, queries, { group: 7 })).toBe(1);
    expect(await recallAt10(hnsw, flat, queries, { even: true })).toBeGreaterThanOrEqual(0.95);
  });

  it('emits build-progress during a bulk upsert; a throwing listener is reported as an error event, not swallowed', async () => {
    const hnsw = await createHnswIndex({ dimensions: dims, M: 6, efConstruction: 24 });
    const events: BuildProgressEvent[] = [];
    const failures: { event: string; code: string; cause: unknown }[] = [];
    const stop = hnsw.on('build-progress', (event) => events.push(event));
    hnsw.on('build-progress', () => {
      throw new Error('a broken listener must not break the build');
    });
    hnsw.on('error', ({ event, error }) => failures.push({ event, code: error.code, cause: error.cause }));
    await hnsw.upsert(data.slice(0, 2500));
    stop();
    expect(events).toEqual([
      { operation: 'upsert', completed: 2000, total: 2500 },
      { operation: 'upsert', completed: 2500, total: 2500 },
    ]);
    expect(await hnsw.count()).toBe(2500);
    expect(failures).toHaveLength(2);
    expect(failures[0]).toMatchObject({ event: 'build-progress', code: 'listener-failed' });
    expect(failures[0]?.cause).toMatchObject({ message: 'a broken listener must not break the build' });
  });

  it('int8 rows with float32 re-rank keep the float32 recall (within 0.02) and return exact float32 scores', async () => {
    const flat = await createFlatIndex({ dimensions: dims });
    await flat.upsert(data);
    const recalls: Record<string, number> = {};
    for (const quantization of ['none', 'int8'] as const) {
      const hnsw = await createHnswIndex({ dimensions: dims, M: 12, efConstruction: 100, efSearch: 48, quantization });
      await hnsw.upsert(data);
      expect(hnsw.storage.layout).toEqual({ int8: quantization === 'int8', float32: true });
      recalls[quantization] = await recallAt10(hnsw, flat, queries);
      if (quantization === 'int8') {
        // The re-rank scores the shortlist with the float32 rows: the scores are the exact scan's.
        const [found] = await hnsw.query({ vector: queries[0]!, topK: 1 });
        const [exact] = await flat.query({ vector: queries[0]!, topK: 1 });
        expect(found!.id).toBe(exact!.id);
        expect(found!.score).toBe(exact!.score);
      }
    }
    expect(recalls.none).toBeGreaterThanOrEqual(0.9);
    expect(recalls.int8).toBeGreaterThanOrEqual(recalls.none! - 0.02);
  });

  it('int8-only storage (no float32 rows) still finds neighbours', async () => {
    const hnsw = await createHnswIndex({ dimensions: dims, quantization: 'int8', rerank: false, M: 8 });
    await hnsw.upsert(data.slice(0, 800));
    expect(hnsw.storage.layout).toEqual({ int8: true, float32: false });
    let correct = 0;
    for (const index of [1, 50, 300, 700]) {
      const [best] = await hnsw.query({ vector: data[index]!.vector, topK: 1 });
      if (best!.id === `v${index}`) correct++;
    }
    expect(correct).toBeGreaterThanOrEqual(3);
  });

  it('runs the same graph search on the WebAssembly and TypeScript backends (same graph, same answers)', async () => {
    // Small integer components: every dot product is exact in float32 and float64, so both backends score
    // identically and any difference would come from the search loops themselves.
    const random = createRandom(12);
    const integerRecords = Array.from({ length: 1500 }, (_, index) => ({
      id: `i${index}`,
      vector: Float32Array.from({ length: 24 }, () => Math.floor(random() * 17) - 8),
      metadata: { group: index % 20 },
    }));
    const [wasm, typescript] = await Promise.all(
      (['wasm-simd', 'typescript'] as const).map((kernels) =>
        createHnswIndex({ dimensions: 24, metric: 'l2', M: 8, efConstruction: 40, efSearch: 32, kernels }),
      ),
    );
    for (const index of [wasm!, typescript!]) {
      await index.upsert(integerRecords.slice(0, 1000));
      await index.delete(integerRecords.slice(0, 100).map((record) => record.id));
      // Inserted after the deletes: construction must treat tombstones the same way on both backends.
      await index.upsert(integerRecords.slice(1000));
    }
    // Layer 0 is built in WebAssembly on one and in TypeScript on the other: the links must be identical.
    expect(Array.from(wasm!.graph.links0(1500))).toEqual(Array.from(typescript!.graph.links0(1500)));
    for (const record of integerRecords.slice(200, 240)) {
      for (const filter of [undefined, { group: { $in: [1, 2, 3, 4, 5] } }]) {
        const query = { vector: record.vector, topK: 10, ...(filter ? { filter } : {}) };
        expect(await typescript!.query(query)).toEqual(await wasm!.query(query));
      }
    }
  });

  it('descends through the upper levels in the backend call: same answers as the JavaScript descent, inserts interleaved', async () => {
    // M 4 gives a tall graph (several upper levels). After every batch of inserts (new upper nodes, a new
    // entry point, relinked upper nodes) and after growth moves the arena, the backend's packed copy of the
    // upper levels must answer as the JavaScript descent over `graph.upper` does.
    const random = createRandom(14);
    const vectors = Array.from({ length: 1600 }, (_, index) => ({
      id: `d${index}`,
      vector: Float32Array.from({ length: 24 }, () => random() * 2 - 1),
      metadata: { note: `n${index}` },
    }));
    for (const kernels of ['wasm-simd', 'typescript'] as const) {
      for (const metric of ['cosine', 'l2', 'dot'] as const) {
        const index = await createHnswIndex({
          dimensions: 24,
          metric,
          M: 4,
          efConstruction: 32,
          efSearch: 16,
          kernels,
        });
        for (let start = 0; start < vectors.length; start += 200) {
          await index.upsert(vectors.slice(start, start + 200));
          for (const record of vectors.slice(start, start + 12)) {
            const plain = { vector: record.vector, topK: 5 };
            // A filter the metadata index cannot answer, matching every record: the JavaScript descent and loop.
            const viaJs = await index.query({ ...plain, filter: { note: { $exists: true } } });
            expect(await index.query(plain)).toEqual(viaJs);
          }
        }
        expect(index.graph.maxLevel).toBeGreaterThanOrEqual(3);
      }
    }
  });

  it('answers the same after the u16 visited tags wrap (every 65,535 searches the tags are cleared)', async () => {
    // Two clusters in opposite directions: a search for one visits (and tags) nodes of that cluster only. One
    // search for A, then 65,534 for B: the next search for A gets A's first tag again, after a wrap in between.
    // Its result stays the same only if the wrap cleared the tags A's nodes still hold from the first search.
    const random = createRandom(15);
    const cluster = (sign: number, prefix: string) =>
      Array.from({ length: 300 }, (_, index) => ({
        id: `${prefix}${index}`,
        vector: Float32Array.from({ length: 8 }, (_, d) => (d === 0 ? sign * 4 : 0) + random() - 0.5),
      }));
    const a = cluster(1, 'a');
    const b = cluster(-1, 'b');
    for (const kernels of ['wasm-simd', 'typescript'] as const) {
      const index = await createHnswIndex({ dimensions: 8, metric: 'cosine', M: 8, efSearch: 16, kernels });
      await index.upsert([...a, ...b]);
      const queryA = { vector: (a[7] as { vector: Float32Array }).vector, topK: 10 };
      const queryB = { vector: (b[7] as { vector: Float32Array }).vector, topK: 1 };
      const first = await index.query(queryA);
      expect(first).toHaveLength(10);
      for (let search = 0; search < 65_534; search++) await index.query(queryB);
      expect(await index.query(queryA)).toEqual(first);
    }
  }, 60_000);

  it('searches int8 rows in the backend loop: same links and answers on both backends and as the JS loop', async () => {
    const random = createRandom(13);
    const vectors = Array.from({ length: 1200 }, (_, index) => ({
      id: `q${index}`,
      vector: Float32Array.from({ length: 24 }, () => random() * 2 - 1),
      metadata: { note: `n${index}` },
    }));
    for (const metric of ['cosine', 'l2', 'dot'] as const) {
      const [wasm, typescript] = await Promise.all(
        (['wasm-simd', 'typescript'] as const).map((kernels) =>
          createHnswIndex({
            dimensions: 24,
            metric,
            M: 8,
            efConstruction: 40,
            efSearch: 32,
            kernels,
            quantization: 'int8',
            rerank: false,
          }),
        ),
      );
      const int8Searches: number[] = [];
      for (const index of [wasm!, typescript!]) {
        const backend = index.storage.arena.backend;
        const search = backend.hnswSearch0.bind(backend);
        backend.hnswSearch0 = (arguments_) => {
          if (arguments_.int8 !== undefined) int8Searches.push(1);
          return search(arguments_);
        };
        await index.upsert(vectors);
      }
      // Built with int8 scoring in the backend loop on both: identical graphs.
      expect(int8Searches.length).toBeGreaterThanOrEqual(2 * 1199);
      expect(Array.from(wasm!.graph.links0(1200))).toEqual(Array.from(typescript!.graph.links0(1200)));
      for (const record of vectors.slice(0, 30)) {
        const plain = { vector: record.vector, topK: 10 };
        const answer = await wasm!.query(plain);
        expect(await typescript!.query(plain)).toEqual(answer);
        // A filter the metadata index cannot answer, matching every record, takes the JavaScript loop.
        const viaJs = await wasm!.query({ ...plain, filter: { note: { $exists: true } } });
        expect(viaJs.map((match) => match.id)).toEqual(answer.map((match) => match.id));
      }
    }
  });

  it('rejects invalid options with invalid-config and unknown metrics with unknown-metric', async () => {
    const code = async (run: () => Promise<unknown>) => {
      try {
        await run();
      } catch (error) {
        return AgenticGenError.isInstance(error) ? error.code : 'other';
      }
      return undefined;
    };
    expect(await code(() => createHnswIndex({ dimensions: 0 }))).toBe('invalid-config');
    expect(await code(() => createHnswIndex({ dimensions: 8, M: 0 }))).toBe('invalid-config');
    expect(await code(() => createHnswIndex({ dimensions: 8, compactionRatio: 2 }))).toBe('invalid-config');
    expect(await code(() => createHnswIndex({ dimensions: 8, filterIndexMaxValues: 0 }))).toBe('invalid-config');
    expect(await code(() => createHnswIndex({ dimensions: 8, metric: 'hamming' as 'dot' }))).toBe('unknown-metric');
    expect(await code(() => createFlatIndex({ dimensions: 8, quantization: 'int4' as 'int8' }))).toBe('invalid-config');
    const disposed = await createFlatIndex({ dimensions: 4 });
    await disposed.dispose();
    expect(await code(() => disposed.count())).toBe('disposed');
  });

  it('re-upserting the same records with new metadata reserves no new rows (flat and HNSW)', async () => {
    // The bench's filtered run re-upserts 100k records to add metadata: that must not double the memory.
    const subset = data.slice(0, 600);
    for (const index of [
      await createHnswIndex({ dimensions: dims, M: 8, efConstruction: 32 }),
      await createFlatIndex({ dimensions: dims }),
    ]) {
      await index.upsert(subset);
      const capacity = index.storage.arena.capacity;
      await index.upsert(subset.map((record) => ({ ...record, metadata: { tagged: true } })));
      expect(index.storage.arena.capacity).toBe(capacity);
      expect(await index.count()).toBe(600);
      expect((await index.get(['v7']))[0]!.metadata).toEqual({ tagged: true });
    }
  });
});
