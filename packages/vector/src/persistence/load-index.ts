import { AgenticGenError, type Metadata } from '@agenticgen/core';
import { FlatIndex } from '../indexes/flat-index.js';
import { HnswGraph } from '../indexes/hnsw-graph.js';
import { HnswIndex } from '../indexes/hnsw-index.js';
import { defaultFilterIndexMaxValues } from '../indexes/metadata-index.js';
import { assertPositiveInteger, noMetadata } from '../indexes/validation.js';
import { VectorStorage } from '../indexes/vector-storage.js';
import type { KernelBackend, KernelPreference } from '../kernels/kernel-backend.js';
import { createKernelBackend } from '../kernels/load-kernels.js';
import { BinaryReader, type Crc32, corrupt, crc32, portableCrc32 } from './binary-io.js';
import { formatMagic, formatVersion, metricCodes, oldestReadableVersion } from './index-format.js';

/** Options of `loadIndex`. */
export interface LoadIndexOptions {
  /** Kernel implementation for the loaded index; default `auto`. */
  kernels?: KernelPreference;
  /** Distinct values per metadata field kept in the filter index (default 10,000; see the index options). */
  filterIndexMaxValues?: number;
}

function isEmpty(value: Metadata): boolean {
  for (const _ in value) return false;
  return true;
}

