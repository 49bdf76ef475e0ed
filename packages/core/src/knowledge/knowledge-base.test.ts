import { describe, expect, it, vi } from 'vitest';
import type { CacheStore } from '../contracts/cache-store.js';
import type { Embedder } from '../contracts/embedder.js';
import type { Ranker } from '../contracts/ranker.js';
import { createHashingEmbedder } from './hashing-embedder.js';
import { createKnowledgeBase, type KnowledgeDocument, type KnowledgeEvents } from './knowledge-base.js';
import { createMemoryVectorStore } from './memory-vector-store.js';

/** A small corpus with one clear answer per question. */
const corpus: KnowledgeDocument[] = [
  {
    id: 'volcano',
    source: 'geo/volcanoes.md',
    format: 'markdown',
    metadata: { topic: 'science', year: 2021 },
    content:
      '# Volcanoes\nA volcano erupts when magma rises through the crust. Lava flows and ash clouds follow an eruption. Mauna Loa in Hawaii is the largest active volcano.',
  },
  {
    id: 'bread',
    source: 'food/bread.html',
    format: 'html',
    metadata: { topic: 'cooking', year: 2019 },
    content:
      '<h1>Sourdough bread</h1><p>Sourdough bread rises with a wild yeast starter. Feed the starter flour and water daily, then bake the loaf in a hot Dutch oven.</p>',
  },
  {
    id: 'tides',
    source: 'geo/tides.txt',
    metadata: { topic: 'science', year: 2018 },
    content:
      'Ocean tides are caused by the gravitational pull of the Moon and the Sun. Spring tides happen at full and new moon; neap tides at the quarter moons.',
  },
  {
    id: 'chess',
    source: 'games/chess.txt',
    metadata: { topic: 'games', year: 2022 },
    content:
      'In chess, castling moves the king two squares toward a rook. The rook then jumps over the king. You cannot castle out of check.',
  },
  {
    id: 'photosynthesis',
    source: 'bio/plants.txt',
    metadata: { topic: 'science', year: 2023 },
    content:
      'Photosynthesis converts sunlight, water and carbon dioxide into glucose and oxygen inside chloroplasts of plant leaves.',
  },
  {
    id: 'espresso',
    source: 'food/coffee.txt',
    metadata: { topic: 'cooking', year: 2024 },
    content:
      'Espresso is brewed by forcing hot water at nine bars of pressure through finely ground coffee for about 25 seconds.',
  },
  {
    id: 'bitcoin',
    source: 'tech/bitcoin.txt',
    metadata: { topic: 'tech', year: 2020 },
    content:
      'Bitcoin miners compete to find a nonce whose block hash is below the difficulty target; the winner earns the block reward.',
  },
  {
    id: 'tcp',
    source: 'tech/tcp.txt',
    metadata: { topic: 'tech', year: 2017 },
    content:
      'TCP opens a connection with a three-way handshake: SYN, SYN-ACK, ACK. Lost segments are retransmitted after a timeout.',
  },
];

const questions: Array<[string, string]> = [
  ['Why does a volcano erupt?', 'volcano'],
  ['How do I feed a sourdough starter?', 'bread'],
  ['What causes spring tides?', 'tides'],
  ['Can the king castle when in check?', 'chess'],
  ['Where does photosynthesis happen in leaves?', 'photosynthesis'],
  ['How much pressure does espresso brewing need?', 'espresso'],
  ['What do bitcoin miners search for?', 'bitcoin'],
  ['Explain the TCP handshake', 'tcp'],
];

function setup(embedder: Embedder = createHashingEmbedder({ dimensions: 256 })) {
  const vectorStore = createMemoryVectorStore({ dimensions: embedder.dimensions });
  return {
    knowledge: createKnowledgeBase({ vectorStore, embedder, chunking: { chunkSize: 40, chunkOverlap: 8 } }),
    vectorStore,
  };
}

/** Counts embed calls and texts, to prove re-ingest does no work. */
function countingEmbedder() {
  const inner = createHashingEmbedder({ dimensions: 128 });
  const counter = { calls: 0, texts: 0 };
  const embedder: Embedder = {
    ...inner,
    embed: (texts, options) => {
      counter.calls++;
      counter.texts += texts.length;
      return inner.embed(texts, options);
    },
  };
  return { embedder, counter };
}

