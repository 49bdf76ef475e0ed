// Shared by the Node and Chromium tests of `buildHnswIndex`: a data set, recall against exact search, and a
// structural check of the built graph.
import type { VectorRecord } from '@agenticgen/core';
import { createFlatIndex } from '../../indexes/flat-index.js';
import type { HnswIndex } from '../../indexes/hnsw-index.js';
import { clusteredVectors } from '../../testing/random-vectors.js';

export const buildDimensions = 32;
export const buildOptions = { dimensions: buildDimensions, M: 16, efConstruction: 100, seed: 7 } as const;
/** efSearch values of the recall curve. */
export const curveEf = [10, 16, 32, 64];

export function buildData(count: number, queryCount: number): { records: VectorRecord[]; queries: Float32Array[] } {
  const data = clusteredVectors(count + queryCount, buildDimensions, { seed: 11, clusters: 40, spread: 0.5 });
  const row = (index: number) => data.subarray(index * buildDimensions, (index + 1) * buildDimensions);
  return {
    records: Array.from({ length: count }, (_, index) => ({ id: `r${index}`, vector: row(index) })),
    queries: Array.from({ length: queryCount }, (_, index) => row(count + index)),
  };
}

export async function exactNeighbours(records: VectorRecord[], queries: Float32Array[]): Promise<string[][]> {
  const flat = await createFlatIndex({ dimensions: buildDimensions });
  await flat.upsert(records);
  return Promise.all(queries.map(async (vector) => (await flat.query({ vector, topK: 10 })).map((m) => m.id)));
}

/** Recall@10 at each `curveEf`. */
export async function recallCurve(index: HnswIndex, queries: Float32Array[], truth: string[][]): Promise<number[]> {
  const curve: number[] = [];
  for (const ef of curveEf) {
    index.efSearch = ef;
    let hits = 0;
    for (const [q, vector] of queries.entries()) {
      const wanted = new Set(truth[q]);
      for (const match of await index.query({ vector, topK: 10 })) if (wanted.has(match.id)) hits++;
    }
    curve.push(hits / (queries.length * 10));
  }
  return curve;
}

/**
 * What a valid graph satisfies: link counts within M (2M on layer 0), ids of existing nodes at that layer,
 * no self links, the entry point on the top level, every node reachable from it on layer 0.
 */
export function graphProblems(index: HnswIndex): string[] {
  const graph = index.graph;
  const size = index.storage.size;
  const { M } = graph.parameters;
  const links0 = graph.links0(size);
  const problems: string[] = [];
  const neighbours0 = (slot: number) => {
    const at = slot * graph.linkStride;
    return Array.from(links0.subarray(at + 1, at + 1 + links0[at]!));
  };
  for (let slot = 0; slot < size && problems.length < 10; slot++) {
    const count = links0[slot * graph.linkStride]!;
    if (count < 1 || count > 2 * M) problems.push(`node ${slot} has ${count} layer-0 links`);
    for (const other of neighbours0(slot)) {
      if (other < 0 || other >= size || other === slot) problems.push(`node ${slot} links ${other} on layer 0`);
    }
    const level = graph.levels[slot]!;
    for (let layer = 1; layer <= level; layer++) {
      const upper = graph.upper[slot]!;
      const at = (layer - 1) * (M + 1);
      const upperCount = upper[at]!;
      if (upperCount > M) problems.push(`node ${slot} has ${upperCount} links on layer ${layer}`);
      for (const other of upper.subarray(at + 1, at + 1 + upperCount)) {
        if (other === slot || (graph.levels[other] ?? -1) < layer)
          problems.push(`node ${slot} links ${other} on ${layer}`);
      }
    }
  }
  if (graph.levels[graph.entryPoint] !== graph.maxLevel) problems.push('the entry point is not on the top level');
  const seen = new Uint8Array(size);
  const stack = [graph.entryPoint];
  seen[graph.entryPoint] = 1;
  let reached = 1;
  while (stack.length > 0) {
    for (const other of neighbours0(stack.pop()!)) {
      if (seen[other] === 0) {
        seen[other] = 1;
        reached++;
        stack.push(other);
      }
    }
  }
  if (reached !== size) problems.push(`${size - reached} nodes unreachable on layer 0`);
  return problems;
}
