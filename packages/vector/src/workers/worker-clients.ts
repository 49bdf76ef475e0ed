import {
  AgenticGenError,
  type Embedder,
  type EmbedOptions,
  type Metadata,
  throwIfAborted,
  type VectorMatch,
  type VectorQuery,
  type VectorRecord,
} from '@agenticgen/core';
import { type Remote, releaseProxy, transfer, wrap } from 'comlink';
import { assertPositiveInteger } from '../indexes/validation.js';
import {
  toEndpoint,
  unwrap,
  type VectorWorkerApi,
  type WorkerIndexOptions,
  type WorkerLike,
} from './worker-protocol.js';

/** Default most texts or records per call: one call's vectors cross in one buffer. */
const defaultMaxBatch = 10_000;

/** Options of `createWorkerEmbedder`. */
export interface WorkerEmbedderOptions {
  /** A worker running `exposeVectorWorker` (Web Worker, or a worker_threads Worker in Node). */
  worker: WorkerLike;
  /** Passed to the module's `createEmbedder` inside the worker (structured-cloned). */
  embedderOptions?: unknown;
  /** Most texts per `embed` call (default 10,000). */
  maxBatch?: number;
}

/** An Embedder whose model runs in a worker; `close()` releases the RPC proxy (the caller owns the worker). */
export interface WorkerEmbedder extends Embedder {
  close(): void;
}

function connect(worker: WorkerLike): Remote<VectorWorkerApi> {
  return wrap<VectorWorkerApi>(toEndpoint(worker));
}

function checkBatch(size: number, maxBatch: number, what: string): void {
  if (size > maxBatch) {
    throw new AgenticGenError('invalid-argument', `[vector] ${size} ${what} in one call; the limit is ${maxBatch}`, {
      data: { limit: maxBatch },
    });
  }
}

/**
 * Embeds off the calling thread: the worker imports `embedderModule` (a URL it can import, exporting
 * `createEmbedder(options)`) and returns vectors in one transferred Float32Array per call.
 */
export async function createWorkerEmbedder(
  embedderModule: string | URL,
  options: WorkerEmbedderOptions,
): Promise<WorkerEmbedder> {
  const maxBatch = assertPositiveInteger(options.maxBatch ?? defaultMaxBatch, 'maxBatch', 'vector', 1_000_000);
  const remote = connect(options.worker);
  const info = unwrap(await remote.loadEmbedder(String(embedderModule), options.embedderOptions));
  const { dimensions } = info;
  return {
    ...info,
    async embed(texts: readonly string[], embedOptions?: EmbedOptions): Promise<Float32Array[]> {
      if (!Array.isArray(texts) || texts.some((text) => typeof text !== 'string')) {
        throw new AgenticGenError('invalid-argument', '[vector] embed expects an array of strings');
      }
      checkBatch(texts.length, maxBatch, 'texts');
      throwIfAborted(embedOptions?.signal, 'vector');
      const flat = unwrap(await remote.embed([...texts]));
      // Views on the one transferred buffer: no copy per vector.
      return Array.from({ length: texts.length }, (_, i) => flat.subarray(i * dimensions, (i + 1) * dimensions));
    },
    close: () => remote[releaseProxy](),
  };
}

/** Options of `createWorkerIndex`: the index kind and its options, and the worker hosting it. */
export type CreateWorkerIndexOptions = WorkerIndexOptions & {
  worker: WorkerLike;
  /** Most records per `upsert` call (default 10,000). */
  maxBatch?: number;
};

/** An HNSW or flat index living in a worker; queries and upserts are RPCs with transferred vectors. */
export interface WorkerIndex {
  readonly dimensions: number;
  upsert(records: readonly VectorRecord[]): Promise<void>;
  query(query: Pick<VectorQuery, 'vector' | 'topK' | 'filter'>): Promise<VectorMatch[]>;
  count(): Promise<number>;
  delete(ids: readonly string[]): Promise<void>;
  /** Releases the RPC proxy; the caller owns (and terminates) the worker. */
  close(): void;
}

/** Packs vectors back to back so one buffer crosses (transferred) instead of one clone per record. */
function packVectors(vectors: readonly (Float32Array | readonly number[])[], dimensions: number): Float32Array {
  const flat = new Float32Array(vectors.length * dimensions);
  vectors.forEach((vector, i) => {
    if (vector?.length !== dimensions) {
      throw new AgenticGenError(
        'dimension-mismatch',
        `[vector] record ${i} has ${vector?.length} dimensions, expected ${dimensions}`,
      );
    }
    flat.set(vector, i * dimensions);
  });
  return flat;
}

/** Opens an index inside a worker running `exposeVectorWorker`. */
export async function createWorkerIndex(options: CreateWorkerIndexOptions): Promise<WorkerIndex> {
  const { worker, maxBatch: maxBatchOption, ...indexOptions } = options;
  const maxBatch = assertPositiveInteger(maxBatchOption ?? defaultMaxBatch, 'maxBatch', 'vector', 1_000_000);
  const dimensions = assertPositiveInteger(indexOptions.dimensions, 'dimensions', 'vector', 65_536);
  const remote = connect(worker);
  unwrap(await remote.openIndex(indexOptions as WorkerIndexOptions));
  return {
    dimensions,
    async upsert(records) {
      checkBatch(records.length, maxBatch, 'records');
      const flat = packVectors(
        records.map((record) => record.vector),
        dimensions,
      );
      const ids = records.map((record) => record.id);
      const metadata = records.map((record): Metadata | undefined => record.metadata);
      unwrap(await remote.upsert(ids, transfer(flat, [flat.buffer]), metadata));
    },
    async query({ vector, topK, filter }) {
      const packed = packVectors([vector], dimensions);
      return unwrap(await remote.query(transfer(packed, [packed.buffer]), topK, filter));
    },
    count: async () => unwrap(await remote.count()),
    async delete(ids) {
      unwrap(await remote.delete([...ids]));
    },
    close: () => remote[releaseProxy](),
  };
}
