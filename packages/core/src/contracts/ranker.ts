/**
 * Re-scores retrieval candidates after fusion: a cross-encoder (the vector package's transformers.js ranker), a
 * provider rerank API, maximal marginal relevance, or a lexical scorer. The knowledge base hands a ranker its
 * best `rerankTopK` candidates and re-sorts them by the scores it returns.
 */
import type { Metadata } from './vector-store.js';

/** A retrieval candidate handed to a ranker. */
export interface RankCandidate {
  /** Chunk id (`<documentId>#<chunkIndex>`). */
  id: string;
  /** Chunk text. */
  text: string;
  /** Chunk metadata. */
  metadata: Metadata;
  /** The score retrieval gave it (higher is better; fused in hybrid mode). */
  score: number;
  /** The chunk's embedding, when the knowledge base holds it (MMR measures redundancy with it). */
  vector?: Float32Array;
}

/** Options of one `rank` call. */
export interface RankOptions {
  /** Results the search will return; a ranker may stop after this many. */
  topK: number;
  /** Cancels the work. */
  signal?: AbortSignal;
}

export interface Ranker {
  /** Name, for logs and debugging (`mmr`, `cross-encoder:ms-marco-MiniLM`). */
  readonly name: string;
  /**
   * New scores for `candidates` (higher is better), in any order; ids the ranker omits are dropped from the
   * results. Must not invent ids.
   */
  rank(
    query: string,
    candidates: readonly RankCandidate[],
    options: RankOptions,
  ): Promise<Array<{ id: string; score: number }>>;
}