function isMetadata(value: unknown): value is Metadata {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** What precedes the rows in a saved index: the header, ids, metadata, tombstones and norms. */
export interface IndexHead {
  kind: number;
  metric: (typeof metricCodes)[number];
  layout: { float32: boolean; int8: boolean };
  dims: number;
  size: number;
  rerankFactor: number;
  graphHeader: { M: number; efConstruction: number; efSearch: number; seed: number } | undefined;
  ratios: { filterExactScanRatio: number; compactionRatio: number };
  entryPoint: number;
  maxLevel: number;
  randomState: number | undefined;
  ids: string[];
  metadata: Metadata[];
  deleted: Uint8Array;
  squaredNorms: Float32Array;
  /** Bytes of the float32 rows section that follows (0 for int8-only storage). */
  rowBytes: number;
}

/** Parses the head (see `index-format.ts`); the reader ends at the first byte of the rows. */
export function readIndexHead(reader: BinaryReader): IndexHead {
  reader.offset = 0;
  if (reader.remaining < 28) throw corrupt(`only ${reader.remaining} bytes`);
  let magic = '';
  for (let i = 0; i < 4; i++) magic += String.fromCharCode(reader.u8());
  if (magic !== formatMagic) throw corrupt('not an AgenticGen vector index (bad magic)');
  const version = reader.u8();
  if (version < oldestReadableVersion || version > formatVersion) {
    throw new AgenticGenError(
      'unsupported',
      `[vector] index format version ${version} is not supported by this version (reads ${oldestReadableVersion}–${formatVersion}); upgrade @agenticgen/vector`,
    );
  }
  const kind = reader.u8();
  const metric = metricCodes[reader.u8()];
  const layoutBits = reader.u8();
  const dims = reader.u32();
  const size = reader.u32();
  const rerankFactor = reader.u32();
  if ((kind !== 0 && kind !== 1) || metric === undefined || layoutBits === 0 || layoutBits > 3) {
    throw corrupt('invalid header');
  }
  if (dims < 1 || dims > 65_536 || rerankFactor < 1) throw corrupt('invalid dimensions');
  const layout = { float32: (layoutBits & 1) !== 0, int8: (layoutBits & 2) !== 0 };
  let graphHeader: IndexHead['graphHeader'];
  let ratios = { filterExactScanRatio: 0.1, compactionRatio: 0.5 };
  let entryPoint = -1;
  let maxLevel = -1;
  let randomState: number | undefined;
  if (kind === 1) {
    graphHeader = { M: reader.u32(), efConstruction: reader.u32(), efSearch: reader.u32(), seed: reader.i32() };
    ratios = { filterExactScanRatio: reader.f64(), compactionRatio: reader.f64() };
    entryPoint = reader.i32();
    maxLevel = reader.i32();
    // Version 1 did not save it: such an index continues from the seed, as it always did.
    if (version >= 2) randomState = reader.u32();
    if (graphHeader.M < 1 || graphHeader.M > 128 || entryPoint >= size || maxLevel > 16)
      throw corrupt('invalid graph header');
  }
  // Each slot needs at least 4 bytes of id length: reject absurd counts before allocating.
  if (size * 4 > reader.remaining) throw corrupt('slot count larger than the data');
  const ids: string[] = [];
  for (let slot = 0; slot < size; slot++) ids.push(reader.string());
  let metadata: unknown;
  try {
    metadata = JSON.parse(reader.string());
  } catch (error) {
    if (AgenticGenError.isInstance(error)) throw error;
    throw corrupt('metadata is not valid JSON');
  }
  if (!Array.isArray(metadata) || metadata.length !== size || !metadata.every(isMetadata)) {
    throw corrupt('metadata does not match the slots');
  }
  // Records saved without metadata share one frozen empty object, as they did before the save.
  for (let slot = 0; slot < size; slot++) if (isEmpty(metadata[slot] as Metadata)) metadata[slot] = noMetadata;
  const deleted = reader.bytes(size);
  reader.align4();
  const squaredNorms = reader.float32View(size);
  const rowBytes = layout.float32 ? size * dims * 4 : 0;
  return {
    kind,
    metric,
    layout,
    dims,
    size,
    rerankFactor,
    graphHeader,
    ratios,
    entryPoint,
    maxLevel,
    randomState,
    ids,
    metadata: metadata as Metadata[],
    deleted,
    squaredNorms,
    rowBytes,
  };
}

/**
 * A fresh storage for `head`, with room for all its slots: the float32 rows go to
 * `storage.arena.rowOffset(0)` (`rowBytes` bytes), copied or read there by the loader, before `finishIndex`.
 */
export function storageFor(head: IndexHead, backend: KernelBackend, options: LoadIndexOptions): VectorStorage {
  const maxValues = options.filterIndexMaxValues ?? defaultFilterIndexMaxValues;
  const storage = new VectorStorage(
    backend,
    head.dims,
    head.metric,
    head.layout,
    assertPositiveInteger(maxValues, 'filterIndexMaxValues', 'vector', 10_000_000),
    head.graphHeader === undefined ? 0 : head.graphHeader.M * 2 + 1,
  );
  storage.ensureCapacity(head.size);
  return storage;
}

/**
 * Parses and verifies what follows the rows (`tail`: int8 rows, levels, links; the reader must end where the
 * checksum starts), then fills `storage` — whose float32 rows are already in place — and returns the index.
 * Nothing escapes on a corrupt input: the storage is dropped with the error.
 */
export function finishIndex(head: IndexHead, storage: VectorStorage, tail: BinaryReader): FlatIndex | HnswIndex {
  const { size, dims, layout, graphHeader, entryPoint, maxLevel, ids, deleted } = head;
  let scales: Float32Array | undefined;
  let int8Rows: Uint8Array | undefined;
  if (layout.int8) {
    scales = tail.float32Array(size);
    int8Rows = tail.bytes(size * dims);
    tail.align4();
  }
  let graph: { levels: Int8Array; links0: Int32Array; upper: (Int32Array | undefined)[] } | undefined;
  if (graphHeader !== undefined) {
    const maxLinks0 = graphHeader.M * 2;
    const levels = new Int8Array(tail.bytes(size).buffer);
    tail.align4();
    const perSlot = maxLinks0 + 1;
    const links0 = tail.int32View(size * perSlot);
    graph = { levels, links0, upper: [] };
    const checkLinks = (array: Int32Array, offset: number, limit: number) => {
      const count = array[offset]!;
      if (count < 0 || count > limit) throw corrupt('invalid link count');
      for (let i = 1; i <= count; i++) {
        const target = array[offset + i]!;
        if (target < 0 || target >= size) throw corrupt('link to a missing node');
      }
    };
    for (let slot = 0; slot < size; slot++) {
      const level = levels[slot]!;
      if (level < 0 || level > maxLevel) throw corrupt('invalid node level');
      checkLinks(links0, slot * perSlot, maxLinks0);
      if (level > 0) {
        const upper = tail.int32Array(level * (graphHeader.M + 1));
        for (let layer = 0; layer < level; layer++) checkLinks(upper, layer * (graphHeader.M + 1), graphHeader.M);
        graph.upper[slot] = upper;
      }
    }
    if (size > 0 && (entryPoint < 0 || levels[entryPoint] !== maxLevel)) throw corrupt('invalid entry point');
  }
  if (tail.remaining !== 0) throw corrupt(`${tail.remaining} unexpected trailing bytes`);
  let live = 0;
  for (let slot = 0; slot < size; slot++) {
    if (deleted[slot]! > 1) throw corrupt('invalid deleted flag');
    if (deleted[slot] === 0) live++;
  }
  if (head.kind === 0 && live !== size) throw corrupt('a flat index has no tombstones');

  // Fill the storage (the float32 rows are already in its arena); it reports a live id seen twice.
  const { metadata, squaredNorms } = head;
  const duplicate = storage.restore({ ids, metadata, deleted, squaredNorms, rows: undefined, scales, int8Rows });
  if (duplicate !== undefined) throw corrupt(`duplicate live id "${duplicate.slice(0, 64)}"`);
  if (graphHeader !== undefined && graph !== undefined) {
    const hnsw = new HnswGraph(graphHeader, storage);
    hnsw.restoreLinks0(graph.links0);
    hnsw.levels.set(graph.levels);
    hnsw.upper = graph.upper;
    hnsw.entryPoint = entryPoint;
    hnsw.maxLevel = maxLevel;
    if (head.randomState !== undefined) hnsw.randomState = head.randomState;
    return new HnswIndex(storage, hnsw, { rerankFactor: head.rerankFactor, ...head.ratios });
  }
  return new FlatIndex(storage, head.rerankFactor);
}

/**
 * Loads an index saved with `index.save()`. The whole input is verified (CRC-32, bounds, links) before an
 * index is returned, so corrupt or truncated input throws `corrupt-index` and nothing half-loaded escapes.
 * The float32 rows are copied once, from the input straight into the index's memory.
 */
export function loadIndex(bytes: Uint8Array, options: LoadIndexOptions = {}): Promise<FlatIndex | HnswIndex> {
  return decodeIndex(bytes, options, portableCrc32);
}

/** `loadIndex` with a given CRC-32 implementation (the Node entry passes zlib's). */
export async function decodeIndex(
  bytes: Uint8Array,
  options: LoadIndexOptions,
  checksum: Crc32,
): Promise<FlatIndex | HnswIndex> {
  if (!(bytes instanceof Uint8Array)) {
    throw new AgenticGenError('invalid-argument', '[vector] loadIndex takes the Uint8Array written by index.save()');
  }
  // Before parsing: from here on nothing awaits, so the caller's bytes cannot change under the views below.
  const backend = await createKernelBackend(options.kernels);
  if (bytes.length < 28) throw corrupt(`only ${bytes.length} bytes`);
  const stored = new DataView(bytes.buffer, bytes.byteOffset + bytes.length - 4, 4).getUint32(0, true);
  if (crc32(bytes, 0, bytes.length - 4, 0, checksum) !== stored) throw corrupt('checksum mismatch');
  const reader = new BinaryReader(bytes, bytes.length - 4);
  const head = readIndexHead(reader);
  // A view of the rows, checked against the input's length before the storage is made for them.
  const rows = head.layout.float32 ? reader.float32View(head.size * head.dims) : undefined;
  const storage = storageFor(head, backend, options);
  if (rows !== undefined) storage.arena.f32.set(rows, storage.arena.rowOffset(0) >> 2);
  return finishIndex(head, storage, reader);
}
