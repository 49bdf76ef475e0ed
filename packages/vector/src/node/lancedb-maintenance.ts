import { AgenticGenError, type DistanceMetric } from '@agenticgen/core';
import type * as LanceDb from '@lancedb/lancedb';
import type { LanceDbSdk, LanceDbVectorIndexType } from './lancedb-options.js';
import { withCommitRetry } from './table-lock.js';

/** What a compaction did. */
export interface CompactionResult {
  fragmentsRemoved: number;
  fragmentsAdded: number;
  versionsRemoved: number;
}

export function assertVectorIndexType(type: unknown): asserts type is LanceDbVectorIndexType {
  if (type !== 'ivf-pq' && type !== 'ivf-hnsw-sq') {
    throw new AgenticGenError(
      'invalid-config',
      `[vector] unknown index type "${String(type)}"; use "ivf-pq" or "ivf-hnsw-sq"`,
    );
  }
}

/** Builds (or rebuilds) the ANN index on the vectors, sized for the table's current row count. */
export async function buildVectorIndex(
  table: LanceDb.Table,
  lancedb: LanceDbSdk,
  dimensions: number,
  metric: DistanceMetric,
  type: LanceDbVectorIndexType,
): Promise<void> {
  const rows = await table.countRows();
  const Index = lancedb.Index;
  const partitions = Math.max(1, Math.round(Math.sqrt(rows)));
  let config: LanceDb.Index;
  if (type === 'ivf-pq') {
    // Sub-vectors of 8 dimensions keep PQ error low at 384–1536 dimensions.
    const subVector = [8, 4, 2, 1].find((size) => dimensions % size === 0) ?? 1;
    config = Index.ivfPq({ distanceType: metric, numPartitions: partitions, numSubVectors: dimensions / subVector });
  } else {
    config = Index.hnswSq({ distanceType: metric, numPartitions: Math.max(1, Math.round(rows / 100_000)) });
  }
  await withCommitRetry(() => table.createIndex('vector', { config, replace: true }));
}

/** Builds the full-text index on the `text` column. */
export async function buildTextIndex(table: LanceDb.Table, lancedb: LanceDbSdk): Promise<void> {
  await withCommitRetry(() => table.createIndex('text', { config: lancedb.Index.fts(), replace: true }));
}

/** Merges small fragments, updates indexes with new rows and removes versions older than `keepVersionsForMs`. */
export async function compactTable(table: LanceDb.Table, keepVersionsForMs: number): Promise<CompactionResult> {
  const stats = await withCommitRetry(() =>
    table.optimize({ cleanupOlderThan: new Date(Date.now() - keepVersionsForMs), deleteUnverified: false }),
  );
  return {
    fragmentsRemoved: stats.compaction.fragmentsRemoved,
    fragmentsAdded: stats.compaction.fragmentsAdded,
    versionsRemoved: stats.prune.oldVersionsRemoved,
  };
}