describe('knowledge base retrieval quality', () => {
  it('hybrid search puts the right document first for every question of the corpus', async () => {
    const { knowledge } = setup();
    await knowledge.add(corpus);
    for (const [question, expected] of questions) {
      const [top] = await knowledge.search(question, { topK: 3 });
      expect({ question, got: top?.documentId }).toEqual({ question, got: expected });
    }
  });

  it('vector search alone puts the right document first with the offline embedder', async () => {
    // Default "words" analysis at 256 dimensions, and "terms" analysis (stop words out, stemming), which keeps
    // every answer right at 128 dimensions where plain words collide too much (6 of 8 there).
    for (const embedder of [
      createHashingEmbedder({ dimensions: 256 }),
      createHashingEmbedder({ dimensions: 128, textAnalysis: 'terms' }),
    ]) {
      const { knowledge } = setup(embedder);
      await knowledge.add(corpus);
      for (const [question, expected] of questions) {
        const [top] = await knowledge.search(question, { topK: 3, mode: 'vector' });
        expect({ embedder: embedder.id, question, got: top?.documentId }).toEqual({
          embedder: embedder.id,
          question,
          got: expected,
        });
      }
    }
  });

  it('results carry source, chunk text, index and per-stage scores', async () => {
    const { knowledge } = setup();
    await knowledge.add(corpus);
    const [top] = await knowledge.search('sourdough starter flour', { topK: 1 });
    expect(top).toMatchObject({
      id: 'bread#0',
      documentId: 'bread',
      source: 'food/bread.html',
      chunkIndex: 0,
      heading: 'Sourdough bread',
      metadata: { topic: 'cooking', year: 2019, documentId: 'bread' },
    });
    expect(top?.text).toContain('wild yeast starter');
    expect(top?.text).not.toContain('<p>');
    expect(top?.scores.vector).toBeGreaterThan(0);
    expect(top?.scores.keyword).toBeGreaterThan(0);
    expect(top?.score).toBe(top?.scores.fused);
  });

  it('keyword search finds exact rare terms the lexical vectors rank lower, and hybrid keeps them', async () => {
    const { knowledge } = setup(createHashingEmbedder({ dimensions: 16 }));
    await knowledge.add(corpus);
    const keyword = await knowledge.search('nonce', { mode: 'keyword', topK: 1 });
    expect(keyword[0]?.documentId).toBe('bitcoin');
    const hybrid = await knowledge.search('nonce', { topK: 3 });
    expect(hybrid.map((result) => result.documentId)).toContain('bitcoin');
  });

  it('metadata filters apply to vector and keyword retrieval', async () => {
    const { knowledge } = setup();
    await knowledge.add(corpus);
    const results = await knowledge.search('water', { topK: 10, filter: { topic: 'cooking', year: { $gte: 2020 } } });
    expect(results.map((result) => result.documentId)).toEqual(['espresso']);
    await expect(knowledge.search('water', { filter: { year: { $near: 1 } } as never })).rejects.toMatchObject({
      code: 'invalid-filter',
    });
  });

  it('MMR trades near-duplicates for diversity', async () => {
    const { knowledge } = setup();
    const duplicate = 'Volcano eruption facts: magma rises, lava flows, ash falls from the volcano.';
    await knowledge.add([
      { id: 'v1', content: duplicate },
      { id: 'v2', content: duplicate },
      { id: 'v3', content: `${duplicate} Indeed.` },
      { id: 'other', content: 'Volcano tourism: visiting a dormant volcano crater safely with a guide.' },
    ]);
    const plain = await knowledge.search('volcano lava magma', { topK: 2, mode: 'vector' });
    expect(plain.map((result) => result.documentId)).not.toContain('other');
    const diverse = await knowledge.search('volcano lava magma', { topK: 2, mode: 'vector', mmr: { lambda: 0.5 } });
    expect(diverse.map((result) => result.documentId)).toContain('other');
  });

  it('a Ranker reorders and filters candidates', async () => {
    const { knowledge } = setup();
    await knowledge.add(corpus);
    const seen: string[] = [];
    const preferTech: Ranker = {
      name: 'prefer-tech',
      async rank(query, candidates) {
        seen.push(query);
        return candidates
          .filter((candidate) => candidate.metadata.topic === 'tech')
          .map((candidate) => ({ id: candidate.id, score: candidate.metadata.year === 2017 ? 2 : 1 }));
      },
    };
    const results = await knowledge.search('handshake block hash', { topK: 5, ranker: preferTech });
    expect(seen).toEqual(['handshake block hash']);
    expect(results.map((result) => [result.documentId, result.scores.rerank])).toEqual([
      ['tcp', 2],
      ['bitcoin', 1],
    ]);
  });
});

