import { describe, expect, it } from 'vitest';
import { AgenticGenError } from '../errors/agenticgen-error.js';
import { createHashingEmbedder } from './hashing-embedder.js';
import { yieldToEventLoop } from './ingest-pacing.js';

const cosine = (a?: Float32Array, b?: Float32Array) =>
  Array.from(a ?? []).reduce((sum, value, index) => sum + value * (b?.[index] ?? 0), 0);

describe('hashing embedder', () => {
  const embedder = createHashingEmbedder();

  it('is deterministic, L2-normalised and the advertised length, with an id naming its configuration', async () => {
    const [a, b] = await embedder.embed(['The quick brown fox', 'The quick brown fox']);
    expect(a).toHaveLength(384);
    expect(embedder.dimensions).toBe(384);
    expect(Array.from(a ?? [])).toEqual(Array.from(b ?? []));
    expect(cosine(a, a)).toBeCloseTo(1, 5);
    expect(embedder.normalized).toBe(true);
    expect(embedder.id).toBe('hashing-v1-384-w1-2-c3-5x0.5-s0');
    expect(createHashingEmbedder({ textAnalysis: 'terms' }).id).toBe('hashing-v1-384-w1-2-c3-5x0.5-s0-terms');
  });

  it('keeps producing the same vectors for the same id (stored indexes and caches stay valid)', async () => {
    // Reference values computed by the implementation that shipped in @agenticgen/vector (the default "words"
    // analysis): a change here silently invalidates every stored vector, so it must come with a new id.
    const text = 'Sourdough bread rises with a wild yeast starter.';
    const [words] = await embedder.embed([text]);
    expect(words?.[348]).toBeCloseTo(-0.363453, 5);
    expect(words?.[29]).toBeCloseTo(0.290763, 5);
    expect(words?.[111]).toBeCloseTo(-0.218072, 5);
    expect(Array.from(words ?? []).filter((value) => value !== 0)).toHaveLength(83);
    const [terms] = await createHashingEmbedder({ textAnalysis: 'terms' }).embed([text]);
    expect(terms?.[29]).toBeCloseTo(1 / 3, 5);
    expect(terms?.[348]).toBeCloseTo(-0.25, 5);
    expect(Array.from(terms ?? []).filter((value) => value !== 0)).toHaveLength(76);
  });

  it('puts texts sharing words and word pieces closer than unrelated ones (lexical similarity)', async () => {
    for (const textAnalysis of ['terms', 'words'] as const) {
      const [query, related, inflected, unrelated] = await createHashingEmbedder({ textAnalysis }).embed([
        'vector database search',
        'search a vector database quickly',
        'vectors databases searching',
        'chocolate cake recipe with butter',
      ]);
      expect(cosine(query, related)).toBeGreaterThan(0.5);
      expect(cosine(query, inflected)).toBeGreaterThan(cosine(query, unrelated) + 0.2);
      expect(Math.abs(cosine(query, unrelated))).toBeLessThan(0.2);
    }
  });

  it('with "terms" analysis, word forms and stop words do not separate texts', async () => {
    const terms = createHashingEmbedder({ dimensions: 256, textAnalysis: 'terms' });
    const [indexing, index, banana] = await terms.embed([
      'indexing vectors quickly',
      'the vector index',
      'banana smoothie recipe',
    ]);
    expect(cosine(indexing, index)).toBeGreaterThan(cosine(indexing, banana) + 0.2);
    const [stemmed, plain] = await terms.embed(['The indexes of the databases', 'index database']);
    expect(cosine(stemmed, plain)).toBeCloseTo(1, 5);
    const [wordsStemmed, wordsPlain] = await createHashingEmbedder({ dimensions: 256 }).embed([
      'The indexes of the databases',
      'index database',
    ]);
    expect(cosine(wordsStemmed, wordsPlain)).toBeLessThan(0.9);
  });

  it('normalises case and Unicode forms, and gives empty text a unit vector', async () => {
    for (const textAnalysis of ['terms', 'words'] as const) {
      const [upper, lower, empty, symbols] = await createHashingEmbedder({ textAnalysis }).embed([
        'ÉCOLE Ｎｏｒｄ',
        'école nord',
        '',
        '!!! ...',
      ]);
      expect(cosine(upper, lower)).toBeCloseTo(1, 5);
      expect(cosine(empty, empty)).toBeCloseTo(1, 5);
      expect(Array.from(symbols ?? [])).toEqual(Array.from(empty ?? []));
    }
  });

  it('lets the event loop run while embedding a large batch, with the same vectors', async () => {
    const embedder = createHashingEmbedder({ dimensions: 64 });
    const texts = Array.from({ length: 64 }, (_, index) => `refund request ${index} `.repeat(100));
    let embedding = true;
    let ranDuringEmbed = false;
    // A macrotask queued before the call runs before it returns only if embed() yields to the event loop.
    void yieldToEventLoop().then(() => {
      ranDuringEmbed = embedding;
    });
    const vectors = await embedder.embed(texts);
    embedding = false;
    expect(ranDuringEmbed).toBe(true);
    const [alone] = await embedder.embed([texts[40] as string]);
    expect(vectors[40]).toEqual(alone);
  });

  it('counts repeats sublinearly and word order through word pairs', async () => {
    const unigrams = createHashingEmbedder({ textAnalysis: 'words', characterNgrams: false, wordNgrams: [1, 1] });
    const [once, many] = await unigrams.embed(['apple pie', 'apple apple apple apple apple pie']);
    // Raw counts (5, 1) would give cosine 0.83 with (1, 1); 1 + ln 5 ≈ 2.61 keeps the texts at 0.91.
    expect(cosine(once, many)).toBeCloseTo(0.913, 2);
    const [forward, backward] = await unigrams.embed(['apple pie', 'pie apple']);
    expect(cosine(forward, backward)).toBeCloseTo(1, 5);
    const pairs = createHashingEmbedder({ textAnalysis: 'words', characterNgrams: false });
    const [pairForward, pairBackward] = await pairs.embed(['apple pie', 'pie apple']);
    expect(cosine(pairForward, pairBackward)).toBeLessThan(0.7);
  });

  it('changes the id and the vectors with the configuration', async () => {
    const seeded = createHashingEmbedder({ dimensions: 64, seed: 7, characterNgrams: false });
    expect(seeded.id).toBe('hashing-v1-64-w1-2-c0-s7');
    const [a] = await seeded.embed(['hello world']);
    const [b] = await createHashingEmbedder({ dimensions: 64, characterNgrams: false }).embed(['hello world']);
    expect(Array.from(a ?? [])).not.toEqual(Array.from(b ?? []));
    const weighted = createHashingEmbedder({ wordNgrams: [1, 3], characterNgrams: [2, 4], characterWeight: 1.5 });
    expect(weighted.id).toBe('hashing-v1-384-w1-3-c2-4x1.5-s0');
  });

  it('rejects bad options with invalid-config and bad input with invalid-argument or aborted', async () => {
    const bad: Array<[string, Parameters<typeof createHashingEmbedder>[0]]> = [
      ['dimensions', { dimensions: 0 }],
      ['dimensions', { dimensions: 2 }],
      ['dimensions', { dimensions: 12.5 }],
      ['dimensions', { dimensions: 70_000 }],
      ['wordNgrams', { wordNgrams: [2, 1] }],
      ['wordNgrams', { wordNgrams: [0, 1] }],
      ['characterNgrams', { characterNgrams: [3, 17] }],
      ['characterNgrams', { characterNgrams: [3] as never }],
      ['characterWeight', { characterWeight: -1 }],
      ['characterWeight', { characterWeight: Number.NaN }],
      ['seed', { seed: 1.5 }],
      ['textAnalysis', { textAnalysis: 'stemmed' as never }],
    ];
    for (const [option, options] of bad) {
      let error: unknown;
      try {
        createHashingEmbedder(options);
      } catch (caught) {
        error = caught;
      }
      expect(error, option).toBeInstanceOf(AgenticGenError);
      expect(error, option).toMatchObject({ code: 'invalid-config', data: { option } });
      expect((error as Error).message, option).toMatch(new RegExp(`^\\[knowledge\\] hashing embedder ${option}`));
    }
    await expect(embedder.embed([1 as never])).rejects.toMatchObject({ code: 'invalid-argument' });
    await expect(embedder.embed('text' as never)).rejects.toMatchObject({ code: 'invalid-argument' });
    await expect(embedder.embed(['x'], { signal: AbortSignal.abort() })).rejects.toMatchObject({ code: 'aborted' });
    await expect(embedder.embed([], { signal: AbortSignal.abort() })).rejects.toMatchObject({ code: 'aborted' });
    expect(await embedder.embed([])).toEqual([]);
  });
});
