/**
 * The VectorStore contract suite: every store (flat, HNSW, LanceDB) runs the same behavioural tests, so a
 * caller can swap one for another. Data is small and seeded; ground truth is a float64 brute force.
 */
import {
  AgenticGenError,
  type AsyncResource,
  type DistanceMetric,
  type Metadata,
  type MetadataFilter,
  matchesFilter,
  type VectorRecord,
  type VectorStore,
} from '@agenticgen/core';
import { checkAsyncResource } from '@agenticgen/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { clusteredVectors, createRandom, row } from './random-vectors.js';

/** Metadata fields the suite filters on (stores with a schema declare them). */
export const suiteMetadataFields = { lang: 'string', year: 'number', draft: 'boolean' } as const;

export interface StoreFactoryOptions {
  dimensions: number;
  metric: DistanceMetric;
}

export interface SuiteOptions {
  /** Approximate stores are checked on recall instead of exact order. */
  approximate?: boolean;
}

const dimensions = 24;
const languages = ['en', 'de', 'fr'];

function makeRecords(count: number, seed: number): VectorRecord[] {
  const vectors = clusteredVectors(count, dimensions, { seed, clusters: 6 });
  const random = createRandom(seed + 1);
  return Array.from({ length: count }, (_, index) => ({
    id: `doc-${index}`,
    vector: row(vectors, dimensions, index).slice(),
    metadata: {
      lang: languages[index % 3]!,
      year: 2000 + (index % 25),
      draft: random() < 0.3,
    },
  }));
}

function similarity(metric: DistanceMetric, a: ArrayLike<number>, b: ArrayLike<number>): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  let l2 = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * b[i]!;
    na += a[i]! * a[i]!;
    nb += b[i]! * b[i]!;
    l2 += (a[i]! - b[i]!) ** 2;
  }
  if (metric === 'dot') return dot;
  if (metric === 'cosine') return dot / Math.sqrt(na * nb);
  return -Math.sqrt(l2);
}

function bruteForce(
  records: readonly VectorRecord[],
  query: ArrayLike<number>,
  metric: DistanceMetric,
  topK: number,
  filter?: MetadataFilter,
): { id: string; score: number }[] {
  return records
    .filter((record) => filter === undefined || matchesFilter(record.metadata ?? {}, filter))
    .map((record) => ({ id: record.id, score: similarity(metric, query, record.vector) }))
    .sort((a, b) => b.score - a.score)
    .slice(0, topK);
}

async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
  } catch (error) {
    return AgenticGenError.isInstance(error) ? error.code : `not an AgenticGenError: ${String(error)}`;
  }
  return undefined;
}