describe('knowledge base ingestion', () => {
  it('re-ingesting unchanged content is a no-op; changed content replaces old chunks', async () => {
    const { embedder, counter } = countingEmbedder();
    const vectorStore = createMemoryVectorStore({ dimensions: embedder.dimensions });
    const knowledge = createKnowledgeBase({
      vectorStore,
      embedder,
      chunking: { strategy: 'tokens', chunkSize: 10, chunkOverlap: 0 },
    });
    const long = Array.from({ length: 35 }, (_, index) => `alpha${index}`).join(' ');
    const first = await knowledge.add({ id: 'doc', content: long });
    expect(first).toMatchObject({ added: ['doc'], chunks: 4 });
    expect(await vectorStore.count()).toBe(4);
    const calls = counter.calls;

    const again = await knowledge.add({ id: 'doc', content: long });
    expect(again).toEqual({ added: [], updated: [], unchanged: ['doc'], chunks: 0 });
    expect(counter.calls).toBe(calls);

    const shorter = await knowledge.update({ id: 'doc', content: 'beta gamma delta' });
    expect(shorter).toMatchObject({ updated: ['doc'], chunks: 1 });
    expect(await vectorStore.count()).toBe(1);
    expect((await knowledge.search('alpha3', { mode: 'keyword' })).length).toBe(0);
    expect((await knowledge.search('gamma'))[0]?.id).toBe('doc#0');
    // Metadata changes count as changes too (chunks carry it).
    expect((await knowledge.add({ id: 'doc', content: 'beta gamma delta', metadata: { lang: 'en' } })).updated).toEqual(
      ['doc'],
    );
  });

  it('delete removes chunks from the vector store and the keyword index', async () => {
    const { knowledge, vectorStore } = setup();
    await knowledge.add(corpus);
    expect(await knowledge.delete(['tcp', 'missing'])).toBe(1);
    expect(knowledge.get('tcp')).toBeUndefined();
    expect(knowledge.list()).toHaveLength(corpus.length - 1);
    const results = await knowledge.search('TCP handshake SYN', { topK: 10 });
    expect(results.map((result) => result.documentId)).not.toContain('tcp');
    expect(await vectorStore.count()).toBe(corpus.length - 1);
  });

  it('emits progress events per embedded batch on large ingests', async () => {
    const embedder = createHashingEmbedder({ dimensions: 64 });
    const knowledge = createKnowledgeBase({
      vectorStore: createMemoryVectorStore({ dimensions: 64 }),
      embedder,
      batchSize: 10,
      chunking: { strategy: 'tokens', chunkSize: 5, chunkOverlap: 0 },
    });
    const progress: KnowledgeEvents['ingest-progress'][] = [];
    const added: string[] = [];
    knowledge.events.on('ingest-progress', (event) => {
      progress.push(event);
    });
    knowledge.events.on('document-add', (event) => {
      added.push(event.documentId);
    });
    const words = Array.from({ length: 125 }, (_, index) => `w${index}`).join(' ');
    await knowledge.add([
      { id: 'a', content: words },
      { id: 'b', content: 'short one' },
    ]);
    expect(progress.filter((event) => event.documentId === 'a').map((event) => event.completedChunks)).toEqual([
      10, 20, 25,
    ]);
    expect(progress.at(-1)).toMatchObject({
      documentId: 'b',
      completedDocuments: 1,
      totalDocuments: 2,
      totalChunks: 1,
    });
    expect(added).toEqual(['a', 'b']);
  });

  it('a failing embedder leaves the previous version intact', async () => {
    const inner = createHashingEmbedder({ dimensions: 32 });
    let fail = false;
    const embedder: Embedder = {
      ...inner,
      embed: (texts, options) => (fail ? Promise.reject(new Error('quota exceeded')) : inner.embed(texts, options)),
    };
    const knowledge = createKnowledgeBase({ vectorStore: createMemoryVectorStore({ dimensions: 32 }), embedder });
    await knowledge.add({ id: 'doc', content: 'the original text about zebras' });
    fail = true;
    await expect(knowledge.add({ id: 'doc', content: 'replacement text about lions' })).rejects.toThrow(/quota/);
    fail = false;
    expect((await knowledge.search('zebras'))[0]?.text).toBe('the original text about zebras');
  });

  it('rejects bad input with clear codes', async () => {
    const { knowledge } = setup();
    await expect(knowledge.add({ id: 'x#1', content: 'a' })).rejects.toMatchObject({ code: 'invalid-argument' });
    await expect(knowledge.add({ id: 'x', content: 'a', metadata: { text: 'no' } })).rejects.toMatchObject({
      code: 'invalid-argument',
      message: expect.stringContaining('reserved'),
    });
    await expect(knowledge.update({ id: 'nope', content: 'a' })).rejects.toMatchObject({ code: 'not-found' });
    await expect(knowledge.search('  ')).rejects.toMatchObject({ code: 'invalid-argument' });
    expect(() =>
      createKnowledgeBase({
        vectorStore: createMemoryVectorStore({ dimensions: 3 }),
        embedder: createHashingEmbedder({ dimensions: 8 }),
      }),
    ).toThrow(expect.objectContaining({ code: 'invalid-config' }));
  });

  it('with a registry, a new instance restores the index and re-ingesting unchanged documents stays a no-op', async () => {
    const data = new Map<string, string>();
    const registry: CacheStore = {
      get: async <T>(key: string) => (data.has(key) ? (JSON.parse(data.get(key) as string) as T) : undefined),
      set: async (key, value) => void data.set(key, JSON.stringify(value)),
      delete: async (key) => void data.delete(key),
      has: async (key) => data.has(key),
      getOrSet: async <T>(_key: string, loader: () => Promise<T>) => loader(),
    };
    const { embedder, counter } = countingEmbedder();
    const vectorStore = createMemoryVectorStore({ dimensions: embedder.dimensions });
    const first = createKnowledgeBase({ vectorStore, embedder, registry });
    await first.add(corpus);

    // A "restart": new knowledge base over the same (persistent) vector store and registry.
    const second = createKnowledgeBase({ vectorStore, embedder, registry });
    expect(await second.restore()).toBe(corpus.length);
    const embedded = counter.texts;
    expect(await second.add(corpus)).toMatchObject({ unchanged: corpus.map((document) => document.id), chunks: 0 });
    expect(counter.texts).toBe(embedded);
    const [hit] = await second.search('nonce', { mode: 'keyword', topK: 1 });
    expect(hit?.documentId).toBe('bitcoin');
    expect(second.get('tcp')?.chunkCount).toBeGreaterThan(0);

    await second.delete('tcp');
    const third = createKnowledgeBase({ vectorStore, embedder, registry });
    expect(await third.restore()).toBe(corpus.length - 1);
    await expect(createKnowledgeBase({ vectorStore, embedder }).restore()).rejects.toMatchObject({
      code: 'unsupported',
    });
  });

  it('detects changes without Web Crypto subtle (pages served over plain http)', async () => {
    const real = globalThis.crypto;
    vi.stubGlobal('crypto', { getRandomValues: real.getRandomValues.bind(real) });
    try {
      const { knowledge } = setup();
      expect((await knowledge.add({ id: 'a', content: 'first version' })).added).toEqual(['a']);
      expect((await knowledge.add({ id: 'a', content: 'first version' })).unchanged).toEqual(['a']);
      expect((await knowledge.add({ id: 'a', content: 'first versioN' })).updated).toEqual(['a']);
      // The same SHA-256 as in secure contexts (computed in JavaScript), so registries move between both.
      expect(knowledge.get('a')?.hash).toMatch(/^[0-9a-f]{64}$/);
    } finally {
      vi.unstubAllGlobals();
    }
  });
});
