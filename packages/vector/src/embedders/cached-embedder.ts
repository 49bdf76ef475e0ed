import { AgenticGenError, type CacheStore, type Embedder, type EmbedOptions, throwIfAborted } from '@agenticgen/core';
import { assertPositiveInteger } from '../indexes/validation.js';

/** Options of `createCachedEmbedder`. */
export interface CachedEmbedderOptions {
  /** Where vectors are cached (any CacheStore: memory, Redis, IndexedDB tiers…). */
  cache: CacheStore;
  /** Key prefix; default `embedding`. Keys are `<namespace>:<embedder id>:<sha-256 of the text>`. */
  namespace?: string;
  /** Time to live of cached vectors in milliseconds; default: the cache's default. */
  ttlMs?: number;
  /** Largest number of texts sent to the wrapped embedder in one call; default 64. */
  batchSize?: number;
}

/** An Embedder with batching and caching; `stats()` reports cache hits and misses. */
export interface CachedEmbedder extends Embedder {
  /** Cache hits and misses since creation. */
  stats(): { hits: number; misses: number };
}

async function sha256Hex(text: string): Promise<string> {
  // Web Crypto: the same in Node >= 19 and browsers (secure contexts).
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, '0')).join('');
}

function toVector(value: unknown, dimensions: number): Float32Array | undefined {
  // Caches that serialise to JSON hand back plain arrays or objects; accept arrays only.
  const vector =
    value instanceof Float32Array ? value : Array.isArray(value) ? Float32Array.from(value as number[]) : undefined;
  return vector !== undefined && vector.length === dimensions ? vector : undefined;
}

/**
 * Wraps an embedder: identical texts within one call are embedded once, cached texts are not embedded
 * again, and the misses go to the wrapped embedder in batches of `batchSize`. The embedder id is part of
 * the key, so switching models never returns stale vectors. A cache that fails to read or write only
 * costs a re-embed (the error is not surfaced), as the CacheStore contract promises for lower tiers.
 */
export function createCachedEmbedder(embedder: Embedder, options: CachedEmbedderOptions): CachedEmbedder {
  if (options?.cache === undefined || typeof options.cache.get !== 'function') {
    throw new AgenticGenError('invalid-config', '[vector] createCachedEmbedder needs { cache } (a CacheStore)');
  }
  const batchSize = assertPositiveInteger(options.batchSize ?? 64, 'batchSize', 'vector', 100_000);
  const namespace = options.namespace ?? 'embedding';
  const setOptions = options.ttlMs === undefined ? undefined : { ttlMs: options.ttlMs };
  let hits = 0;
  let misses = 0;

  return {
    id: embedder.id,
    dimensions: embedder.dimensions,
    normalized: embedder.normalized,
    stats: () => ({ hits, misses }),
    async embed(texts: readonly string[], embedOptions?: EmbedOptions): Promise<Float32Array[]> {
      if (!Array.isArray(texts) || !texts.every((text) => typeof text === 'string')) {
        throw new AgenticGenError('invalid-argument', '[vector] embed takes an array of strings');
      }
      throwIfAborted(embedOptions?.signal, 'vector');
      const unique = [...new Set(texts)];
      const keys = await Promise.all(
        unique.map(async (text) => `${namespace}:${embedder.id}:${await sha256Hex(text)}`),
      );
      const cached = await Promise.all(keys.map((key) => options.cache.get(key).catch(() => undefined)));
      const found = new Map<string, Float32Array>();
      const missing: number[] = [];
      unique.forEach((text, index) => {
        const vector = toVector(cached[index], embedder.dimensions);
        if (vector === undefined) missing.push(index);
        else found.set(text, vector);
      });
      hits += unique.length - missing.length;
      misses += missing.length;
      for (let start = 0; start < missing.length; start += batchSize) {
        throwIfAborted(embedOptions?.signal, 'vector');
        const batch = missing.slice(start, start + batchSize);
        const vectors = await embedder.embed(
          batch.map((index) => unique[index]!),
          embedOptions,
        );
        if (!Array.isArray(vectors) || vectors.length !== batch.length) {
          throw new AgenticGenError(
            'invalid-response',
            `[vector] embedder "${embedder.id}" returned ${vectors?.length} vectors for ${batch.length} texts`,
          );
        }
        await Promise.all(
          batch.map(async (index, position) => {
            const vector = toVector(vectors[position], embedder.dimensions);
            if (vector === undefined) {
              throw new AgenticGenError(
                'dimension-mismatch',
                `[vector] embedder "${embedder.id}" returned a vector that is not ${embedder.dimensions} long`,
              );
            }
            found.set(unique[index]!, vector);
            await options.cache.set(keys[index]!, vector, setOptions).catch(() => undefined);
          }),
        );
      }
      // Copies, so a caller mutating a result never corrupts the cache or another result.
      return texts.map((text) => found.get(text)!.slice());
    },
  };
}
