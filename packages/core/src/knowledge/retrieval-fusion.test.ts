import { describe, expect, it } from 'vitest';
import { AgenticGenError } from '../errors/agenticgen-error.js';
import { evaluateRetrieval, formatRetrievalTable } from './evaluate-retrieval.js';
import { createHashingEmbedder } from './hashing-embedder.js';
import { createKnowledgeBase, type KnowledgeDocument } from './knowledge-base.js';
import { createMemoryVectorStore } from './memory-vector-store.js';
import { weightedScoreFusion } from './ranking.js';

const documents: KnowledgeDocument[] = [
  { id: 'tides', content: 'Ocean tides follow the pull of the Moon and the Sun; spring tides come at full moon.' },
  { id: 'chess', content: 'Castling moves the king two squares toward a rook, which jumps over the king.' },
  { id: 'bread', content: 'Sourdough rises with a wild yeast starter fed with flour and water every day.' },
  { id: 'volcano', content: 'A volcano erupts when magma rises through the crust; lava and ash follow.' },
];

function setup() {
  const embedder = createHashingEmbedder({ dimensions: 256 });
  return createKnowledgeBase({ embedder, vectorStore: createMemoryVectorStore({ dimensions: 256 }) });
}

describe('relevance floor', () => {
  it('a query of words absent from every document returns nothing, in every mode', async () => {
    const knowledge = setup();
    await knowledge.add(documents);
    for (const mode of ['hybrid', 'vector', 'keyword'] as const) {
      expect(await knowledge.search('zxqv plonkwarble', { mode })).toEqual([]);
    }
    // The floor can be lifted for semantic embedders; the vector retriever then answers with its nearest.
    expect((await knowledge.search('zxqv plonkwarble', { mode: 'vector', relevanceFloor: false })).length).toBe(4);
  });
});

describe('weighted fusion', () => {
  it('keeps non-negative scores in proportion to the best and weights each retriever', () => {
    const fused = weightedScoreFusion([
      {
        scores: new Map([
          ['a', 10],
          ['b', 5],
        ]),
        weight: 0.8,
      },
      {
        scores: new Map([
          ['a', 0.2],
          ['b', 0.4],
        ]),
        weight: 0.2,
      },
    ]);
    expect(fused.get('a')).toBeCloseTo(0.8 + 0.1);
    expect(fused.get('b')).toBeCloseTo(0.4 + 0.2);
  });

  it('weights decide between the retrievers, and weights are validated', async () => {
    const knowledge = setup();
    await knowledge.add(documents);
    const keywordOnly = await knowledge.search('king rook', { fusion: { keywordWeight: 1, vectorWeight: 0 } });
    const bm25 = await knowledge.search('king rook', { mode: 'keyword' });
    expect(keywordOnly.map((result) => result.id).slice(0, bm25.length)).toEqual(bm25.map((result) => result.id));
    const rrf = await knowledge.search('king rook', { fusion: { method: 'rrf' } });
    expect(rrf[0]?.documentId).toBe('chess');
    await expect(knowledge.search('king', { fusion: { keywordWeight: -1 } })).rejects.toMatchObject({
      code: 'invalid-argument',
    });
    await expect(knowledge.search('king', { fusion: { keywordWeight: 0, vectorWeight: 0 } })).rejects.toThrow(
      AgenticGenError,
    );
  });
});

describe('evaluateRetrieval', () => {
  it('measures recall@k, MRR and nDCG and lists the misses', async () => {
    const knowledge = setup();
    await knowledge.add(documents);
    const report = await evaluateRetrieval(
      knowledge,
      {
        name: 'tiny',
        queries: [
          { id: 'q1', query: 'sourdough starter', relevant: ['bread'] },
          { id: 'q2', query: 'moon tides', relevant: ['tides#0'] },
          // Answered by a document, but labelled with another: a miss at rank > 1 or absent.
          { id: 'q3', query: 'magma crust', relevant: ['chess'] },
        ],
      },
      { k: [1, 2] },
    );
    expect(report.queries).toBe(3);
    expect(report.recall[1]).toBeCloseTo(2 / 3);
    expect(report.misses.map((miss) => miss.id)).toEqual(['q3']);
    expect(report.misses[0]?.top[0]).toBe('volcano#0');
    const missRank = report.misses[0]?.rank;
    expect(report.mrr).toBeCloseTo((2 + (missRank === null || missRank === undefined ? 0 : 1 / missRank)) / 3);
    expect(report.ndcg[1]).toBeCloseTo(2 / 3);
    expect(formatRetrievalTable([{ report }])).toMatch(/^run\s+queries\s+R@1\s+R@2\s+MRR/);
    expect(JSON.parse(JSON.stringify(report))).toEqual(report);
  });

  it('rejects empty datasets and queries without a relevant id', async () => {
    const knowledge = setup();
    await expect(evaluateRetrieval(knowledge, { name: 'empty', queries: [] })).rejects.toMatchObject({
      code: 'invalid-argument',
    });
    await expect(
      evaluateRetrieval(knowledge, { name: 'bad', queries: [{ id: 'x', query: 'q', relevant: [] }] }),
    ).rejects.toMatchObject({ code: 'invalid-argument' });
    await expect(
      evaluateRetrieval(knowledge, { name: 'k', queries: [{ id: 'x', query: 'q', relevant: ['a'] }] }, { k: [0] }),
    ).rejects.toMatchObject({ code: 'invalid-argument' });
  });
});
