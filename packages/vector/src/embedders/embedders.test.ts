import * as core from '@agenticgen/core';
import { AgenticGenError, type CacheStore, type Embedder } from '@agenticgen/core';
import { describe, expect, it } from 'vitest';
import * as vector from '../index.js';
import { createCachedEmbedder } from './cached-embedder.js';
import { createTransformersEmbedder, type FeatureExtractor, type TransformersModule } from './transformers-embedder.js';

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

describe('hashing embedder (re-exported from core)', () => {
  it('is the core function and feeds the vector indexes', async () => {
    expect(vector.createHashingEmbedder).toBe(core.createHashingEmbedder);
    const embedder = vector.createHashingEmbedder({ dimensions: 64 });
    // Same id (and vectors) as the embedder this package shipped before it moved to core.
    expect(embedder.id).toBe('hashing-v1-64-w1-2-c3-5x0.5-s0');
    const texts = ['LanceDB stores vectors on disk', 'HNSW is a graph index', 'Cats sleep a lot'];
    const vectors = await embedder.embed(texts);
    const [query] = await embedder.embed(['an HNSW graph index']);
    for (const index of [
      await vector.createFlatIndex({ dimensions: embedder.dimensions, metric: 'cosine' }),
      await vector.createHnswIndex({ dimensions: embedder.dimensions, metric: 'cosine' }),
    ]) {
      await index.upsert(texts.map((text, i) => ({ id: `doc-${i}`, vector: vectors[i]!, metadata: { text } })));
      const matches = await index.query({ vector: query!, topK: 3 });
      expect(matches.map((match) => match.id)).toHaveLength(3);
      expect(matches[0]!.id).toBe('doc-1');
      expect(matches[0]!.score).toBeGreaterThan(matches[2]!.score);
    }
  });
});

/** Counts calls and batch sizes. */
function countingEmbedder(dimensions = 8): Embedder & { batches: string[][] } {
  const inner = vector.createHashingEmbedder({ dimensions });
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
