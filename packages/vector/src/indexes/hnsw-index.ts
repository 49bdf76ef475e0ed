import { AgenticGenError, type MetadataFilter, throwIfAborted } from '@agenticgen/core';
import { createKernelBackend } from '../kernels/load-kernels.js';
import type { EncodableIndex } from '../persistence/index-format.js';
import { type Candidates, exactSearch, rerank } from './exact-search.js';
import { resolveStorageOptions } from './flat-index.js';
import { HnswGraph, type HnswParameters } from './hnsw-graph.js';
import { InMemoryIndex, type InMemoryIndexOptions } from './in-memory-index.js';
import { yieldToEventLoop } from './index-events.js';
import { assertPositiveInteger, type CheckedRecord } from './validation.js';
import { VectorStorage } from './vector-storage.js';

/** Options of `createHnswIndex`. */
export interface HnswIndexOptions extends InMemoryIndexOptions {
  /** Links per node (default 16). Higher: better recall and more memory. */
  M?: number;
  /** Build-time candidate list (default 200). Higher: better graph, slower inserts. */
  efConstruction?: number;
  /** Query-time candidate list (default 64). Higher: better recall, slower queries. Settable later. */
  efSearch?: number;
  /** Seed for level sampling (default 42): the same inserts in the same order build the same graph. */
  seed?: number;
  /**
   * A filtered query whose filter matches less than this fraction of the records (estimated from a sample)
   * runs an exact scan over the matching rows instead of the graph (default 0.1).
   */
  filterExactScanRatio?: number;
  /** Rebuild the graph when tombstones exceed this fraction of the slots (default 0.5; 1 = never). */
  compactionRatio?: number;
}

/** Records between progress events and event-loop yields during bulk builds. */
const progressEvery = 2_000;

/**
 * Approximate nearest-neighbour search with HNSW. Deletes and replaced vectors leave tombstones that still
 * route searches but are never returned; `compact()` (automatic past `compactionRatio`) rebuilds the graph.
 */
export class HnswIndex extends InMemoryIndex {
  readonly name = 'hnsw';
  readonly graph: HnswGraph;
  readonly filterExactScanRatio: number;
  readonly compactionRatio: number;

  /** @internal Use `createHnswIndex` or `loadIndex`. */
  constructor(
    storage: VectorStorage,
    graph: HnswGraph,
    settings: { rerankFactor: number; filterExactScanRatio: number; compactionRatio: number },
  ) {
    super(storage, settings.rerankFactor);
    this.graph = graph;
    this.filterExactScanRatio = settings.filterExactScanRatio;
    this.compactionRatio = settings.compactionRatio;
  }

  protected override encodable(): EncodableIndex {
    const { filterExactScanRatio, compactionRatio } = this;
    return { ...super.encodable(), hnsw: { graph: this.graph, filterExactScanRatio, compactionRatio } };
  }

  /** Query-time candidate list size. */
  get efSearch(): number {
    return this.graph.parameters.efSearch;
  }

  set efSearch(value: number) {
    this.graph.parameters.efSearch = assertPositiveInteger(value, 'efSearch', 'vector', 100_000);
  }

