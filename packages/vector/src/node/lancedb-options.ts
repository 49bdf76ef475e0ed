import type { DistanceMetric, MetadataFilter, VectorMatch } from '@agenticgen/core';
import type * as LanceDb from '@lancedb/lancedb';
import type { MetadataFieldType } from './lancedb-filter.js';

/** The `@lancedb/lancedb` module as the store calls it (the package's own types; not part of the public API). */
export type LanceDbSdk = typeof LanceDb;

/**
 * The `@lancedb/lancedb` module, to inject (`import * as lancedb from '@lancedb/lancedb'` satisfies it). Declared
 * here so the published types never import the optional peer (a project without it type-checks with
 * skipLibCheck off).
 */
export interface LanceDbModule {
  connect(...args: never[]): unknown;
  readonly Index: object;
}

/** Vector index kinds the store can build. */
export type LanceDbVectorIndexType = 'ivf-pq' | 'ivf-hnsw-sq';

export interface LanceDbStoreOptions {
  /** Database directory (or any URI LanceDB accepts). */
  uri: string;
  /** Table name; default `vectors`. Created on first open. */
  table?: string;
  /** Vector length. */
  dimensions: number;
  /** Metric; default `cosine`. Stored with the table, so reopening with another metric fails. */
  metric?: DistanceMetric;
  /** Metadata fields stored as typed columns so filters can use them (fixed at table creation). */
  metadataFields?: Record<string, MetadataFieldType>;
  /** Metadata field whose string value is indexed for `fullTextSearch` and `hybridSearch`. */
  textField?: string;
  /**
   * Automatic vector index: built once the table reaches `threshold` rows (default 100,000; below that an
   * exact scan is fast and exact). `false` never builds one automatically. Default type `ivf-pq`.
   */
  vectorIndex?: false | { type?: LanceDbVectorIndexType; threshold?: number };
  /** Query tuning once an index exists: IVF probes (default 20) and PQ re-ranking factor (default 10). */
  search?: { nprobes?: number; refineFactor?: number; ef?: number };
  /**
   * Compact small fragments (and drop old versions) every this many writes; default 64, `false` never.
   */
  compactEveryWrites?: number | false;
  /** How long old table versions are kept by compaction; default 10 minutes. */
  keepVersionsForMs?: number;
  /**
   * Seconds between checks for commits by other handles or processes; default 0 (every operation sees
   * the latest version, which upserts need to stay duplicate-free). Raise it only for read-only use.
   */
  readConsistencyInterval?: number;
  /** Inject the `@lancedb/lancedb` module (default: imported lazily). */
  lancedb?: LanceDbModule;
  /** Inject `apache-arrow`, the CommonJS instance LanceDB uses (default: required lazily). */
  arrow?: object;
}

/** A full-text query. */
export interface TextSearchQuery {
  /** The words to look for. */
  text: string;
  /** How many matches. */
  topK: number;
  /** Metadata prefilter. */
  filter?: MetadataFilter;
  /** Cancels the query. */
  signal?: AbortSignal;
}

/** A hybrid (vector + full-text) query, fused by reciprocal rank. */
export interface HybridSearchQuery extends TextSearchQuery {
  /** The query vector. */
  vector: Float32Array | readonly number[];
  /** RRF constant k in 1/(k + rank); default 60. */
  rrfK?: number;
  /** Candidates taken from each side before fusion; default 2·topK. */
  candidates?: number;
}

/** A hybrid match: `score` is the fused RRF score; the ranks say where it came from. */
export interface HybridMatch extends VectorMatch {
  /** 1-based rank in the vector results, if present there. */
  vectorRank?: number;
  /** 1-based rank in the full-text results, if present there. */
  textRank?: number;
}
