import {
  AgenticGenError,
  type Embedder,
  type Metadata,
  type MetadataFilter,
  type SerializedAgenticGenError,
  type VectorMatch,
} from '@agenticgen/core';
import type { Endpoint } from 'comlink';
import type { FlatIndexOptions } from '../indexes/flat-index.js';
import type { HnswIndexOptions } from '../indexes/hnsw-index.js';

/** A worker-side answer: errors travel as plain data so their `code` survives the boundary. */
export type Outcome<T> = { ok: true; value: T } | { ok: false; error: SerializedAgenticGenError };

/** Which index a worker hosts, with its options. */
export type WorkerIndexOptions =
  | ({ kind: 'hnsw' } & Omit<HnswIndexOptions, 'kernels'>)
  | ({ kind: 'flat' } & Omit<FlatIndexOptions, 'kernels'>);

/** What `createWorkerEmbedder` learns about the embedder built in the worker. */
export type EmbedderInfo = Pick<Embedder, 'id' | 'dimensions' | 'normalized'>;

/**
 * The RPC surface a vector worker serves (see `exposeVectorWorker`). Vectors cross as one flat
 * Float32Array whose buffer is transferred, never structured-cloned.
 */
export interface VectorWorkerApi {
  loadEmbedder(module: string, options: unknown): Promise<Outcome<EmbedderInfo>>;
  /** All vectors back to back (`texts.length × dimensions`), transferred. */
  embed(texts: string[]): Promise<Outcome<Float32Array>>;
  openIndex(options: WorkerIndexOptions): Promise<Outcome<null>>;
  /** `vectors`: `ids.length × dimensions` floats, transferred by the caller. */
  upsert(ids: string[], vectors: Float32Array, metadata: (Metadata | undefined)[]): Promise<Outcome<null>>;
  query(vector: Float32Array, topK: number, filter: MetadataFilter | undefined): Promise<Outcome<VectorMatch[]>>;
  count(): Promise<Outcome<number>>;
  delete(ids: string[]): Promise<Outcome<null>>;
}

/** A browser Worker / MessagePort, or Node's `Worker` / `parentPort` (EventEmitter style). */
export type WorkerLike = Endpoint | NodeStyleWorker;

/** The part of Node's worker_threads `Worker` and `MessagePort` comlink's Node adapter needs. */
export interface NodeStyleWorker {
  postMessage(message: unknown, transfer?: readonly unknown[]): void;
  on(type: string, listener: (value: unknown) => void): unknown;
  off(type: string, listener: (value: unknown) => void): unknown;
}

/** Node's worker objects are EventEmitters; comlink speaks EventTarget, so they go through its adapter. */
export function toEndpoint(worker: WorkerLike): Endpoint {
  if (typeof worker !== 'object' || worker === null || typeof worker.postMessage !== 'function') {
    throw new AgenticGenError(
      'invalid-argument',
      '[vector] worker must be a Worker, MessagePort or worker_threads Worker',
    );
  }
  if ('on' in worker && typeof worker.on === 'function') return eventEmitterEndpoint(worker as NodeStyleWorker);
  return worker as Endpoint;
}

type MessageListener = Parameters<Endpoint['addEventListener']>[1];

/** Presents a Node worker (`on('message', data)`) as the EventTarget-style endpoint comlink expects. */
function eventEmitterEndpoint(worker: NodeStyleWorker): Endpoint {
  const wrapped = new Map<MessageListener, (data: unknown) => void>();
  return {
    postMessage: (message, transfer) => worker.postMessage(message, transfer),
    addEventListener(_type, listener) {
      const relay = (data: unknown) => {
        const event = { data } as MessageEvent;
        if (typeof listener === 'function') listener(event);
        else listener.handleEvent(event);
      };
      wrapped.set(listener, relay);
      worker.on('message', relay);
    },
    removeEventListener(_type, listener) {
      const relay = wrapped.get(listener);
      if (relay === undefined) return;
      worker.off('message', relay);
      wrapped.delete(listener);
    },
  };
}

/** Unwraps an `Outcome`, rethrowing a worker-side failure as the AgenticGenError it was. */
export function unwrap<T>(outcome: Outcome<T>): T {
  if (outcome.ok) return outcome.value;
  throw AgenticGenError.fromJSON(outcome.error);
}
