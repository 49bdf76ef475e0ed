import { AgenticGenError, type MetadataFilter, throwIfAborted } from '@agenticgen/core';
import { createKernelBackend } from '../kernels/load-kernels.js';
import { type Candidates, exactSearch } from './exact-search.js';
import { InMemoryIndex, type InMemoryIndexOptions } from './in-memory-index.js';
import { defaultFilterIndexMaxValues } from './metadata-index.js';
import { assertMetric, assertPositiveInteger, type CheckedRecord } from './validation.js';
import { type StorageLayout, VectorStorage } from './vector-storage.js';

/** Options of `createFlatIndex`. */
export type FlatIndexOptions = InMemoryIndexOptions;

/**
 * Exact search: every query scores every (matching) row with the SIMD kernels. Deletes swap the last row
 * into the hole, so the table stays dense and never needs compaction.
 */
export class FlatIndex extends InMemoryIndex {
  readonly name = 'flat';

  /** @internal Use `createFlatIndex` or `loadIndex`. */
  constructor(storage: VectorStorage, rerankFactor: number) {
    super(storage, rerankFactor);
  }

  protected applyUpsert(records: CheckedRecord[]): void {
    const storage = this.storage;
    storage.ensureCapacity(storage.rowsNeededFor(records));
    for (const record of records) {
      const slot = storage.slotById.get(record.id);
      if (slot === undefined) storage.append(record.id, record.vector, record.metadata);
      else {
        storage.writeRow(slot, record.vector);
        storage.setMetadata(slot, record.metadata);
      }
    }
  }

  protected applyDelete(slots: number[]): void {
    const storage = this.storage;
    // Highest slots first so a swap never moves a row that is about to be deleted into a freed hole.
    for (const slot of slots.sort((a, b) => b - a)) storage.swapRemove(slot);
  }

  protected search(topK: number, filter: MetadataFilter | undefined, signal?: AbortSignal): Candidates {
    const shortlist = topK * this.rerankFactor;
    if (filter === undefined) return exactSearch(this.storage, topK, this.useInt8, shortlist);
    const slots = this.storage.matchingSlots(filter);
    throwIfAborted(signal, 'vector');
    return exactSearch(this.storage, topK, this.useInt8, shortlist, slots);
  }
}

/** Resolves the storage layout and validates the shared options. */
export function resolveStorageOptions(options: InMemoryIndexOptions): {
  dimensions: number;
  metric: InMemoryIndex['metric'];
  layout: StorageLayout;
  rerankFactor: number;
  filterIndexMaxValues: number;
} {
  const dimensions = assertPositiveInteger(options?.dimensions, 'dimensions', 'vector', 65_536);
  const metric = options.metric ?? 'cosine';
  assertMetric(metric);
  const quantization = options.quantization ?? 'none';
  if (quantization !== 'none' && quantization !== 'int8') {
    throw new AgenticGenError(
      'invalid-config',
      `[vector] quantization must be "none" or "int8", got "${String(quantization)}"`,
    );
  }
  const int8 = quantization === 'int8';
  const layout = { int8, float32: !int8 || options.rerank !== false };
  const rerankFactor = assertPositiveInteger(options.rerankFactor ?? 4, 'rerankFactor', 'vector', 100);
  const filterIndexMaxValues = assertPositiveInteger(
    options.filterIndexMaxValues ?? defaultFilterIndexMaxValues,
    'filterIndexMaxValues',
    'vector',
    10_000_000,
  );
  return { dimensions, metric, layout, rerankFactor, filterIndexMaxValues };
}

/** Creates an exact (brute-force) in-process index. */
export async function createFlatIndex(options: FlatIndexOptions): Promise<FlatIndex> {
  const resolved = resolveStorageOptions(options);
  const backend = await createKernelBackend(options.kernels);
  return new FlatIndex(
    new VectorStorage(backend, resolved.dimensions, resolved.metric, resolved.layout, resolved.filterIndexMaxValues),
    resolved.rerankFactor,
  );
}