/** Registers the contract tests for one store implementation. */
export function runVectorStoreSuite(
  name: string,
  factory: (options: StoreFactoryOptions) => Promise<VectorStore>,
  options: SuiteOptions = {},
): void {
  describe(`VectorStore contract: ${name}`, () => {
    const open: VectorStore[] = [];
    const create = async (metric: DistanceMetric) => {
      const store = await factory({ dimensions, metric });
      open.push(store);
      return store;
    };
    afterEach(async () => {
      for (const store of open.splice(0)) await store.dispose?.();
    });

    const expectTopMatches = (actual: { id: string; score: number }[], expected: { id: string; score: number }[]) => {
      if (expected.length === 0) expect(actual).toEqual([]);
      else if (options.approximate) {
        const wanted = new Set(expected.map((match) => match.id));
        const hits = actual.filter((match) => wanted.has(match.id)).length;
        expect(hits / Math.max(1, expected.length)).toBeGreaterThanOrEqual(0.8);
      } else {
        expect(actual.map((match) => match.id)).toEqual(expected.map((match) => match.id));
      }
      for (let i = 1; i < actual.length; i++) expect(actual[i - 1]!.score).toBeGreaterThanOrEqual(actual[i]!.score);
    };

    for (const metric of ['cosine', 'dot', 'l2'] as const) {
      it(`returns the nearest records best first with ${metric} scores`, async () => {
        const store = await create(metric);
        expect(store.metric).toBe(metric);
        expect(store.dimensions).toBe(dimensions);
        const records = makeRecords(300, 11);
        await store.upsert(records);
        expect(await store.count()).toBe(300);
        const queries = makeRecords(5, 99);
        for (const query of queries) {
          const matches = await store.query({ vector: query.vector, topK: 5 });
          expect(matches).toHaveLength(5);
          const expected = bruteForce(records, query.vector, metric, 5);
          expectTopMatches(matches, expected);
          for (const match of matches) {
            const record = records.find((candidate) => candidate.id === match.id)!;
            expect(match.score).toBeCloseTo(similarity(metric, query.vector, record.vector), 3);
            expect(match.metadata).toEqual(record.metadata);
          }
        }
      });
    }

    it('replaces a record on upsert of an existing id', async () => {
      const store = await create('cosine');
      const records = makeRecords(50, 3);
      await store.upsert(records);
      const moved = { ...records[7]!, vector: records[40]!.vector, metadata: { lang: 'xx', year: 1990, draft: true } };
      await store.upsert([moved]);
      expect(await store.count()).toBe(50);
      const matches = await store.query({ vector: records[40]!.vector, topK: 2 });
      expect(matches.map((match) => match.id).sort()).toEqual(['doc-40', 'doc-7']);
      expect(matches.find((match) => match.id === 'doc-7')!.metadata).toEqual({ lang: 'xx', year: 1990, draft: true });
      const [fetched] = (await store.get?.(['doc-7'])) ?? [];
      if (store.get !== undefined) expect(Array.from(fetched!.vector)).toEqual(Array.from(records[40]!.vector));
    });

    it('deletes by id, ignoring unknown ids', async () => {
      const store = await create('l2');
      const records = makeRecords(60, 4);
      await store.upsert(records);
      await store.delete(['doc-1', 'doc-2', 'nope']);
      expect(await store.count()).toBe(58);
      const matches = await store.query({ vector: records[1]!.vector, topK: 60 });
      expect(matches).toHaveLength(58);
      expect(matches.some((match) => match.id === 'doc-1' || match.id === 'doc-2')).toBe(false);
      await store.delete([]);
      expect(await store.count()).toBe(58);
    });

    it('applies metadata filters exactly like matchesFilter', async () => {
      const store = await create('cosine');
      const records = makeRecords(240, 5);
      await store.upsert(records);
      const filters: MetadataFilter[] = [
        { lang: 'de' },
        { year: { $gte: 2010, $lt: 2015 } },
        { lang: { $in: ['en', 'fr'] }, draft: false },
        { $or: [{ lang: 'de', year: { $gt: 2020 } }, { draft: true }] },
        { $not: { lang: 'en' } },
        { lang: { $nin: ['en'] }, year: { $lte: 2003 } },
        { year: { $ne: 2001 }, lang: { $exists: true } },
        { lang: 'nope' },
      ];
      const query = makeRecords(1, 77)[0]!;
      for (const filter of filters) {
        const matches = await store.query({ vector: query.vector, topK: 10, filter });
        const expected = bruteForce(records, query.vector, 'cosine', 10, filter);
        expect(matches.length, JSON.stringify(filter)).toBe(expected.length);
        for (const match of matches) expect(matchesFilter(match.metadata, filter), JSON.stringify(filter)).toBe(true);
        expectTopMatches(matches, expected);
      }
    });

    it('honours minScore, includeVectors and topK larger than the store', async () => {
      const store = await create('cosine');
      const records = makeRecords(20, 6);
      await store.upsert(records);
      const all = await store.query({ vector: records[0]!.vector, topK: 100, includeVectors: true });
      expect(all).toHaveLength(20);
      expect(all[0]!.id).toBe('doc-0');
      expect(all[0]!.vector).toBeInstanceOf(Float32Array);
      expect(all[0]!.vector![3]).toBeCloseTo(records[0]!.vector[3]!, 5);
      const threshold = all[5]!.score;
      const above = await store.query({ vector: records[0]!.vector, topK: 100, minScore: threshold });
      expect(above.length).toBeGreaterThanOrEqual(6);
      for (const match of above) expect(match.score).toBeGreaterThanOrEqual(threshold);
      const plain = await store.query({ vector: records[0]!.vector, topK: 1 });
      expect(plain[0]!.vector).toBeUndefined();
    });

    it('fetches records by id, skipping missing ones', async () => {
      const store = await create('dot');
      if (store.get === undefined) return;
      const records = makeRecords(10, 8);
      await store.upsert(records);
      const fetched = await store.get(['doc-3', 'missing', 'doc-5']);
      expect(fetched.map((record) => record.id).sort()).toEqual(['doc-3', 'doc-5']);
      const three = fetched.find((record) => record.id === 'doc-3')!;
      expect(Array.from(three.vector)).toEqual(Array.from(records[3]!.vector));
      expect(three.metadata).toEqual(records[3]!.metadata);
    });

    it('rejects bad input with a code and leaves the store unchanged', async () => {
      const store = await create('cosine');
      const records = makeRecords(30, 9);
      await store.upsert(records);
      const before = await store.query({ vector: records[0]!.vector, topK: 5 });
      const good = makeRecords(1, 10)[0]!;
      const nan = { id: 'nan', vector: Array.from({ length: dimensions }, (_, i) => (i === 3 ? Number.NaN : 1)) };
      const infinite = { id: 'inf', vector: new Float32Array(dimensions).fill(Number.POSITIVE_INFINITY) };
      expect(
        await codeOf(
          store.upsert([
            { ...good, id: 'new-1' },
            { id: 'short', vector: [1, 2, 3] },
          ]),
        ),
      ).toBe('dimension-mismatch');
      expect(await codeOf(store.upsert([{ ...good, id: 'new-2' }, nan]))).toBe('invalid-vector');
      expect(await codeOf(store.upsert([infinite]))).toBe('invalid-vector');
      expect(await codeOf(store.upsert([{ id: 'zero', vector: new Float32Array(dimensions) }]))).toBe('invalid-vector');
      expect(await codeOf(store.query({ vector: [1, 2], topK: 3 }))).toBe('dimension-mismatch');
      expect(await codeOf(store.query({ vector: good.vector, topK: 3, filter: { year: { $gt3: 1 } } as never }))).toBe(
        'invalid-filter',
      );
      expect(await codeOf(store.query({ vector: good.vector, topK: 0 }))).toBe('invalid-argument');
      expect(await codeOf(store.query({ vector: good.vector, topK: 3, minScore: Number.NaN }))).toBe(
        'invalid-argument',
      );
      expect(await codeOf(store.query({ vector: good.vector, topK: 3, minScore: '0.5' as never }))).toBe(
        'invalid-argument',
      );
      const aborted = AbortSignal.abort();
      expect(await codeOf(store.query({ vector: good.vector, topK: 3, signal: aborted }))).toBe('aborted');
      expect(await store.count()).toBe(30);
      expect(await store.query({ vector: records[0]!.vector, topK: 5 })).toEqual(before);
    });

    it('handles concurrent upserts without losing records', async () => {
      const store = await create('l2');
      const records = makeRecords(120, 12);
      await Promise.all([0, 1, 2, 3].map((part) => store.upsert(records.slice(part * 30, part * 30 + 30))));
      expect(await store.count()).toBe(120);
    });

    it('cancels a write while it waits, and never reports a write as aborted yet applies it', async () => {
      const store = await create('l2');
      const records = makeRecords(40, 13);
      await expect(store.upsert(records, { signal: AbortSignal.abort() })).rejects.toSatisfy(isAborted);
      expect(await store.count()).toBe(0);
      const controller = new AbortController();
      const first = store.upsert(records.slice(0, 20));
      // Queued behind the first write (stores that serialise writes); aborted before its turn comes.
      const second = store.upsert(records.slice(20), { signal: controller.signal });
      controller.abort();
      const outcome = await second.then(
        () => 'applied',
        (error: unknown) => error,
      );
      await first;
      if (outcome === 'applied') expect(await store.count()).toBe(40);
      else {
        expect(AgenticGenError.hasCode(outcome, 'aborted')).toBe(true);
        expect(await store.count()).toBe(20);
      }
      await expect(store.delete(['doc-0'], { signal: AbortSignal.abort() })).rejects.toSatisfy(isAborted);
      expect((await store.get?.(['doc-0']))?.length ?? 1).toBe(1);
    });

    it('is released by `await using`; disposing again resolves', async () => {
      const store = await create('cosine');
      if (typeof store[Symbol.asyncDispose] !== 'function' || typeof store.dispose !== 'function') {
        throw new Error(`${name} must implement dispose() and [Symbol.asyncDispose]() (core's AsyncResource)`);
      }
      await checkAsyncResource(
        () => store as VectorStore & AsyncResource,
        async (released) => {
          await expect(released.count()).rejects.toSatisfy((error) => AgenticGenError.hasCode(error, 'disposed'));
        },
      );
    });
  });
}

const isAborted = (error: unknown) => AgenticGenError.hasCode(error, 'aborted');

export type { Metadata };
