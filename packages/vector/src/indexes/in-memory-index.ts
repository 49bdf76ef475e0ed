import {
  AgenticGenError,
  abortableUntilStarted,
  createEventBus,
  type DistanceMetric,
  type EventBus,
  type EventName,
  type EventsWithError,
  type Metadata,
  type MetadataFilter,
  throwIfAborted,
  type VectorMatch,
  type VectorQuery,
  type VectorRecord,
  type VectorStore,
  type VectorWriteOptions,
} from '@agenticgen/core';
import type { KernelBackendKind, KernelPreference } from '../kernels/kernel-backend.js';
import { type EncodableIndex, encodeIndex } from '../persistence/index-format.js';
import type { Candidates } from './exact-search.js';
import type { IndexEventListener, IndexEventMap } from './index-events.js';
import { type CheckedRecord, checkIds, checkRecords, checkVectorQuery } from './validation.js';
import type { VectorStorage } from './vector-storage.js';

/** Options shared by the flat and HNSW indexes. */
export interface InMemoryIndexOptions {
  /** Vector length every record must have. */
  dimensions: number;
  /** Similarity metric; default `cosine`. */
  metric?: DistanceMetric;
  /**
   * Row storage: `none` keeps float32 rows; `int8` adds int8 rows that are scanned first (4× less memory
   * traffic) and re-ranked with float32 (see `rerank`).
   */
  quantization?: 'none' | 'int8';
  /**
   * With `quantization: 'int8'`: keep float32 rows to re-rank the int8 shortlist (default true). `false`
   * drops them, storing ~1 byte per dimension, and scores are int8 approximations.
   */
  rerank?: boolean;
  /** With int8 re-ranking: shortlist size as a multiple of topK (default 4). */
  rerankFactor?: number;
  /** Kernel implementation; default `auto` (WebAssembly SIMD when available, else TypeScript). */
  kernels?: KernelPreference;
  /**
   * Distinct values per metadata field kept in the filter index (default 10,000). A field with more (free
   * text, unique ids) stops being indexed, and filters on it evaluate each record instead.
   */
  filterIndexMaxValues?: number;
}

/**
 * What the flat and HNSW indexes share: validation before any change, one write at a time (a bulk upsert
 * that yields to the event loop is never interleaved with another write), queries, get, events.
 */
export abstract class InMemoryIndex implements VectorStore {
  abstract readonly name: string;
  readonly dimensions: number;
  readonly metric: DistanceMetric;
  /** The storage; exposed for persistence. */
  readonly storage: VectorStorage;
  /** Core's typed bus: a throwing listener is reported as an `error` event (or logged), never swallowed. */
  protected readonly events: EventBus<IndexEventMap> = createEventBus<IndexEventMap>();
  /** int8 re-ranking shortlist as a multiple of topK. */
  readonly rerankFactor: number;
  #writes: Promise<unknown> = Promise.resolve();
  #disposed = false;

  protected constructor(storage: VectorStorage, rerankFactor: number) {
    this.storage = storage;
    this.dimensions = storage.dimensions;
    this.metric = storage.metric;
    this.rerankFactor = rerankFactor;
  }

  /** Which kernels this index runs on. */
  get kernels(): KernelBackendKind {
    return this.storage.backendKind;
  }

  /**
   * Subscribes to an event; returns the unsubscribe function. `error` receives listener failures (code
   * `listener-failed`); without an `error` listener they are logged with `console.error`.
   */
  on<E extends EventName<EventsWithError<IndexEventMap>>>(event: E, listener: IndexEventListener<E>): () => void {
    return this.events.on(event, listener);
  }

  protected get useInt8(): boolean {
    return this.storage.layout.int8;
  }

  protected assertOpen(): void {
    if (this.#disposed) {
      throw new AgenticGenError('disposed', `[vector] the ${this.name} index was disposed; create or load a new one`);
    }
  }

  /**
   * Runs `write` after every earlier write finished; a failed write does not block later ones. `signal` cancels
   * the write only while it waits its turn (then it never runs); a started write always finishes.
   */
  protected serialize<T>(write: () => Promise<T> | T, signal?: AbortSignal): Promise<T> {
    return abortableUntilStarted(signal, 'vector', (start) => {
      const guarded = () => {
        start();
        return write();
      };
      const run = this.#writes.then(guarded, guarded);
      this.#writes = run.catch(() => undefined);
      return run;
    });
  }

  protected abstract applyUpsert(records: CheckedRecord[]): Promise<void> | void;
  protected abstract applyDelete(slots: number[]): Promise<void> | void;
  protected abstract search(topK: number, filter: MetadataFilter | undefined, signal?: AbortSignal): Candidates;

  async upsert(records: readonly VectorRecord[], options: VectorWriteOptions = {}): Promise<void> {
    this.assertOpen();
    throwIfAborted(options.signal, 'vector');
    const checked = checkRecords(records, this.dimensions, this.metric, 'vector', { copyVectors: false });
    if (checked.length === 0) return;
    await this.serialize(() => this.applyUpsert(checked), options.signal);
  }

  async delete(ids: readonly string[], options: VectorWriteOptions = {}): Promise<void> {
    this.assertOpen();
    throwIfAborted(options.signal, 'vector');
    const list = checkIds(ids);
    await this.serialize(() => {
      const slots: number[] = [];
      for (const id of new Set(list)) {
        const slot = this.storage.slotById.get(id);
        if (slot !== undefined) slots.push(slot);
      }
      if (slots.length > 0) return this.applyDelete(slots);
    }, options.signal);
  }

  async query(query: VectorQuery): Promise<VectorMatch[]> {
    this.assertOpen();
    const vector = checkVectorQuery(query, this.dimensions, this.metric);
    if (this.storage.liveCount === 0) return [];
    this.storage.setQuery(vector);
    const found = this.search(query.topK, query.filter, query.signal);
    const matches: VectorMatch[] = [];
    for (let r = 0; r < found.slots.length; r++) {
      const slot = found.slots[r]!;
      const score = this.storage.publicScore(found.similarities[r]!);
      if (query.minScore !== undefined && score < query.minScore) continue;
      const match: VectorMatch = { id: this.storage.ids[slot]!, score, metadata: { ...this.storage.metadata[slot]! } };
      if (query.includeVectors === true) match.vector = this.storage.vector(slot);
      matches.push(match);
    }
    return matches;
  }

  async count(): Promise<number> {
    this.assertOpen();
    return this.storage.liveCount;
  }

  async get(ids: readonly string[]): Promise<VectorRecord[]> {
    this.assertOpen();
    const records: VectorRecord[] = [];
    for (const id of checkIds(ids)) {
      const slot = this.storage.slotById.get(id);
      if (slot === undefined) continue;
      const metadata: Metadata = { ...this.storage.metadata[slot]! };
      records.push({ id, vector: this.storage.vector(slot), metadata });
    }
    return records;
  }

  /**
   * Serializes the index to the compact binary format (checksummed), after running writes finish.
   * Load it with `loadIndex`; in Node `saveIndexToFile`, in browsers `saveIndexToIndexedDb`.
   */
  save(): Promise<Uint8Array> {
    this.assertOpen();
    return this.serialize(() => encodeIndex(this.encodable()));
  }

  /** What `save` writes: the rows and settings; an HNSW index adds its graph. */
  protected encodable(): EncodableIndex {
    return { storage: this.storage, rerankFactor: this.rerankFactor };
  }

  async dispose(): Promise<void> {
    // Wait for running writes so a save after dispose never sees a half-applied batch.
    await this.serialize(() => undefined);
    this.#disposed = true;
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.dispose();
  }
}
