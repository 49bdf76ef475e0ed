/**
 * The binary format of an in-process index (little-endian):
 *
 *   "AGVX" | u8 version | u8 kind (0 flat, 1 hnsw) | u8 metric (0 cosine, 1 dot, 2 l2) | u8 layout bits
 *   (1 = float32 rows, 2 = int8 rows) | u32 dimensions | u32 slots | u32 rerankFactor
 *   [hnsw: u32 M, efConstruction, efSearch | i32 seed | f64 filterExactScanRatio, compactionRatio |
 *    i32 entryPoint, maxLevel | u32 level generator state (version ≥ 2)]
 *   ids (u32 length + UTF-8 each) | metadata (one JSON array) | deleted flags (u8 per slot) | pad to 4
 *   | squared norms (f32) | [float32 rows] | [int8 scales (f32), int8 rows (dimensions bytes each), pad]
 *   | [hnsw: levels (i8 per slot), pad, layer-0 links (i32 × (2M+1) per slot), upper links per node]
 *   | u32 CRC-32 of everything before.
 *
 * Reading checks the CRC before building anything and validates every count and link, so a truncated or
 * altered file is a `corrupt-index` error and never a half-loaded index.
 */
import type { DistanceMetric, Metadata } from '@agenticgen/core';
import type { HnswGraph } from '../indexes/hnsw-graph.js';
import type { VectorStorage } from '../indexes/vector-storage.js';
import { BinaryWriter } from './binary-io.js';

/**
 * What the binary format needs from an index. Kept this small so the format depends on the index's parts
 * (storage, graph) and never on the index classes, which depend on it to save themselves.
 */
export interface EncodableIndex {
  /** Rows, ids, metadata and tombstones. */
  readonly storage: VectorStorage;
  /** Shortlist multiplier of int8 scans, restored on load. */
  readonly rerankFactor: number;
  /** The graph and its tuning: present for an HNSW index, absent for a flat one. */
  readonly hnsw?: {
    readonly graph: HnswGraph;
    readonly filterExactScanRatio: number;
    readonly compactionRatio: number;
  };
}

export const formatMagic = 'AGVX';
export const formatVersion = 2;
/** Oldest version `loadIndex` still reads (version 1 has no level generator state). */
export const oldestReadableVersion = 1;
export const metricCodes: readonly DistanceMetric[] = ['cosine', 'dot', 'l2'];

/** Encodes an index (call through `index.save()`, which waits for running writes). */
export function encodeIndex(index: EncodableIndex): Uint8Array {
  const storage = index.storage;
  const arena = storage.arena;
  const size = storage.size;
  const dims = storage.dimensions;
  const hnsw = index.hnsw;
  const graphBytes = hnsw === undefined ? 0 : 1 + (hnsw.graph.linkStride + 4) * 4;
  const rowBytes = (storage.layout.float32 ? dims * 4 : 0) + (storage.layout.int8 ? dims + 4 : 0);
  const writer = new BinaryWriter(128 + size * (rowBytes + graphBytes + 16));
  for (const char of formatMagic) writer.u8(char.charCodeAt(0));
  writer.u8(formatVersion);
  writer.u8(hnsw === undefined ? 0 : 1);
  writer.u8(metricCodes.indexOf(storage.metric));
  writer.u8((storage.layout.float32 ? 1 : 0) | (storage.layout.int8 ? 2 : 0));
  writer.u32(dims);
  writer.u32(size);
  writer.u32(index.rerankFactor);
  if (hnsw !== undefined) {
    const { M, efConstruction, efSearch, seed } = hnsw.graph.parameters;
    writer.u32(M);
    writer.u32(efConstruction);
    writer.u32(efSearch);
    writer.i32(seed);
    writer.f64(hnsw.filterExactScanRatio);
    writer.f64(hnsw.compactionRatio);
    writer.i32(hnsw.graph.entryPoint);
    writer.i32(hnsw.graph.maxLevel);
    writer.u32(hnsw.graph.randomState);
  }
  for (let slot = 0; slot < size; slot++) writer.string(storage.ids[slot]!);
  const metadata: Metadata[] = storage.metadata.slice(0, size);
  writer.string(JSON.stringify(metadata));
  writer.bytes(storage.deleted.subarray(0, size));
  writer.align4();
  writer.bytes(new Uint8Array(storage.squaredNorms.slice(0, size).buffer));
  if (storage.layout.float32) {
    const start = arena.rowOffset(0);
    writer.bytes(new Uint8Array(arena.backend.buffer(), start, size * dims * 4));
  }
  if (storage.layout.int8) {
    writer.bytes(new Uint8Array(storage.scales.slice(0, size).buffer));
    const i8 = new Uint8Array(arena.backend.buffer());
    for (let slot = 0; slot < size; slot++) {
      const offset = arena.rowInt8Offset(slot);
      writer.bytes(i8.subarray(offset, offset + dims));
    }
    writer.align4();
  }
  if (hnsw !== undefined) {
    const graph = hnsw.graph;
    writer.bytes(new Uint8Array(graph.levels.buffer, 0, size));
    writer.align4();
    const perSlot = graph.maxLinks0 + 1;
    writer.bytes(new Uint8Array(graph.links0(size).buffer, 0, size * perSlot * 4));
    for (let slot = 0; slot < size; slot++) {
      const upper = graph.upper[slot];
      if (upper !== undefined) writer.bytes(new Uint8Array(upper.buffer, upper.byteOffset, upper.byteLength));
    }
  }
  return writer.finish();
}
