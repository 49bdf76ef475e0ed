/**
 * The vector store contract: the in-process flat/HNSW indexes and the LanceDB store implement it; the
 * knowledge base and the semantic cache consume it. One filter language for all stores (see `MetadataFilter`).
 */

/** Metadata values a store can filter on. */
export type MetadataValue = string | number | boolean | null;

/** Flat metadata attached to a vector. */
export type Metadata = Record<string, MetadataValue>;

/** Comparison operators on one field. */
export interface FieldOperators {
  /** Equal. */
  $eq?: MetadataValue;
  /** Not equal. */
  $ne?: MetadataValue;
  /** One of. */
  $in?: readonly MetadataValue[];
  /** None of. */
  $nin?: readonly MetadataValue[];
  /** Greater than (numbers and strings). */
  $gt?: number | string;
  /** Greater than or equal. */
  $gte?: number | string;
  /** Less than. */
  $lt?: number | string;
  /** Less than or equal. */
  $lte?: number | string;
  /** Field present (true) or absent (false). */
  $exists?: boolean;
}

/**
 * A MongoDB-style filter: `{ lang: 'en', year: { $gte: 2020 }, $or: [{ a: 1 }, { b: 2 }] }`.
 * Fields at one level are AND-ed. Unknown operators are rejected with `invalid-filter`.
 */
export type MetadataFilter = {
  /** All sub-filters match. */
  $and?: readonly MetadataFilter[];
  /** At least one sub-filter matches. */
  $or?: readonly MetadataFilter[];
  /** The sub-filter does not match. */
  $not?: MetadataFilter;
} & { [field: string]: MetadataValue | FieldOperators | readonly MetadataFilter[] | MetadataFilter | undefined };

/** Similarity metric. Scores are always "higher is more similar". */
export type DistanceMetric = 'cosine' | 'dot' | 'l2';

/** A vector with its id and metadata. */
export interface VectorRecord {
  /** Unique id; upserting an existing id replaces it. */
  id: string;
  /** The vector; its length must equal the store's dimensions. */
  vector: Float32Array | readonly number[];
  /** Metadata for filters and for the caller. */
  metadata?: Metadata;
}

/** A similarity query. */
export interface VectorQuery {
  /** The query vector. */
  vector: Float32Array | readonly number[];
  /** How many matches to return. */
  topK: number;
  /** Only records whose metadata matches. */
  filter?: MetadataFilter;
  /** Drop matches scoring below this. */
  minScore?: number;
  /** Return stored vectors with the matches. */
  includeVectors?: boolean;
  /** Cancels the query. */
  signal?: AbortSignal;
}

/** Options of `VectorStore.upsert` and `delete`. */
export interface VectorWriteOptions {
  /**
   * Cancels the write while it waits (for a lock, a batch in progress, the database). Once the store has started
   * applying the batch, it finishes it: a write is never half-applied.
   */
  signal?: AbortSignal;
}

/** One result of a query. */
export interface VectorMatch {
  /** Record id. */
  id: string;
  /** Similarity (cosine and dot: higher is closer; l2: the negated distance). */
  score: number;
  /** Record metadata. */
  metadata: Metadata;
  /** The stored vector, when asked for. */
  vector?: Float32Array;
}

export interface VectorStore {
  /** Store name, e.g. `hnsw`, `flat`, `lancedb`. */
  readonly name: string;
  /** Vector length every record must have. */
  readonly dimensions: number;
  /** The metric used for scores. */
  readonly metric: DistanceMetric;
  /**
   * Inserts or replaces records by id. Validates all records before changing anything. An aborted
   * `options.signal` rejects with `aborted`; the batch is then applied entirely or not at all.
   */
  upsert(records: readonly VectorRecord[], options?: VectorWriteOptions): Promise<void>;
  /** Deletes records by id; unknown ids are ignored. Cancellable like `upsert`. */
  delete(ids: readonly string[], options?: VectorWriteOptions): Promise<void>;
  /** The best matches, best first. */
  query(query: VectorQuery): Promise<VectorMatch[]>;
  /** Number of live records. */
  count(): Promise<number>;
  /** Fetches records by id (missing ids are skipped). */
  get?(ids: readonly string[]): Promise<VectorRecord[]>;
  /** Releases resources (files, native handles). Idempotent. */
  dispose?(): Promise<void>;
  /** The same as `dispose()`, for `await using` (every built-in store has both; see `AsyncResource`). */
  [Symbol.asyncDispose]?(): Promise<void>;
}
