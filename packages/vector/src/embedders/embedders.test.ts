import { AgenticGenError, type CacheStore, type Embedder } from '@agenticgen/core';
import { describe, expect, it } from 'vitest';
import { createCachedEmbedder } from './cached-embedder.js';
import { createHashingEmbedder } from './hashing-embedder.js';
import { createTransformersEmbedder, type FeatureExtractor, type TransformersModule } from './transformers-embedder.js';

const cosine = (a: Float32Array, b: Float32Array) => a.reduce((sum, value, index) => sum + value * b[index]!, 0);

/** A CacheStore on a Map that records what was stored. */
function mapCache(options: { failing?: boolean } = {}): CacheStore & { entries: Map<string, unknown> } {
  const entries = new Map<string, unknown>();
  return {
    entries,
    async get<T>(key: string) {
      if (options.failing) throw new Error('cache down');
      return structuredClone(entries.get(key)) as T | undefined;
    },
    async set(key, value) {
      if (options.failing) throw new Error('cache down');
      entries.set(key, structuredClone(value));
    },
    async delete(key) {
      entries.delete(key);
    },
    async has(key) {
      return entries.has(key);
    },
    async getOrSet<T>(key: string, loader: () => Promise<T>) {
      if (!entries.has(key)) entries.set(key, await loader());
      return entries.get(key) as T;
    },
  };
}

describe('hashing embedder', () => {
  const embedder = createHashingEmbedder();

  it('is deterministic, L2-normalised and the advertised length', async () => {
    const [a, b] = await embedder.embed(['The quick brown fox', 'The quick brown fox']);
    expect(a).toHaveLength(384);
    expect(Array.from(a!)).toEqual(Array.from(b!));
    expect(cosine(a!, a!)).toBeCloseTo(1, 5);
    expect(embedder.normalized).toBe(true);
    expect(embedder.id).toBe('hashing-v1-384-w1-2-c3-5x0.5-s0');
  });

  it('puts texts sharing words and word pieces closer than unrelated ones (lexical similarity)', async () => {
    const [query, related, inflected, unrelated] = await embedder.embed([
      'vector database search',
      'search a vector database quickly',
      'vectors databases searching',
      'chocolate cake recipe with butter',
    ]);
    expect(cosine(query!, related!)).toBeGreaterThan(0.5);
    expect(cosine(query!, inflected!)).toBeGreaterThan(cosine(query!, unrelated!) + 0.2);
    expect(Math.abs(cosine(query!, unrelated!))).toBeLessThan(0.2);
  });

  it('normalises case and Unicode forms, and gives empty text a unit vector', async () => {
    const [upper, lower, empty, symbols] = await embedder.embed(['ÉCOLE Ｎｏｒｄ', 'école nord', '', '!!! ...']);
    expect(cosine(upper!, lower!)).toBeCloseTo(1, 5);
    expect(cosine(empty!, empty!)).toBeCloseTo(1, 5);
    expect(Array.from(symbols!)).toEqual(Array.from(empty!));
  });

  it('changes the id and the vectors with the configuration', async () => {
    const seeded = createHashingEmbedder({ dimensions: 64, seed: 7, characterNgrams: false });
    expect(seeded.id).toBe('hashing-v1-64-w1-2-c0-s7');
    const [a] = await seeded.embed(['hello world']);
    const [b] = await createHashingEmbedder({ dimensions: 64, characterNgrams: false }).embed(['hello world']);
    expect(Array.from(a!)).not.toEqual(Array.from(b!));
    expect(() => createHashingEmbedder({ wordNgrams: [2, 1] })).toThrow(AgenticGenError);
    expect(() => createHashingEmbedder({ dimensions: 0 })).toThrow(AgenticGenError);
    await expect(embedder.embed([1 as never])).rejects.toMatchObject({ code: 'invalid-argument' });
    await expect(embedder.embed(['x'], { signal: AbortSignal.abort() })).rejects.toMatchObject({ code: 'aborted' });
  });
});

/** Counts calls and batch sizes. */
function countingEmbedder(dimensions = 8): Embedder & { batches: string[][] } {
  const inner = createHashingEmbedder({ dimensions });
  const batches: string[][] = [];
  return {
    id: inner.id,
    dimensions,
    normalized: true,
    batches,
    async embed(texts) {
      batches.push([...texts]);
      return inner.embed(texts);
    },
  };
}

