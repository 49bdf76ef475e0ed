import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AgenticGenError, matchesFilter } from '@agenticgen/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clusteredVectors, row } from '../testing/random-vectors.js';
import { runVectorStoreSuite, suiteMetadataFields } from '../testing/vector-store-suite.js';
import { createLanceDbStore, type LanceDbStore } from './lancedb-store.js';

let directory: string;
let tables = 0;
beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'agenticgen-lancedb-'));
});
afterAll(async () => {
  await rm(directory, { recursive: true, force: true });
});

runVectorStoreSuite('lancedb', (options) =>
  createLanceDbStore({
    uri: directory,
    table: `suite_${tables++}`,
    ...options,
    metadataFields: { ...suiteMetadataFields },
  }),
);

const dims = 16;
const data = clusteredVectors(400, dims, { seed: 21 });
const words = ['apple', 'banana', 'cherry', 'durian', 'elderberry'];
const records = Array.from({ length: 400 }, (_, index) => ({
  id: `d${index}`,
  vector: row(data, dims, index).slice(),
  metadata: { text: `${words[index % 5]} pie number ${index}`, kind: index % 2 ? 'odd' : 'even', n: index },
}));

describe('LanceDB store', () => {
  const open: LanceDbStore[] = [];
  const create = async (table: string, extra: Partial<Parameters<typeof createLanceDbStore>[0]> = {}) => {
    const store = await createLanceDbStore({
      uri: directory,
      table,
      dimensions: dims,
      metadataFields: { kind: 'string', n: 'number' },
      textField: 'text',
      ...extra,
    });
    open.push(store);
    return store;
  };
  afterAll(async () => {
    for (const store of open) await store.dispose();
  });

  it('persists on disk: a reopened table has the rows, and must match dimensions and metric', async () => {
    const first = await create('persist');
    await first.upsert(records.slice(0, 50));
    await first.dispose();
    const again = await create('persist');
    expect(await again.count()).toBe(50);
    const [best] = await again.query({ vector: records[7]!.vector, topK: 1 });
    expect(best!.id).toBe('d7');
    const code = (promise: Promise<unknown>) =>
      promise.then(
        () => 'opened',
        (error: unknown) => (AgenticGenError.isInstance(error) ? error.code : String(error)),
      );
    expect(await code(createLanceDbStore({ uri: directory, table: 'persist', dimensions: 8 }))).toBe(
      'dimension-mismatch',
    );
    expect(await code(createLanceDbStore({ uri: directory, table: 'persist', dimensions: dims, metric: 'l2' }))).toBe(
      'invalid-config',
    );
    expect(await code(createLanceDbStore({ uri: directory, dimensions: dims, metadataFields: { id: 'string' } }))).toBe(
      'invalid-config',
    );
    expect(
      await code(
        createLanceDbStore({ uri: directory, table: 'persist', dimensions: dims, metadataFields: { nope: 'number' } }),
      ),
    ).toBe('invalid-config');
  });

  it('rejects metadata of the wrong declared type and filters on undeclared fields', async () => {
    const store = await create('types');
    await store.upsert(records.slice(0, 5));
    await expect(
      store.upsert([{ id: 'x', vector: records[0]!.vector, metadata: { n: 'seven' } }]),
    ).rejects.toMatchObject({
      code: 'invalid-metadata',
    });
    await expect(store.query({ vector: records[0]!.vector, topK: 3, filter: { text: 'x' } })).rejects.toMatchObject({
      code: 'invalid-filter',
    });
    expect(await store.count()).toBe(5);
  });

  it('keeps injection attempts in filters and ids literal', async () => {
    const store = await create('injection');
    const nasty = "x' OR '1'='1";
    await store.upsert([
      { id: nasty, vector: records[0]!.vector, metadata: { kind: nasty, n: 1 } },
      ...records.slice(1, 20),
    ]);
    const found = await store.query({ vector: records[0]!.vector, topK: 50, filter: { kind: nasty } });
    expect(found.map((match) => match.id)).toEqual([nasty]);
    expect(
      await store.query({ vector: records[0]!.vector, topK: 50, filter: { kind: "'; DELETE FROM t; --" } }),
    ).toEqual([]);
    await store.delete(["d1' OR '1'='1"]);
    expect(await store.count()).toBe(20);
    await store.delete([nasty]);
    expect(await store.count()).toBe(19);
    expect((await store.get([nasty])).length).toBe(0);
  });

  it('runs full-text search and hybrid search with prefilters', async () => {
    const store = await create('text');
    await store.upsert(records.slice(0, 200));
    const cherry = await store.fullTextSearch({ text: 'cherry', topK: 100 });
    expect(cherry.length).toBe(40);
    expect(cherry.every((match) => String(match.metadata.text).startsWith('cherry'))).toBe(true);
    // Rows written after the text index exists are searchable too.
    await store.upsert([
      { id: 'late', vector: records[3]!.vector, metadata: { text: 'cherry late arrival', kind: 'odd', n: 999 } },
    ]);
    const late = await store.fullTextSearch({ text: 'arrival', topK: 5 });
    expect(late.map((match) => match.id)).toEqual(['late']);
    const filtered = await store.fullTextSearch({ text: 'cherry', topK: 100, filter: { kind: 'even' } });
    expect(filtered.length).toBeGreaterThan(0);
    expect(filtered.every((match) => match.metadata.kind === 'even')).toBe(true);
    const hybrid = await store.hybridSearch({ text: 'banana', vector: records[1]!.vector, topK: 10 });
    expect(hybrid[0]!.id).toBe('d1');
    expect(hybrid[0]!.vectorRank).toBe(1);
    expect(hybrid[0]!.textRank).toBeGreaterThan(0);
    const hybridFiltered = await store.hybridSearch({
      text: 'banana',
      vector: records[1]!.vector,
      topK: 10,
      filter: { n: { $lt: 100 } },
    });
    expect(hybridFiltered.every((match) => matchesFilter(match.metadata, { n: { $lt: 100 } }))).toBe(true);
    await expect(store.fullTextSearch({ text: '  ', topK: 3 })).rejects.toMatchObject({ code: 'invalid-argument' });
  });

  it('builds an IVF-PQ index automatically past the threshold and keeps answering', async () => {
    const store = await create('auto-index', { vectorIndex: { type: 'ivf-pq', threshold: 300 } });
    await store.upsert(records.slice(0, 250));
    expect(store.hasVectorIndex).toBe(false);
    await store.upsert(records.slice(250, 400));
    expect(store.hasVectorIndex).toBe(true);
    const found = await store.query({ vector: records[42]!.vector, topK: 5, filter: { kind: 'even' } });
    expect(found[0]!.id).toBe('d42');
    expect(found.every((match) => match.metadata.kind === 'even')).toBe(true);
  });

  it('builds an IVF-HNSW-SQ index on request', async () => {
    const store = await create('hnsw-sq', { vectorIndex: false });
    await store.upsert(records);
    await store.createVectorIndex({ type: 'ivf-hnsw-sq' });
    expect(store.hasVectorIndex).toBe(true);
    const [best] = await store.query({ vector: records[99]!.vector, topK: 1 });
    expect(best!.id).toBe('d99');
  });

  it('compacts many small writes into few fragments without losing rows', async () => {
    const store = await create('compaction', { compactEveryWrites: false });
    for (let start = 0; start < 60; start += 3) await store.upsert(records.slice(start, start + 3));
    const before = await store.fragmentCount();
    expect(before).toBeGreaterThanOrEqual(10);
    const stats = await store.compact();
    expect(stats.fragmentsRemoved).toBeGreaterThan(0);
    expect(await store.fragmentCount()).toBeLessThan(before);
    expect(await store.count()).toBe(60);
  });

  it('loses and duplicates no rows with concurrent writers on one table', async () => {
    const writerA = await create('concurrent');
    const writerB = await create('concurrent', { compactEveryWrites: 5 });
    const batches = Array.from({ length: 16 }, (_, index) => records.slice(index * 20, index * 20 + 25));
    await Promise.all(batches.map((batch, index) => (index % 2 === 0 ? writerA : writerB).upsert(batch)));
    expect(await writerA.count()).toBe(325);
    const all = await writerB.get(records.slice(0, 325).map((record) => record.id));
    expect(new Set(all.map((record) => record.id)).size).toBe(325);
    expect(all).toHaveLength(325);
    await Promise.all([
      writerA.delete(['d0', 'd1']),
      writerB.delete(['d1', 'd2']),
      writerA.upsert(records.slice(325, 330)),
    ]);
    expect(await writerB.count()).toBe(327);
  });
});
