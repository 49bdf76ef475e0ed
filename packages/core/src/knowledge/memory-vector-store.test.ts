import { describe, expect, it } from 'vitest';
import { AgenticGenError } from '../errors/agenticgen-error.js';
import { checkAsyncResource } from '../testing/async-resource-checks.js';
import { createMemoryVectorStore } from './memory-vector-store.js';

describe('memory vector store', () => {
  it('returns exact nearest neighbours by cosine, dot and l2, honouring filters and minScore', async () => {
    for (const metric of ['cosine', 'dot', 'l2'] as const) {
      const store = createMemoryVectorStore({ dimensions: 2, metric });
      await store.upsert([
        { id: 'east', vector: [1, 0], metadata: { side: 'right' } },
        { id: 'north', vector: [0, 1], metadata: { side: 'up' } },
        { id: 'north-east', vector: [0.7, 0.7], metadata: { side: 'right' } },
      ]);
      const matches = await store.query({ vector: [0.9, 0.1], topK: 3 });
      expect(matches.map((match) => match.id)).toEqual(['east', 'north-east', 'north']);
      const filtered = await store.query({ vector: [0, 1], topK: 3, filter: { side: 'right' } });
      expect(filtered.map((match) => match.id)).toEqual(['north-east', 'east']);
    }
    const store = createMemoryVectorStore({ dimensions: 2 });
    await store.upsert([
      { id: 'a', vector: [1, 0] },
      { id: 'b', vector: [0, 1] },
    ]);
    expect((await store.query({ vector: [1, 0], topK: 5, minScore: 0.5 })).map((match) => match.id)).toEqual(['a']);
  });

  it('validates every record before writing any, and replaces by id', async () => {
    const store = createMemoryVectorStore({ dimensions: 3 });
    await expect(
      store.upsert([
        { id: 'ok', vector: [1, 2, 3] },
        { id: 'bad', vector: [1, 2] },
      ]),
    ).rejects.toMatchObject({ code: 'dimension-mismatch', message: expect.stringContaining('dimension mismatch') });
    expect(await store.count()).toBe(0);
    await store.upsert([{ id: 'a', vector: [1, 0, 0], metadata: { v: 1 } }]);
    await store.upsert([{ id: 'a', vector: [0, 1, 0], metadata: { v: 2 } }]);
    expect(await store.get?.(['a', 'missing'])).toEqual([
      { id: 'a', vector: new Float32Array([0, 1, 0]), metadata: { v: 2 } },
    ]);
    await store.delete(['a', 'missing']);
    expect(await store.count()).toBe(0);
  });

  it('keeps the exact top k, ties broken by id, while scanning many records', async () => {
    const store = createMemoryVectorStore({ dimensions: 4, metric: 'dot' });
    // Deterministic values with many ties (components from a small set).
    const records = Array.from({ length: 300 }, (_, index) => ({
      id: `r${String(index).padStart(3, '0')}`,
      vector: [index % 5, (index * 7) % 3, (index * 11) % 4, 1],
    }));
    await store.upsert(records);
    const query = [1, 2, 0.5, 1];
    const expected = records
      .map(({ id, vector }) => ({ id, score: vector.reduce((sum, value, d) => sum + value * (query[d] ?? 0), 0) }))
      .sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : 1))
      .slice(0, 17);
    const matches = await store.query({ vector: query, topK: 17 });
    expect(matches.map(({ id, score }) => ({ id, score }))).toEqual(expected);
  });

  it('refuses writes under an aborted signal and is released by `await using`', async () => {
    const store = createMemoryVectorStore({ dimensions: 2 });
    const aborted = (error: unknown) => AgenticGenError.hasCode(error, 'aborted');
    await expect(store.upsert([{ id: 'a', vector: [1, 0] }], { signal: AbortSignal.abort() })).rejects.toSatisfy(
      aborted,
    );
    await store.upsert([{ id: 'b', vector: [0, 1] }]);
    await expect(store.delete(['b'], { signal: AbortSignal.abort() })).rejects.toSatisfy(aborted);
    expect(await store.count()).toBe(1);
    await checkAsyncResource(
      () => createMemoryVectorStore({ dimensions: 2 }),
      async (released) => {
        await expect(released.count()).rejects.toSatisfy((error) => AgenticGenError.hasCode(error, 'disposed'));
      },
    );
  });

  it('keeps every record intact through growth, deletes from the middle and replacements', async () => {
    const store = createMemoryVectorStore({ dimensions: 5, metric: 'l2' });
    const vectorOf = (index: number) => [index, index % 7, -index, 1, index % 2];
    await store.upsert(
      Array.from({ length: 200 }, (_, index) => ({ id: `r${index}`, vector: vectorOf(index), metadata: { index } })),
    );
    await store.delete(['r0', 'r57', 'r199', 'r100']);
    await store.upsert([{ id: 'r57', vector: vectorOf(57), metadata: { index: 57, again: true } }]);
    expect(await store.count()).toBe(197);
    const kept = await store.get?.(['r1', 'r57', 'r198', 'r100']);
    expect(kept?.map(({ id, vector, metadata }) => [id, [...vector], metadata])).toEqual([
      ['r1', vectorOf(1), { index: 1 }],
      ['r57', vectorOf(57), { index: 57, again: true }],
      ['r198', vectorOf(198), { index: 198 }],
    ]);
    const nearest = await store.query({ vector: vectorOf(100), topK: 3, includeVectors: true });
    expect(nearest.map(({ id }) => id)).toEqual(['r101', 'r99', 'r102']);
    expect([...(nearest[0]?.vector ?? [])]).toEqual(vectorOf(101));
  });
});