  /** Whether graph construction uses int8 rows (only when float32 rows are not kept). */
  get #buildWithInt8(): boolean {
    return !this.storage.canScoreFloat32;
  }

  protected async applyUpsert(records: CheckedRecord[]): Promise<void> {
    const storage = this.storage;
    this.graph.ensureCapacity(storage.rowsNeededFor(records));
    let done = 0;
    for (const record of records) {
      const existing = storage.slotById.get(record.id);
      if (existing !== undefined && storage.rowEquals(existing, record.vector)) {
        storage.setMetadata(existing, record.metadata);
      } else {
        if (existing !== undefined) storage.tombstone(existing);
        const slot = storage.append(record.id, record.vector, record.metadata);
        this.graph.insert(storage, slot, this.#buildWithInt8);
      }
      done++;
      if (done % progressEvery === 0 && done < records.length) {
        this.events.emit('build-progress', { operation: 'upsert', completed: done, total: records.length });
        await yieldToEventLoop();
      }
    }
    if (records.length >= progressEvery) {
      this.events.emit('build-progress', { operation: 'upsert', completed: done, total: records.length });
    }
    await this.#maybeCompact();
  }

  protected async applyDelete(slots: number[]): Promise<void> {
    for (const slot of slots) this.storage.tombstone(slot);
    await this.#maybeCompact();
  }

  async #maybeCompact(): Promise<void> {
    const storage = this.storage;
    if (storage.deletedCount > 64 && storage.deletedCount > storage.size * this.compactionRatio) await this.#compact();
  }

  /** Drops tombstones and rebuilds the graph over the live records (emits `build-progress`). */
  compact(): Promise<void> {
    this.assertOpen();
    return this.serialize(() => this.#compact());
  }

  async #compact(): Promise<void> {
    const storage = this.storage;
    // Pack live rows to the front in order: a row only moves down, so no live row is overwritten.
    let next = 0;
    for (let slot = 0; slot < storage.size; slot++) {
      if (storage.deleted[slot] === 1) continue;
      if (slot !== next) storage.moveSlot(slot, next);
      next++;
    }
    while (storage.size > next) {
      storage.deleted[storage.size - 1] = 0;
      storage.pop();
    }
    storage.deletedCount = 0;
    this.graph.reset();
    const total = storage.size;
    for (let slot = 0; slot < total; slot++) {
      this.graph.insert(storage, slot, this.#buildWithInt8);
      if ((slot + 1) % progressEvery === 0 && slot + 1 < total) {
        this.events.emit('build-progress', { operation: 'compact', completed: slot + 1, total });
        await yieldToEventLoop();
      }
    }
    this.events.emit('build-progress', { operation: 'compact', completed: total, total });
  }

  protected search(topK: number, filter: MetadataFilter | undefined, signal?: AbortSignal): Candidates {
    const storage = this.storage;
    const int8 = this.useInt8;
    const shortlist = topK * this.rerankFactor;
    let ef = Math.max(this.graph.parameters.efSearch, topK);
    let accept: ((slot: number) => boolean) | 'live' | 'allowed' = 'live';
    if (filter !== undefined) {
      let fraction: number;
      const candidates = storage.filterIndex.candidates(filter);
      if (candidates !== undefined) {
        // The filter index narrows it: the exact matches cost only their own count.
        const slots = storage.matchingSlots(filter, candidates);
        fraction = slots.length / Math.max(1, storage.liveCount);
        if (fraction < this.filterExactScanRatio) {
          throwIfAborted(signal, 'vector');
          return exactSearch(storage, topK, int8, shortlist, slots);
        }
        this.graph.markAllowed(slots);
        accept = 'allowed';
      } else {
        fraction = estimateMatchFraction(storage, filter);
        if (fraction < this.filterExactScanRatio) {
          const slots = storage.matchingSlots(filter, undefined);
          throwIfAborted(signal, 'vector');
          return exactSearch(storage, topK, int8, shortlist, slots);
        }
        accept = memoisedFilter(storage, filter);
      }
      // Fewer matching nodes → widen the beam so enough of them are found.
      ef = Math.min(Math.ceil(ef / Math.max(fraction, 0.05)), Math.max(ef, 2_000));
    }
    if (int8 && storage.canScoreFloat32) {
      ef = Math.max(ef, shortlist);
      return rerank(storage, this.graph.search(storage, ef, int8, accept).slots, topK);
    }
    return this.graph.search(storage, ef, int8, accept, topK);
  }
}

/** Filter verdicts memoised per slot: the graph search may meet a node many times. */
function memoisedFilter(storage: VectorStorage, filter: MetadataFilter): (slot: number) => boolean {
  const verdicts = new Uint8Array(storage.size);
  return (slot) => {
    if (storage.deleted[slot] === 1) return false;
    let verdict = verdicts[slot]!;
    if (verdict === 0) {
      verdict = storage.matches(slot, filter) ? 1 : 2;
      verdicts[slot] = verdict;
    }
    return verdict === 1;
  };
}

/** Fraction of live records matching `filter`, from an evenly spaced sample of at most 512 slots. */
function estimateMatchFraction(storage: VectorStorage, filter: MetadataFilter): number {
  const sampleSize = Math.min(512, storage.size);
  const step = storage.size / sampleSize;
  let live = 0;
  let matching = 0;
  for (let i = 0; i < sampleSize; i++) {
    const slot = Math.floor(i * step);
    if (storage.deleted[slot] === 1) continue;
    live++;
    if (storage.matches(slot, filter)) matching++;
  }
  return live === 0 ? 0 : matching / live;
}

/** Resolves and validates HNSW options. */
export function resolveHnswParameters(options: HnswIndexOptions): HnswParameters {
  return {
    M: assertPositiveInteger(options.M ?? 16, 'M', 'vector', 128),
    efConstruction: assertPositiveInteger(options.efConstruction ?? 200, 'efConstruction', 'vector', 100_000),
    efSearch: assertPositiveInteger(options.efSearch ?? 64, 'efSearch', 'vector', 100_000),
    seed: Math.trunc(options.seed ?? 42),
  };
}

function resolveRatio(value: number | undefined, fallback: number, name: string): number {
  const ratio = value ?? fallback;
  if (typeof ratio !== 'number' || !(ratio >= 0 && ratio <= 1)) {
    throw new AgenticGenError(
      'invalid-config',
      `[vector] ${name} must be a number between 0 and 1, got ${String(ratio)}`,
    );
  }
  return ratio;
}

/** Creates an in-process HNSW index. */
export async function createHnswIndex(options: HnswIndexOptions): Promise<HnswIndex> {
  const resolved = resolveStorageOptions(options);
  const parameters = resolveHnswParameters(options);
  const settings = {
    rerankFactor: resolved.rerankFactor,
    filterExactScanRatio: resolveRatio(options.filterExactScanRatio, 0.1, 'filterExactScanRatio'),
    compactionRatio: resolveRatio(options.compactionRatio, 0.5, 'compactionRatio'),
  };
  const backend = await createKernelBackend(options.kernels);
  const storage = new VectorStorage(
    backend,
    resolved.dimensions,
    resolved.metric,
    resolved.layout,
    resolved.filterIndexMaxValues,
    parameters.M * 2 + 1,
  );
  return new HnswIndex(storage, new HnswGraph(parameters, storage), settings);
}
