import type { DistanceMetric, Metadata, MetadataFilter, VectorMatch } from '@agenticgen/core';
import { AgenticGenError, reciprocalRankFusion } from '@agenticgen/core';
import type * as LanceDb from '@lancedb/lancedb';
import { filterToSql, type MetadataFieldType } from './lancedb-filter.js';
import type { HybridMatch, LanceDbStoreOptions, TextSearchQuery } from './lancedb-options.js';

/** A result row as the store selects it. */
export interface Row {
  id: string;
  metadata: string;
  vector?: { toArray(): Float32Array };
  _distance?: number;
  _score?: number;
}

/** The public score of a LanceDB distance (cosine 1 − cos, dot 1 − a·b, l2 squared Euclidean): higher is nearer. */
export function scoreOf(metric: DistanceMetric, distance: number): number {
  if (metric === 'l2') return -Math.sqrt(Math.max(0, distance));
  return 1 - distance;
}

export function toMatch(row: Row, score: number, includeVector: boolean): VectorMatch {
  const match: VectorMatch = { id: row.id, score, metadata: JSON.parse(row.metadata) as Metadata };
  if (includeVector && row.vector !== undefined) match.vector = Float32Array.from(row.vector.toArray());
  return match;
}

/** The `topK` nearest rows under the prefilter, tuned for the ANN index when there is one. */
export async function vectorRows(
  table: LanceDb.Table,
  metric: DistanceMetric,
  fields: Readonly<Record<string, MetadataFieldType>>,
  tuning: { indexed: boolean; search: LanceDbStoreOptions['search'] },
  request: { vector: Float32Array; topK: number; filter: MetadataFilter | undefined; withVectors: boolean },
): Promise<Row[]> {
  const columns = ['id', 'metadata', '_distance', ...(request.withVectors ? ['vector'] : [])];
  let search = table.vectorSearch(request.vector).distanceType(metric).limit(request.topK).select(columns);
  if (request.filter !== undefined) search = search.where(filterToSql(request.filter, fields));
  if (tuning.indexed) {
    const options = tuning.search ?? {};
    search = search.nprobes(options.nprobes ?? 20).refineFactor(options.refineFactor ?? 10);
    if (options.ef !== undefined) search = search.ef(options.ef);
  }
  return (await search.toArray()) as Row[];
}

/** BM25 matches of `query.text` under the prefilter (the full-text index must exist). */
export async function textRows(
  table: LanceDb.Table,
  fields: Readonly<Record<string, MetadataFieldType>>,
  query: TextSearchQuery,
  limit: number,
): Promise<Row[]> {
  let search = table.query().fullTextSearch(query.text).limit(limit).select(['id', 'metadata', '_score']);
  if (query.filter !== undefined) search = search.where(filterToSql(query.filter, fields));
  return (await search.toArray()) as Row[];
}

/** The candidates per side and the RRF constant of a hybrid query, checked. */
export function hybridSettings(query: { topK: number; candidates?: number; rrfK?: number }): {
  candidates: number;
  rrfK: number;
} {
  const candidates = query.candidates ?? query.topK * 2;
  const rrfK = query.rrfK ?? 60;
  if (!Number.isInteger(candidates) || candidates < 1 || !(rrfK >= 0)) {
    throw new AgenticGenError('invalid-argument', '[vector] candidates must be a positive integer and rrfK ≥ 0');
  }
  return { candidates, rrfK };
}

/**
 * Fuses the vector and full-text lists with core's reciprocal rank fusion (score = Σ 1/(k + rank), ranks from 1),
 * so neither side's score scale dominates, and reports where each match ranked on each side. Returns every
 * match, best first.
 */
export function fuseByReciprocalRank(
  vectorMatches: VectorMatch[],
  textMatches: VectorMatch[],
  k: number,
): HybridMatch[] {
  const fused = new Map<string, HybridMatch>();
  vectorMatches.forEach((match, index) => {
    fused.set(match.id, { ...match, score: 0, vectorRank: index + 1 });
  });
  textMatches.forEach((match, index) => {
    fused.set(match.id, { ...(fused.get(match.id) ?? { ...match, score: 0 }), textRank: index + 1 });
  });
  for (const [id, score] of reciprocalRankFusion([vectorMatches, textMatches], k)) {
    (fused.get(id) as HybridMatch).score = score;
  }
  return [...fused.values()].sort((a, b) => b.score - a.score);
}
