import { type Metadata, type MetadataFilter, matchesFilter } from '@agenticgen/core';
import { describe, expect, it } from 'vitest';
import { loadIndex } from '../persistence/load-index.js';
import { clusteredVectors, createRandom, row } from '../testing/random-vectors.js';
import { createFlatIndex } from './flat-index.js';
import { createHnswIndex } from './hnsw-index.js';

const dims = 16;
const count = 4000;
const data = clusteredVectors(count + 20, dims, { seed: 31 });
const random = createRandom(5);
const records = Array.from({ length: count }, (_, index) => {
  const metadata: Metadata = {
    category: `c${index % 100}`,
    shard: index % 7,
    even: index % 2 === 0,
    rating: Math.floor(random() * 10),
  };
  if (index % 5 === 0) metadata.owner = null;
  return { id: `r${index}`, vector: row(data, dims, index), metadata };
});
const queries = Array.from({ length: 5 }, (_, index) => row(data, dims, count + index));

/** Filters covering every operator; the first ones are answered by the index alone. */
const filters: MetadataFilter[] = [
  { category: 'c7' },
  { category: { $in: ['c1', 'c2', 'c99'] } },
  { category: 'c3', shard: 3 },
  { $or: [{ category: 'c4' }, { shard: { $eq: 2 }, even: true }] },
  { owner: null },
  { category: 'nope' },
  { missing: 'x' },
  { category: { $in: ['c5', 'c6'], $ne: 'c6' } },
  { $and: [{ category: { $in: ['c8', 'c9', 'c10'] } }, { rating: { $gte: 5 } }] },
  { category: 'c11', $not: { even: true } },
  { rating: { $lt: 2 } },
  { owner: { $exists: false }, shard: { $nin: [0, 1] } },
  { $or: [{ category: 'c12' }, { rating: { $gt: 8 } }] },
];

type AnyIndex = Awaited<ReturnType<typeof createFlatIndex>> | Awaited<ReturnType<typeof createHnswIndex>>;

/** Every filtered query returns exactly the live records that match (topK above the match count). */
async function expectExactFiltering(index: AnyIndex, live: Map<string, Metadata>): Promise<void> {
  for (const filter of filters) {
    const wanted = [...live].filter(([, metadata]) => matchesFilter(metadata, filter)).map(([id]) => id);
    const found = await index.query({ vector: queries[0]!, topK: 10_000, filter });
    expect(found.map((match) => match.id).sort(), JSON.stringify(filter)).toEqual(wanted.sort());
  }
}

describe('metadata filter index', () => {
  for (const kind of ['flat', 'hnsw'] as const) {
    const create = (filterExactScanRatio = 0.1) =>
      kind === 'flat'
        ? createFlatIndex({ dimensions: dims })
        : createHnswIndex({ dimensions: dims, M: 8, efConstruction: 32, compactionRatio: 0.3, filterExactScanRatio });

    it(`${kind}: answers an equality or $in filter without evaluating any record's metadata`, async () => {
      const index = await create();
      await index.upsert(records);
      const before = index.storage.metadataEvaluations;
      for (const vector of queries) {
        const found = await index.query({ vector, topK: 5, filter: { category: 'c7' } });
        expect(found.length).toBe(5);
        expect(found.every((match) => match.metadata.category === 'c7')).toBe(true);
        await index.query({ vector, topK: 5, filter: { category: { $in: ['c1', 'c2'] }, even: false } });
      }
      expect(index.storage.metadataEvaluations - before).toBe(0);
      // A broad indexed filter: HNSW walks the graph with the index's matches as its allow-list.
      const broad = await index.query({ vector: queries[1]!, topK: 10, filter: { even: true } });
      expect(broad.length).toBe(10);
      expect(broad.every((match) => match.metadata.even === true)).toBe(true);
      expect(index.storage.metadataEvaluations - before).toBe(0);
      // A mixed filter evaluates only the rows the indexed part lets through (40 of category c8), not all.
      const mixed = index.storage.metadataEvaluations;
      await index.query({ vector: queries[0]!, topK: 5, filter: { category: 'c8', rating: { $gte: 5 } } });
      expect(index.storage.metadataEvaluations - mixed).toBe(count / 100);
    });

    it(`${kind}: stays exact through metadata updates, deletes, compaction and a save/load`, async () => {
      // HNSW: exact scans for every filter, so results can be compared with brute force whatever the filter.
      const index = await create(1);
      const live = new Map(records.map((record) => [record.id, record.metadata]));
      await index.upsert(records);
      await expectExactFiltering(index, live);
      // Metadata-only updates (same vector) and replaced vectors.
      const changed = records.slice(0, 300).map((record, i) => ({
        ...record,
        vector: i % 2 === 0 ? record.vector : row(data, dims, count + 10),
        metadata: { category: 'c7', shard: 100, even: false, rating: 3 },
      }));
      await index.upsert(changed);
      for (const record of changed) live.set(record.id, record.metadata);
      await expectExactFiltering(index, live);
      // Enough deletes to trigger HNSW compaction (slots move) and flat swap-removes.
      const removed = records.filter((_, i) => i % 3 === 1).map((record) => record.id);
      await index.delete(removed);
      for (const id of removed) live.delete(id);
      expect(index.storage.deletedCount).toBe(0);
      await expectExactFiltering(index, live);
      const loaded = await loadIndex(await index.save());
      await expectExactFiltering(loaded, live);
    });
  }

  it('stops indexing a field past filterIndexMaxValues distinct values and still filters it exactly', async () => {
    const index = await createFlatIndex({ dimensions: dims, filterIndexMaxValues: 50 });
    const unique = records.slice(0, 200).map((record, i) => ({ ...record, metadata: { text: `t${i}`, shard: i % 7 } }));
    await index.upsert(unique);
    const before = index.storage.metadataEvaluations;
    const found = await index.query({ vector: queries[0]!, topK: 10, filter: { text: 't150' } });
    expect(found.map((match) => match.id)).toEqual(['r150']);
    // The capped field falls back to evaluating records; the small field is still indexed.
    expect(index.storage.metadataEvaluations - before).toBe(200);
    const again = index.storage.metadataEvaluations;
    await index.query({ vector: queries[0]!, topK: 10, filter: { shard: 3 } });
    expect(index.storage.metadataEvaluations).toBe(again);
  });
});
