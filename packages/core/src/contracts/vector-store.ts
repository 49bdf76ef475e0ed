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
  /** Inserts or replaces records by id. Validates all records before changing anything. */
  upsert(records: readonly VectorRecord[]): Promise<void>;
  /** Deletes records by id; unknown ids are ignored. */
  delete(ids: readonly string[]): Promise<void>;
  /** The best matches, best first. */
  query(query: VectorQuery): Promise<VectorMatch[]>;
  /** Number of live records. */
  count(): Promise<number>;
  /** Fetches records by id (missing ids are skipped). */
  get?(ids: readonly string[]): Promise<VectorRecord[]>;
  /** Releases resources (files, native handles). */
  dispose?(): Promise<void>;
}
