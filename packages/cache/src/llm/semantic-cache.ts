import type { Embedder, Metadata, MetadataFilter, VectorStore } from '@agenticgen/core';
import { cacheError } from '../errors.js';
import { assertNamespace, assertTtl } from '../validation.js';
import { stableHash } from './stable-hash.js';

export interface SemanticCacheOptions {
  /** Turns prompts into vectors. Its `id` is stored with each entry: answers never match across embedders. */
  embedder: Embedder;
  /** Where prompt vectors and answers live; its dimensions must equal the embedder's. */
  store: VectorStore;
  /**
   * Lowest similarity that counts as the same question. Default 0.95 for cosine (and dot with a normalised
   * embedder): conservative, because a near-miss answers a different question. Required for other metrics.
   */
  threshold?: number;
  /** Separates caches sharing one store: `[A-Za-z0-9_.-]{1,128}`. Default `default`. */
  namespace?: string;
  /** TTL of stored answers in ms (default: never expire). */
  ttlMs?: number;
  /** Candidates fetched per lookup before expired ones are skipped (default 4). */
  candidates?: number;
}

/** A cached answer to a similar prompt. */
export interface SemanticMatch<T> {
  /** The cached answer. */
  value: T;
  /** Similarity between the asked prompt and the cached one (the store's score). */
  score: number;
  /** The prompt the answer was stored for. */
  prompt: string;
}

export interface SemanticLookupOptions {
  /** Only entries whose metadata (as passed to `set`) matches. */
  filter?: MetadataFilter;
  /** Overrides the threshold for this lookup. */
  threshold?: number;
  /** Cancels the embedding and the query. */
  signal?: AbortSignal;
}

export interface SemanticSetOptions {
  /** Flat metadata to filter on later (keys starting with `semanticCache` are reserved). */
  metadata?: Metadata;
  /** TTL for this answer. */
  ttlMs?: number;
}

export interface SemanticCache {
  /** The best cached answer for a prompt at or above the threshold, with its score. */
  get<T = unknown>(prompt: string, options?: SemanticLookupOptions): Promise<SemanticMatch<T> | undefined>;
  /** Stores an answer (JSON data) for a prompt; storing the same prompt again replaces it. */
  set(prompt: string, value: unknown, options?: SemanticSetOptions): Promise<void>;
  /** Returns a cached answer for a similar prompt, or runs `loader`, stores and returns its answer. */
  getOrSet<T>(
    prompt: string,
    loader: () => Promise<T>,
    options?: SemanticLookupOptions & SemanticSetOptions,
  ): Promise<{ value: T; hit: boolean; score?: number }>;
  /** Removes the answer stored for exactly this prompt. */
  delete(prompt: string): Promise<void>;
}

const reserved = 'semanticCache';

function assertPrompt(prompt: unknown): asserts prompt is string {
  if (typeof prompt !== 'string' || prompt.trim().length === 0) {
    throw cacheError('invalid-argument', 'the prompt must be a non-empty string');
  }
}

/**
 * A cache keyed by meaning: the prompt is embedded and the vector store is asked for the nearest stored prompt.
 * Answers are stored as JSON in the record's metadata, so any `VectorStore` works without a second store.
 */
