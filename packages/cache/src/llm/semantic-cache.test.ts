import {
  AgenticGenError,
  type DistanceMetric,
  type Embedder,
  matchesFilter,
  type VectorMatch,
  type VectorRecord,
  type VectorStore,
} from '@agenticgen/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createSemanticCache } from './semantic-cache.js';

/** Bag-of-words embedder: word hashes into 256 buckets, L2-normalised. Same words → same vector. */
function wordsEmbedder(id = 'words-256'): Embedder {
  return {
    id,
    dimensions: 256,
    normalized: true,
    async embed(texts) {
      return texts.map((text) => {
        const vector = new Float32Array(256);
        for (const word of text.toLowerCase().match(/[a-z0-9]+/g) ?? []) {
          let hash = 2166136261;
          for (const char of word) hash = Math.imul(hash ^ char.charCodeAt(0), 16777619);
          vector[(hash >>> 0) % 256] = (vector[(hash >>> 0) % 256] as number) + 1;
        }
        const norm = Math.hypot(...vector) || 1;
        return vector.map((value) => value / norm);
      });
    },
  };
}

/** Exact cosine search over a Map, with core's filter language. */
function flatStore(
  metric: DistanceMetric = 'cosine',
  dimensions = 256,
): VectorStore & { records: Map<string, VectorRecord> } {
  const records = new Map<string, VectorRecord>();
  return {
    name: 'test-flat',
    dimensions,
    metric,
    records,
    async upsert(items) {
      for (const item of items) records.set(item.id, item);
    },
    async delete(ids) {
      for (const id of ids) records.delete(id);
    },
    async count() {
      return records.size;
    },
    async query(query) {
      const matches: VectorMatch[] = [];
      for (const record of records.values()) {
        const metadata = record.metadata ?? {};
        if (query.filter !== undefined && !matchesFilter(metadata, query.filter)) continue;
        let score = 0;
        for (let index = 0; index < dimensions; index++) {
          score += (record.vector[index] as number) * (query.vector[index] as number);
        }
        matches.push({ id: record.id, score, metadata });
      }
      return matches.sort((a, b) => b.score - a.score).slice(0, query.topK);
    },
  };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('createSemanticCache', () => {
  it('answers a rephrased duplicate with its score and misses a different question', async () => {
    const cache = createSemanticCache({ embedder: wordsEmbedder(), store: flatStore() });
    await cache.set('What is the capital of France?', { answer: 'Paris' });
    const hit = await cache.get('what is the capital of france');
    expect(hit).toEqual({
      value: { answer: 'Paris' },
      score: expect.closeTo(1, 5),
      prompt: 'What is the capital of France?',
    });
    expect(await cache.get('What is the capital of Germany?')).toBeUndefined(); // 5 of 6 words: ~0.83 < 0.95
    const loose = await cache.get('What is the capital of Germany?', { threshold: 0.8 });
    expect(loose?.score).toBeGreaterThan(0.8);
    expect(loose?.score).toBeLessThan(0.95);
  });

  it('runs the loader once and then serves similar prompts from the cache', async () => {
    const cache = createSemanticCache({ embedder: wordsEmbedder(), store: flatStore() });
    const loader = vi.fn(async () => 'It depends on the traffic.');
    expect(await cache.getOrSet('how long is the drive to the airport', loader)).toEqual({
      value: 'It depends on the traffic.',
      hit: false,
    });
    const again = await cache.getOrSet('How long is the drive to the airport?', loader);
    expect(again).toMatchObject({ value: 'It depends on the traffic.', hit: true });
    expect(again.score).toBeGreaterThanOrEqual(0.95);
    expect(loader).toHaveBeenCalledTimes(1);
  });

  it('keeps namespaces, embedders and user metadata apart', async () => {
    const store = flatStore();
    const support = createSemanticCache({ embedder: wordsEmbedder(), store, namespace: 'support' });
    const sales = createSemanticCache({ embedder: wordsEmbedder(), store, namespace: 'sales' });
    const otherModel = createSemanticCache({ embedder: wordsEmbedder('other-embedder'), store, namespace: 'support' });
    await support.set('reset my password', 'Use the link.', { metadata: { locale: 'en' } });
    expect(await sales.get('reset my password')).toBeUndefined();
    expect(await otherModel.get('reset my password')).toBeUndefined();
    expect((await support.get('reset my password', { filter: { locale: 'en' } }))?.value).toBe('Use the link.');
    expect(await support.get('reset my password', { filter: { locale: 'de' } })).toBeUndefined();
  });

  it('expires answers after their TTL and removes them from the store', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const store = flatStore();
    const cache = createSemanticCache({ embedder: wordsEmbedder(), store, ttlMs: 1000 });
    await cache.set('question', 'answer');
    expect((await cache.get('question'))?.value).toBe('answer');
    vi.setSystemTime(Date.now() + 1001);
    expect(await cache.get('question')).toBeUndefined();
    expect(store.records.size).toBe(0);
  });

  it('replaces the answer for the same prompt and deletes by prompt', async () => {
    const store = flatStore();
    const cache = createSemanticCache({ embedder: wordsEmbedder(), store });
    await cache.set('q', 1);
    await cache.set('q', 2);
    expect(store.records.size).toBe(1);
    expect((await cache.get('q'))?.value).toBe(2);
    await cache.delete('q');
    expect(await cache.get('q')).toBeUndefined();
  });

  it('rejects mismatched dimensions, thresholds it cannot default, reserved metadata and empty prompts', async () => {
    const codeOf = async (action: () => unknown) => {
      try {
        await action();
      } catch (error) {
        return AgenticGenError.isInstance(error) ? error.code : 'not-agenticgen';
      }
      return 'no-error';
    };
    expect(await codeOf(() => createSemanticCache({ embedder: wordsEmbedder(), store: flatStore('cosine', 3) }))).toBe(
      'invalid-config',
    );
    expect(await codeOf(() => createSemanticCache({ embedder: wordsEmbedder(), store: flatStore('l2') }))).toBe(
      'invalid-config',
    );
    expect(
      await codeOf(() => createSemanticCache({ embedder: wordsEmbedder(), store: flatStore('l2'), threshold: -0.1 })),
    ).toBe('no-error');
    const cache = createSemanticCache({ embedder: wordsEmbedder(), store: flatStore() });
    expect(await codeOf(() => cache.set('q', 1, { metadata: { semanticCacheAnswer: 'x' } }))).toBe('invalid-argument');
    expect(await codeOf(() => cache.get('   '))).toBe('invalid-argument');
    expect(await codeOf(() => cache.set('q', undefined))).toBe('invalid-argument');
    expect(await codeOf(() => cache.set('q', 10n))).toBe('cache-value-unsupported');
  });
});
