import type { Ranker } from '../contracts/ranker.js';
import type { Metadata, MetadataFilter } from '../contracts/vector-store.js';
import type { ChunkingOptions } from './chunking.js';
import type { DocumentFormat } from './clean-text.js';
import type { LoadedChunk } from './loaders/loaded-chunk.js';

/** A document to ingest. */
export interface KnowledgeDocument {
  /** Stable id; adding the same id again replaces the document (or does nothing if unchanged). */
  id: string;
  /** The raw content. */
  content: string;
  /** Its format (default `text`). */
  format?: DocumentFormat;
  /** Where it came from (URL, path, title); shown in citations. Default: the id. */
  source?: string;
  /** Metadata copied to every chunk, for filters. Keys listed in `reservedMetadataKeys` are not allowed. */
  metadata?: Metadata;
  /** Chunking for this document (overrides the knowledge base default). */
  chunking?: ChunkingOptions;
  /**
   * Chunks made by a loader (`loadPdf`, `loadMarkdown`…): stored as they are instead of chunking `content`
   * (pass `content: ''`), each with `heading` and, when the loader set them, `page`, `record`, `start` and `end`
   * in its metadata, so a search result points to the place.
   */
  chunks?: readonly LoadedChunk[];
}

/** Metadata keys written on chunks of documents added with `chunks` (the document's own metadata may not use them). */
export const loadedChunkMetadataKeys = ['page', 'record', 'start', 'end'] as const;

/** Metadata keys the knowledge base writes on every chunk. */
export const reservedMetadataKeys = ['documentId', 'source', 'chunkIndex', 'heading', 'text'] as const;

/** What one `add` did. */
export interface IngestReport {
  /** Documents that were new. */
  added: string[];
  /** Documents whose content changed and were re-ingested. */
  updated: string[];
  /** Documents whose content hash matched: nothing was embedded or written. */
  unchanged: string[];
  /** Chunks embedded and written. */
  chunks: number;
}

/** One retrieved chunk. */
export interface SearchResult {
  /** Chunk id (`<documentId>#<chunkIndex>`). */
  id: string;
  /** The document it belongs to. */
  documentId: string;
  /** The document's source. */
  source: string;
  /** The chunk text. */
  text: string;
  /** Position of the chunk in its document. */
  chunkIndex: number;
  /** Heading path, when chunked by Markdown headings. */
  heading?: string;
  /** Final score (higher is better; RRF in hybrid mode, the ranker's when reranked). */
  score: number;
  /** Per-stage scores, for debugging relevance. */
  scores: { vector?: number; keyword?: number; fused?: number; rerank?: number };
  /** All chunk metadata. */
  metadata: Metadata;
}

export interface SearchOptions {
  /** Results to return (default 5). */
  topK?: number;
  /** Only chunks whose metadata matches. */
  filter?: MetadataFilter;
  /** `hybrid` (default): vector + BM25 fused with RRF; `vector` or `keyword` alone. */
  mode?: 'hybrid' | 'vector' | 'keyword';
  /** Candidates fetched from each retriever before fusion (default `max(20, 4 × topK)`). */
  candidates?: number;
  /** Diversify with maximal marginal relevance; `lambda` 1 is pure relevance (default 0.7). */
  mmr?: boolean | { lambda?: number };
  /** Reranker for this query; `false` disables the knowledge base's default one. */
  ranker?: Ranker | false;
  /**
   * Candidates handed to the ranker, best fused first (default: all of them, `candidates`; at most 10,000).
   * Results below the reranked head keep their fused order.
   */
  rerankTopK?: number;
  /** Drop results scoring below this (applied to the final score). */
  minScore?: number;
  /** The RRF constant k (default 60); used when `fusion.method` is `rrf`. */
  rrfK?: number;
  /** How hybrid mode combines vector and BM25 scores (defaults chosen on the retrieval benchmark). */
  fusion?: FusionOptions;
  /**
   * Relevance floor (default true): a query none of whose terms occur in the indexed text returns no results, in
   * every mode (a vector retriever otherwise always answers with its nearest, unrelated, neighbours). Turn it off
   * for semantic embedders that match across vocabularies (synonyms, other languages).
   */
  relevanceFloor?: boolean;
  /** Cancels the search. */
  signal?: AbortSignal;
}

/** Score fusion of hybrid search. */
export interface FusionOptions {
  /**
   * `weighted` (default): convex combination of scores normalised to the best candidate's, BM25 scored
   * exactly for every candidate of either retriever; `rrf`: weighted reciprocal rank fusion.
   */
  method?: 'weighted' | 'rrf';
  /** Weight of BM25 (default `defaultFusionWeights.keyword`). */
  keywordWeight?: number;
  /** Weight of the vector retriever (default `defaultFusionWeights.vector`). */
  vectorWeight?: number;
}

/** Default fusion weights, measured on packages/core/bench/retrieval (see docs/knowledge.md). */
export const defaultFusionWeights = { keyword: 0.8, vector: 0.2 } as const;

/** Events of a knowledge base. */
export interface KnowledgeEvents {
  /** Progress of an `add` call, after each embedded batch. */
  'ingest-progress': {
    /** The document being embedded. */
    documentId: string;
    /** Chunks of that document embedded so far. */
    completedChunks: number;
    /** Chunks of that document in all. */
    totalChunks: number;
    /** Documents of this `add` call fully written before this one. */
    completedDocuments: number;
    /** Documents in this `add` call. */
    totalDocuments: number;
  };
  /**
   * Progress of cleaning and chunking one document, after each slice (see `yieldEveryCharacters`); documents
   * of one slice report once.
   */
  'chunk-progress': {
    /** The document being chunked. */
    documentId: string;
    /** Characters of its clean text chunked so far. */
    processedCharacters: number;
    /** Characters of its clean text. */
    totalCharacters: number;
  };
  /** A document was written (new or changed). */
  'document-add': {
    /** The document. */
    documentId: string;
    /** Chunks it was split into. */
    chunks: number;
    /** True when it replaced an earlier version. */
    replaced: boolean;
  };
  /** A document was skipped because its content hash matched. */
  'document-skip': {
    /** The document. */
    documentId: string;
  };
  /** A document was deleted. */
  'document-delete': {
    /** The document. */
    documentId: string;
    /** Chunks removed with it. */
    chunks: number;
  };
}

/** What the knowledge base knows about a document. */
export interface DocumentInfo {
  /** Document id. */
  id: string;
  /** Its source. */
  source: string;
  /** SHA-256 of what was ingested (content, format, metadata, chunking, embedder). */
  hash: string;
  /** Number of chunks. */
  chunkCount: number;
  /** Document metadata. */
  metadata: Metadata;
}
