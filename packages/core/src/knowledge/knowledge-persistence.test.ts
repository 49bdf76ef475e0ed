import { describe, expect, it } from 'vitest';
import type { CacheSetOptions, CacheStore } from '../contracts/cache-store.js';
import { createHashingEmbedder } from './hashing-embedder.js';
import { createKnowledgeBase, type KnowledgeDocument } from './knowledge-base.js';
import { createMemoryVectorStore } from './memory-vector-store.js';

const documents: KnowledgeDocument[] = [
  { id: 'tides', content: 'Ocean tides are caused by the gravitational pull of the Moon and the Sun.' },
  { id: 'chess', content: 'In chess, castling moves the king two squares toward a rook.' },
  { id: 'bread', content: 'Sourdough bread rises with a wild yeast starter fed with flour and water.' },
];

const hour = 3_600_000;

/**
 * A CacheStore that expires entries like `createCache` does: `ttlMs` omitted means the default of one hour,
 * `Infinity` never expires. `maxTtlMs` caps every entry (a store that evicts whatever it holds, e.g. a Redis
 * with an eviction policy). Time is the `clock` the test moves.
 */
function expiringStore(options: { maxTtlMs?: number } = {}) {
  const clock = { now: 0 };
  const entries = new Map<string, { json: string; expiresAt: number }>();
  const live = (key: string) => {
    const entry = entries.get(key);
    if (entry !== undefined && clock.now >= entry.expiresAt) entries.delete(key);
    return entries.get(key);
  };
  const store: CacheStore = {
    get: async <T>(key: string) => {
      const entry = live(key);
      return entry === undefined ? undefined : (JSON.parse(entry.json) as T);
    },
    set: async (key: string, value: unknown, setOptions: CacheSetOptions = {}) => {
      const ttlMs = Math.min(setOptions.ttlMs ?? hour, options.maxTtlMs ?? Number.POSITIVE_INFINITY);
      entries.set(key, { json: JSON.stringify(value), expiresAt: clock.now + ttlMs });
    },
    delete: async (key) => void entries.delete(key),
    has: async (key) => live(key) !== undefined,
    getOrSet: async <T>(_key: string, loader: () => Promise<T>) => loader(),
  };
  return { store, clock };
}

function setup(registry: CacheStore, registryKey?: string) {
  const embedder = createHashingEmbedder({ dimensions: 64 });
  const vectorStore = createMemoryVectorStore({ dimensions: embedder.dimensions });
  const knowledge = createKnowledgeBase({ vectorStore, embedder, registry, ...(registryKey ? { registryKey } : {}) });
  return { embedder, vectorStore, knowledge };
}

describe('knowledge base persistence', () => {
  it('the document registry does not expire with the store default TTL: restore() a day later finds everything', async () => {
    const { store, clock } = expiringStore();
    const { embedder, vectorStore, knowledge } = setup(store);
    await knowledge.add(documents);
    clock.now += 24 * hour;
    const restarted = createKnowledgeBase({ vectorStore, embedder, registry: store });
    expect(await restarted.restore()).toBe(documents.length);
    expect((await restarted.add(documents)).unchanged).toEqual(documents.map((document) => document.id));
    const [hit] = await restarted.search('castling', { mode: 'keyword', topK: 1 });
    expect(hit?.documentId).toBe('chess');
  });

  it('restore() fails loudly when the vector store holds chunks but the registry expired', async () => {
    const { store, clock } = expiringStore({ maxTtlMs: hour });
    const { embedder, vectorStore, knowledge } = setup(store, 'my-docs');
    await knowledge.add(documents);
    clock.now += 2 * hour;
    const restarted = createKnowledgeBase({ vectorStore, embedder, registry: store, registryKey: 'my-docs' });
    const failure = await restarted.restore().catch((error: unknown) => error);
    expect(failure).toMatchObject({
      code: 'not-found',
      message: expect.stringMatching(/registry "my-docs".*vector store holds \d+ chunk/),
      data: { registryKey: 'my-docs' },
    });
    // Nothing was half-restored: the knowledge base is still empty, and an empty vector store restores nothing.
    expect(restarted.list()).toEqual([]);
    const fresh = setup(expiringStore().store);
    expect(await fresh.knowledge.restore()).toBe(0);
  });
});
