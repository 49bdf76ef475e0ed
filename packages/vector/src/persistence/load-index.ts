import { AgenticGenError, type Metadata } from '@agenticgen/core';
import { FlatIndex } from '../indexes/flat-index.js';
import { HnswGraph } from '../indexes/hnsw-graph.js';
import { HnswIndex } from '../indexes/hnsw-index.js';
import { defaultFilterIndexMaxValues } from '../indexes/metadata-index.js';
import { assertPositiveInteger, noMetadata } from '../indexes/validation.js';
import { VectorStorage } from '../indexes/vector-storage.js';
import type { KernelPreference } from '../kernels/kernel-backend.js';
import { createKernelBackend } from '../kernels/load-kernels.js';
import { BinaryReader, corrupt, crc32 } from './binary-io.js';
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

/**
 * Loads an index saved with `index.save()`. The whole input is verified (CRC-32, bounds, links) before an
 * index is built, so corrupt or truncated input throws `corrupt-index` and nothing half-loaded escapes.
 */
export async function loadIndex(bytes: Uint8Array, options: LoadIndexOptions = {}): Promise<FlatIndex | HnswIndex> {
  if (!(bytes instanceof Uint8Array)) {
    throw new AgenticGenError('invalid-argument', '[vector] loadIndex takes the Uint8Array written by index.save()');
  }
  // Before parsing: from here on nothing awaits, so the caller's bytes cannot change under the views below.
  const backend = await createKernelBackend(options.kernels);
  if (bytes.length < 28) throw corrupt(`only ${bytes.length} bytes`);
  const magic = String.fromCharCode(...bytes.subarray(0, 4));
  if (magic !== formatMagic) throw corrupt('not an AgenticGen vector index (bad magic)');
  const stored = new DataView(bytes.buffer, bytes.byteOffset + bytes.length - 4, 4).getUint32(0, true);
  if (crc32(bytes, 0, bytes.length - 4) !== stored) throw corrupt('checksum mismatch');
  const reader = new BinaryReader(bytes, bytes.length - 4);
  reader.offset = 4;
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
  let graphHeader: { M: number; efConstruction: number; efSearch: number; seed: number } | undefined;
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
  // Views, not copies: the rows are copied once, into the index's memory.
  const squaredNorms = reader.float32View(size);
  const rows = layout.float32 ? reader.float32View(size * dims) : undefined;
  let scales: Float32Array | undefined;
  let int8Rows: Uint8Array | undefined;
  if (layout.int8) {
    scales = reader.float32Array(size);
    int8Rows = reader.bytes(size * dims);
    reader.align4();
  }
  let graph: { levels: Int8Array; links0: Int32Array; upper: (Int32Array | undefined)[] } | undefined;
  if (graphHeader !== undefined) {
    const maxLinks0 = graphHeader.M * 2;
    const levels = new Int8Array(reader.bytes(size).buffer);
    reader.align4();
    const perSlot = maxLinks0 + 1;
    const links0 = reader.int32View(size * perSlot);
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
        const upper = reader.int32Array(level * (graphHeader.M + 1));
        for (let layer = 0; layer < level; layer++) checkLinks(upper, layer * (graphHeader.M + 1), graphHeader.M);
        graph.upper[slot] = upper;
      }
    }
    if (size > 0 && (entryPoint < 0 || levels[entryPoint] !== maxLevel)) throw corrupt('invalid entry point');
  }
  if (reader.remaining !== 0) throw corrupt(`${reader.remaining} unexpected trailing bytes`);
  const seen = new Set<string>();
  for (let slot = 0; slot < size; slot++) {
    if (deleted[slot]! > 1) throw corrupt('invalid deleted flag');
    if (deleted[slot] === 0) {
      if (seen.has(ids[slot]!)) throw corrupt(`duplicate live id "${ids[slot]}"`);
      seen.add(ids[slot]!);
    }
  }
  if (kind === 0 && seen.size !== size) throw corrupt('a flat index has no tombstones');

  // Everything is verified: build the index (synchronously: the views above read the caller's bytes).
  const maxValues = options.filterIndexMaxValues ?? defaultFilterIndexMaxValues;
  const storage = new VectorStorage(
    backend,
    dims,
    metric,
    layout,
    assertPositiveInteger(maxValues, 'filterIndexMaxValues', 'vector', 10_000_000),
    graphHeader === undefined ? 0 : graphHeader.M * 2 + 1,
  );
  storage.restore({ ids, metadata: metadata as Metadata[], deleted, squaredNorms, rows, scales, int8Rows });
  if (graphHeader !== undefined && graph !== undefined) {
    const hnsw = new HnswGraph(graphHeader, storage);
    hnsw.restoreLinks0(graph.links0);
    hnsw.levels.set(graph.levels);
    hnsw.upper = graph.upper;
    hnsw.entryPoint = entryPoint;
    hnsw.maxLevel = maxLevel;
    if (randomState !== undefined) hnsw.randomState = randomState;
    return new HnswIndex(storage, hnsw, { rerankFactor, ...ratios });
  }
  return new FlatIndex(storage, rerankFactor);
}