export function createSemanticCache(options: SemanticCacheOptions): SemanticCache {
  const { embedder, store } = options;
  if (typeof embedder?.embed !== 'function' || typeof store?.query !== 'function') {
    throw cacheError('invalid-config', 'createSemanticCache needs { embedder, store } (an Embedder and a VectorStore)');
  }
  if (embedder.dimensions !== store.dimensions) {
    throw cacheError(
      'invalid-config',
      `embedder "${embedder.id}" makes ${embedder.dimensions}-dimensional vectors but the store holds ${store.dimensions}; use matching dimensions`,
    );
  }
  const similarityMetric = store.metric === 'cosine' || (store.metric === 'dot' && embedder.normalized);
  if (options.threshold === undefined && !similarityMetric) {
    throw cacheError(
      'invalid-config',
      `no default threshold for metric "${store.metric}"${store.metric === 'dot' ? ' with an unnormalised embedder' : ''}; pass { threshold } in the store's score units`,
    );
  }
  const threshold = options.threshold ?? 0.95;
  if (typeof threshold !== 'number' || Number.isNaN(threshold)) {
    throw cacheError('invalid-config', `threshold must be a number, got ${String(threshold)}`);
  }
  const namespace = options.namespace ?? 'default';
  assertNamespace(namespace);
  if (options.ttlMs !== undefined) assertTtl(options.ttlMs, 'ttlMs');
  const candidates = options.candidates ?? 4;

  const idOf = async (prompt: string) => `${reserved}:${namespace}:${await stableHash([embedder.id, prompt])}`;
  const embed = async (prompt: string, signal?: AbortSignal) => {
    const [vector] = await embedder.embed([prompt], signal === undefined ? {} : { signal });
    if (vector === undefined) throw cacheError('invalid-response', `embedder "${embedder.id}" returned no vector`);
    return vector;
  };

  const cache: SemanticCache = {
    async get<T>(prompt: string, lookup: SemanticLookupOptions = {}) {
      assertPrompt(prompt);
      const minScore = lookup.threshold ?? threshold;
      const scope: MetadataFilter = { [`${reserved}Namespace`]: namespace, [`${reserved}Embedder`]: embedder.id };
      const filter: MetadataFilter = lookup.filter === undefined ? scope : { $and: [scope, lookup.filter] };
      const query = { vector: await embed(prompt, lookup.signal), topK: candidates, filter, minScore };
      const matches = await store.query(lookup.signal === undefined ? query : { ...query, signal: lookup.signal });
      const now = Date.now();
      const expired: string[] = [];
      let found: SemanticMatch<T> | undefined;
      for (const match of matches) {
        const expiresAt = match.metadata[`${reserved}ExpiresAt`];
        if (typeof expiresAt === 'number' && expiresAt <= now) {
          expired.push(match.id);
          continue;
        }
        // Stores are asked for minScore, but not every store applies it; the check here is the contract.
        if (match.score < minScore) break;
        const answer = match.metadata[`${reserved}Answer`];
        const cachedPrompt = match.metadata[`${reserved}Prompt`];
        if (typeof answer !== 'string' || typeof cachedPrompt !== 'string') continue;
        found = { value: JSON.parse(answer) as T, score: match.score, prompt: cachedPrompt };
        break;
      }
      if (expired.length > 0) await store.delete(expired);
      return found;
    },

    async set(prompt, value, setOptions = {}) {
      assertPrompt(prompt);
      if (value === undefined) throw cacheError('invalid-argument', 'cannot cache undefined as an answer');
      let answer: string;
      try {
        answer = JSON.stringify(value);
      } catch (error) {
        throw cacheError('cache-value-unsupported', 'semantic cache answers must be JSON data', { cause: error });
      }
      for (const key of Object.keys(setOptions.metadata ?? {})) {
        if (key.startsWith(reserved)) throw cacheError('invalid-argument', `metadata key "${key}" is reserved`);
      }
      const ttlMs = setOptions.ttlMs ?? options.ttlMs;
      if (ttlMs !== undefined) assertTtl(ttlMs, 'ttlMs');
      const metadata: Metadata = {
        ...setOptions.metadata,
        [`${reserved}Namespace`]: namespace,
        [`${reserved}Embedder`]: embedder.id,
        [`${reserved}Prompt`]: prompt,
        [`${reserved}Answer`]: answer,
        [`${reserved}CreatedAt`]: Date.now(),
        [`${reserved}ExpiresAt`]: ttlMs === undefined || !Number.isFinite(ttlMs) ? null : Date.now() + ttlMs,
      };
      await store.upsert([{ id: await idOf(prompt), vector: await embed(prompt), metadata }]);
    },

    async getOrSet<T>(
      prompt: string,
      loader: () => Promise<T>,
      combined: SemanticLookupOptions & SemanticSetOptions = {},
    ) {
      const match = await cache.get<T>(prompt, combined);
      if (match !== undefined) return { value: match.value, hit: true, score: match.score };
      const value = await loader();
      if (value !== undefined) await cache.set(prompt, value, combined);
      return { value, hit: false };
    },

    async delete(prompt) {
      assertPrompt(prompt);
      await store.delete([await idOf(prompt)]);
    },
  };
  return cache;
}