describe('cached embedder', () => {
  it('embeds each distinct text once, in batches, and serves repeats from the cache', async () => {
    const inner = countingEmbedder();
    const cache = mapCache();
    const embedder = createCachedEmbedder(inner, { cache, batchSize: 2 });
    const texts = ['a', 'b', 'a', 'c', 'd', 'e'];
    const first = await embedder.embed(texts);
    expect(inner.batches).toEqual([['a', 'b'], ['c', 'd'], ['e']]);
    expect(Array.from(first[0]!)).toEqual(Array.from(first[2]!));
    expect(embedder.stats()).toEqual({ hits: 0, misses: 5 });
    const second = await embedder.embed(['e', 'a', 'new']);
    expect(inner.batches.at(-1)).toEqual(['new']);
    expect(embedder.stats()).toEqual({ hits: 2, misses: 6 });
    expect(Array.from(second[1]!)).toEqual(Array.from(first[0]!));
    // Keys carry the namespace and the embedder id, so another model never reads these vectors.
    const key = [...cache.entries.keys()][0]!;
    expect(key).toMatch(new RegExp(`^embedding:${inner.id}:[0-9a-f]{64}$`));
    // Results are copies: mutating one does not change the cache.
    second[1]![0] = 42;
    const [again] = await embedder.embed(['a']);
    expect(again![0]).not.toBe(42);
  });

  it('keeps working when the cache fails, and rejects wrong embedder output', async () => {
    const inner = countingEmbedder();
    const embedder = createCachedEmbedder(inner, { cache: mapCache({ failing: true }) });
    expect(await embedder.embed(['x', 'y'])).toHaveLength(2);
    const broken: Embedder = {
      id: 'broken',
      dimensions: 4,
      normalized: false,
      embed: async () => [new Float32Array(3)],
    };
    await expect(createCachedEmbedder(broken, { cache: mapCache() }).embed(['x'])).rejects.toMatchObject({
      code: 'dimension-mismatch',
    });
    const short: Embedder = { id: 'short', dimensions: 4, normalized: false, embed: async () => [] };
    await expect(createCachedEmbedder(short, { cache: mapCache() }).embed(['x'])).rejects.toMatchObject({
      code: 'invalid-response',
    });
    expect(() => createCachedEmbedder(inner, {} as never)).toThrow(AgenticGenError);
  });
});

describe('transformers.js embedder (injected module)', () => {
  function fakeTransformers(width: number) {
    const calls: { model: string; options: Record<string, unknown> | undefined; batches: number[] } = {
      model: '',
      options: undefined,
      batches: [],
    };
    const module: TransformersModule = {
      env: { allowRemoteModels: true, allowLocalModels: false, localModelPath: '/models/' },
      async pipeline(_task, model, options) {
        calls.model = model;
        calls.options = options;
        const extractor: FeatureExtractor = async (texts, extractOptions) => {
          calls.batches.push(texts.length);
          expect(extractOptions).toEqual({ pooling: 'mean', normalize: true });
          const data = new Float32Array(texts.length * width);
          texts.forEach((text, row) => {
            data[row * width + (text.length % width)] = 1;
          });
          return { data, dims: [texts.length, width] };
        };
        return extractor;
      },
    };
    return { module, calls };
  }

  it('loads only from the local directory, measures dimensions and batches', async () => {
    const { module, calls } = fakeTransformers(6);
    const embedder = await createTransformersEmbedder({
      modelPath: '/srv/models/all-MiniLM-L6-v2/',
      transformers: module,
      batchSize: 3,
      dtype: 'q8',
    });
    expect(module.env).toEqual({ allowRemoteModels: false, allowLocalModels: true, localModelPath: '/srv/models/' });
    expect(calls.model).toBe('all-MiniLM-L6-v2');
    expect(calls.options).toEqual({ local_files_only: true, dtype: 'q8' });
    expect(embedder.dimensions).toBe(6);
    expect(embedder.id).toBe('transformers:all-MiniLM-L6-v2:mean:normalized:q8');
    const vectors = await embedder.embed(['a', 'bb', 'ccc', 'dddd', 'eeeee']);
    expect(calls.batches).toEqual([1, 3, 2]);
    expect(vectors.map((vector) => vector.indexOf(1))).toEqual([1, 2, 3, 4, 5]);
  });

  it('reports load failures and malformed outputs with codes', async () => {
    const failing: TransformersModule = {
      env: { allowRemoteModels: true, allowLocalModels: true, localModelPath: '' },
      pipeline: async () => {
        throw new Error('ENOENT config.json');
      },
    };
    await expect(createTransformersEmbedder({ modelPath: '/nope', transformers: failing })).rejects.toMatchObject({
      code: 'invalid-config',
    });
    const tokens: TransformersModule = {
      env: { allowRemoteModels: true, allowLocalModels: true, localModelPath: '' },
      pipeline: async () => async (texts: string[]) => ({
        data: new Float32Array(texts.length * 12),
        dims: [texts.length, 3, 4],
      }),
    };
    await expect(createTransformersEmbedder({ modelPath: 'model', transformers: tokens })).rejects.toMatchObject({
      code: 'invalid-response',
    });
    await expect(createTransformersEmbedder({ modelPath: '' })).rejects.toMatchObject({ code: 'invalid-config' });
  });
});
