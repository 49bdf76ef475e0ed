import { describe, expect, it } from 'vitest';
import type { RankCandidate, Ranker } from '../contracts/ranker.js';
import { createHashingEmbedder } from './hashing-embedder.js';
import { createKnowledgeBase } from './knowledge-base.js';
import { createLexicalRanker } from './lexical-ranker.js';
import { createMemoryVectorStore } from './memory-vector-store.js';
import { createMmrRanker } from './ranking.js';

function setup() {
  const embedder = createHashingEmbedder({ dimensions: 256 });
  return createKnowledgeBase({ embedder, vectorStore: createMemoryVectorStore({ dimensions: 256 }) });
}

const candidate = (id: string, text: string, score: number, vector?: number[]): RankCandidate => ({
  id,
  text,
  metadata: {},
  score,
  ...(vector === undefined ? {} : { vector: Float32Array.from(vector) }),
});

describe('createLexicalRanker', () => {
  it('lifts the candidate covering the query in other word forms over a higher-scored partial match', async () => {
    const ranker = createLexicalRanker();
    const scores = await ranker.rank(
      'configurable plugins loading',
      [
        candidate('partial', 'Plugins are listed in the registry with their authors.', 1),
        candidate('answer', 'The configuration tells which plugin the loader loads first.', 0.8),
      ],
      { topK: 2 },
    );
    const byId = new Map(scores.map(({ id, score }) => [id, score]));
    expect(byId.get('answer')).toBeGreaterThan(byId.get('partial') ?? 0);
  });

  it('rejects out-of-range options', () => {
    expect(() => createLexicalRanker({ coverageWeight: 2 })).toThrow(/coverageWeight/);
    expect(() => createLexicalRanker({ prefixLength: 1 })).toThrow(/prefixLength/);
  });
});

describe('createMmrRanker', () => {
  it('puts a different passage before a near-duplicate of the first', async () => {
    const ranker = createMmrRanker({ lambda: 0.5 });
    const scores = await ranker.rank(
      'q',
      [candidate('a', 'a', 1, [1, 0]), candidate('a-copy', 'a', 0.99, [1, 0.01]), candidate('b', 'b', 0.8, [0, 1])],
      { topK: 3 },
    );
    expect(scores.map(({ id }) => id)).toEqual(['a', 'b', 'a-copy']);
    expect(() => createMmrRanker({ lambda: 1.5 })).toThrow(/lambda/);
  });
});

describe('rerankTopK', () => {
  it('hands the ranker only the best rerankTopK candidates, with their vectors, and keeps the tail in order', async () => {
    const knowledge = setup();
    await knowledge.add(
      Array.from({ length: 8 }, (_, index) => ({ id: `d${index}`, content: `shared words and item ${index}` })),
    );
    const seen: RankCandidate[][] = [];
    const reverse: Ranker = {
      name: 'reverse',
      rank: async (_query, candidates) => {
        seen.push([...candidates]);
        return candidates.map(({ id }, position) => ({ id, score: position }));
      },
    };
    const results = await knowledge.search('shared words', { ranker: reverse, rerankTopK: 3, topK: 5 });
    expect(seen[0]).toHaveLength(3);
    expect(seen[0]?.every((entry) => entry.vector instanceof Float32Array)).toBe(true);
    const head = seen[0]?.map(({ id }) => id) ?? [];
    expect(results.slice(0, 3).map(({ id }) => id)).toEqual([...head].reverse());
    expect(results[0]?.scores.rerank).toBe(2);
    expect(results).toHaveLength(5);
    await expect(knowledge.search('shared', { ranker: reverse, rerankTopK: 0 })).rejects.toMatchObject({
      code: 'invalid-argument',
    });
  });
});
