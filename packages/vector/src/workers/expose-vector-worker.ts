import { AgenticGenError, type Embedder, type Metadata } from '@agenticgen/core';
import { expose, transfer } from 'comlink';
import { createFlatIndex } from '../indexes/flat-index.js';
import { createHnswIndex } from '../indexes/hnsw-index.js';
import type { InMemoryIndex } from '../indexes/in-memory-index.js';
import {
  type EmbedderInfo,
  type Outcome,
  toEndpoint,
  type VectorWorkerApi,
  type WorkerLike,
} from './worker-protocol.js';

/** The factory an embedder module exports for `createWorkerEmbedder`. */
type EmbedderFactory = (options: unknown) => Embedder | Promise<Embedder>;

/** Runs `work` and answers an Outcome: a foreign error becomes an AgenticGenError `internal`. */
export async function settle<T>(work: () => Promise<T> | T): Promise<Outcome<T>> {
  try {
    return { ok: true, value: await work() };
  } catch (error) {
    const typed = AgenticGenError.isInstance(error)
      ? error
      : new AgenticGenError(
          'internal',
          `[vector] worker call failed: ${String((error as Error)?.message).slice(0, 200)}`,
          {
            cause: error,
          },
        );
    return { ok: false, error: typed.toJSON() };
  }
}

/**
 * Serves an embedder and an index to `createWorkerEmbedder` / `createWorkerIndex` from inside a worker:
 * call it in a Web Worker with `self`, in a worker thread with `parentPort`. The worker hosts at most one
 * embedder and one index; vectors come back in one transferred buffer.
 */
export function exposeVectorWorker(scope: WorkerLike): void {
  let embedder: Embedder | undefined;
  let index: InMemoryIndex | undefined;

  const requireEmbedder = (): Embedder => {
    if (embedder === undefined)
      throw new AgenticGenError('invalid-argument', '[vector] no embedder loaded in this worker');
    return embedder;
  };
  const requireIndex = (): InMemoryIndex => {
    if (index === undefined) throw new AgenticGenError('invalid-argument', '[vector] no index open in this worker');
    return index;
  };

  const api: VectorWorkerApi = {
    loadEmbedder: (specifier, options) =>
      settle(async (): Promise<EmbedderInfo> => {
        if (embedder !== undefined)
          throw new AgenticGenError('conflict', '[vector] this worker already hosts an embedder');
        let module: { createEmbedder?: unknown };
        try {
          module = await import(/* @vite-ignore */ specifier);
        } catch (error) {
          throw new AgenticGenError(
            'invalid-config',
            '[vector] the embedder module could not be imported in the worker',
            {
              cause: error,
            },
          );
        }
        if (typeof module.createEmbedder !== 'function') {
          throw new AgenticGenError(
            'invalid-config',
            '[vector] the embedder module must export createEmbedder(options)',
          );
        }
        embedder = await (module.createEmbedder as EmbedderFactory)(options);
        return { id: embedder.id, dimensions: embedder.dimensions, normalized: embedder.normalized };
      }),
    embed: (texts) =>
      settle(async () => {
        const active = requireEmbedder();
        const vectors = await active.embed(texts);
        const flat = new Float32Array(texts.length * active.dimensions);
        for (let i = 0; i < vectors.length; i++) flat.set(vectors[i]!, i * active.dimensions);
        return transfer(flat, [flat.buffer]);
      }),
    openIndex: (options) =>
      settle(async () => {
        if (index !== undefined) throw new AgenticGenError('conflict', '[vector] this worker already hosts an index');
        const { kind, ...rest } = options;
        if (kind !== 'hnsw' && kind !== 'flat') {
          throw new AgenticGenError('invalid-config', "[vector] worker index kind must be 'hnsw' or 'flat'");
        }
        index = kind === 'hnsw' ? await createHnswIndex(rest) : await createFlatIndex(rest);
        return null;
      }),
    upsert: (ids, vectors, metadata) =>
      settle(async () => {
        const active = requireIndex();
        const dims = active.dimensions;
        if (vectors.length !== ids.length * dims) {
          throw new AgenticGenError('dimension-mismatch', `[vector] expected ${ids.length} vectors of ${dims} floats`);
        }
        // Rows are views on the transferred buffer: the index copies them into its own memory once.
        await active.upsert(
          ids.map((id, i) => ({
            id,
            vector: vectors.subarray(i * dims, (i + 1) * dims),
            ...(metadata[i] === undefined ? {} : { metadata: metadata[i] as Metadata }),
          })),
        );
        return null;
      }),
    query: (vector, topK, filter) =>
      settle(() => requireIndex().query({ vector, topK, ...(filter === undefined ? {} : { filter }) })),
    count: () => settle(() => requireIndex().count()),
    delete: (ids) =>
      settle(async () => {
        await requireIndex().delete(ids);
        return null;
      }),
  };
  expose(api, toEndpoint(scope));
}
