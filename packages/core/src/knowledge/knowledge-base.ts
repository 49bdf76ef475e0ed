import type { Embedder } from '../contracts/embedder.js';
import type { Metadata, MetadataFilter, VectorStore } from '../contracts/vector-store.js';
import { throwIfAborted } from '../errors/abort.js';
import { AgenticGenError } from '../errors/agenticgen-error.js';
import { createEventBus, type EventBus } from '../events/event-bus.js';
import { matchesFilter, validateFilter } from '../filters/metadata-filter.js';
import { Bm25Index } from './bm25-index.js';
import { type ChunkingOptions, chunkText } from './chunking.js';
import { type DocumentFormat, toCleanText } from './clean-text.js';
import { maximalMarginalRelevance, type Ranker, reciprocalRankFusion } from './ranking.js';

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
}

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
  /** Drop results scoring below this (applied to the final score). */
  minScore?: number;
  /** The RRF constant k (default 60). */
  rrfK?: number;
  /** Cancels the search. */
  signal?: AbortSignal;
}

/** Events of a knowledge base. */
export interface KnowledgeEvents {
  /** Progress of an `add` call, after each embedded batch. */
  'ingest-progress': {
    documentId: string;
    completedChunks: number;
    totalChunks: number;
    completedDocuments: number;
    totalDocuments: number;
  };
  /** A document was written (new or changed). */
  'document-add': { documentId: string; chunks: number; replaced: boolean };
  /** A document was skipped because its content hash matched. */
  'document-skip': { documentId: string };
  /** A document was deleted. */
  'document-delete': { documentId: string; chunks: number };
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

export interface KnowledgeBaseOptions {
  /** Where chunk vectors go. Its dimensions must equal the embedder's. */
  vectorStore: VectorStore;
  /** Turns chunks and queries into vectors (see `createHashingEmbedder` for an offline default). */
  embedder: Embedder;
  /** Default chunking (default: sentences, 200 tokens, 30 overlap). */
  chunking?: ChunkingOptions;
  /** Chunks per `embed` call (default 64). */
  batchSize?: number;
  /** Default reranker for searches. */
  ranker?: Ranker;
}

export interface KnowledgeBase {
  /** Events: ingest progress, document add/skip/delete. */
  readonly events: EventBus<KnowledgeEvents>;
  /** The embedder. */
  readonly embedder: Embedder;
  /** The vector store. */
  readonly vectorStore: VectorStore;
  /** Adds or replaces documents; unchanged content is a no-op. */
  add(
    documents: KnowledgeDocument | readonly KnowledgeDocument[],
    options?: { signal?: AbortSignal },
  ): Promise<IngestReport>;
  /** Replaces an existing document; `not-found` if it was never added. */
  update(document: KnowledgeDocument, options?: { signal?: AbortSignal }): Promise<IngestReport>;
  /** Deletes documents and their chunks; returns how many existed. */
  delete(documentIds: string | readonly string[]): Promise<number>;
  /** A document's info. */
  get(documentId: string): DocumentInfo | undefined;
  /** Every document's info. */
  list(): DocumentInfo[];
  /** Retrieves the best chunks for a query. */
  search(query: string, options?: SearchOptions): Promise<SearchResult[]>;
}

interface ChunkEntry {
  text: string;
  metadata: Metadata;
  vector: Float32Array;
}

/** Creates a knowledge base over any `VectorStore` and `Embedder`. */
export function createKnowledgeBase(options: KnowledgeBaseOptions): KnowledgeBase {
  const { vectorStore, embedder } = options;
  if (vectorStore?.dimensions !== embedder?.dimensions) {
    throw new AgenticGenError(
      'invalid-config',
      `[knowledge] the vector store has ${vectorStore?.dimensions} dimensions but the embedder "${embedder?.id}" produces ${embedder?.dimensions}; create the store with the embedder's dimensions`,
    );
  }
  const batchSize = options.batchSize ?? 64;
  const events = createEventBus<KnowledgeEvents>();
  const documents = new Map<string, DocumentInfo>();
  const chunks = new Map<string, ChunkEntry>();
  const keywords = new Bm25Index();
  // Mutations run one at a time so concurrent adds of one document cannot interleave their writes.
  let writes: Promise<unknown> = Promise.resolve();
  const serialised = <T>(work: () => Promise<T>): Promise<T> => {
    const next = writes.then(work, work);
    writes = next.catch(() => undefined);
    return next;
  };

  const removeChunks = async (documentId: string, from: number) => {
    const info = documents.get(documentId);
    if (info === undefined || info.chunkCount <= from) return;
    const stale = Array.from({ length: info.chunkCount - from }, (_, offset) => `${documentId}#${from + offset}`);
    await vectorStore.delete(stale);
    for (const id of stale) {
      chunks.delete(id);
      keywords.remove(id);
    }
  };

  const ingest = async (
    batch: readonly KnowledgeDocument[],
    signal: AbortSignal | undefined,
  ): Promise<IngestReport> => {
    const report: IngestReport = { added: [], updated: [], unchanged: [], chunks: 0 };
    let completedDocuments = 0;
    for (const document of batch) {
      throwIfAborted(signal, 'knowledge');
      const source = document.source ?? document.id;
      const metadata = { ...document.metadata };
      const format = document.format ?? 'text';
      // Markdown and HTML keep their headings through cleaning, so they chunk by section unless told otherwise.
      const chunking: ChunkingOptions = {
        strategy: format === 'text' ? 'sentences' : 'markdown',
        ...options.chunking,
        ...document.chunking,
      };
      const hash = await sha256(JSON.stringify([format, document.content, metadata, chunking, source, embedder.id]));
      const previous = documents.get(document.id);
      if (previous?.hash === hash) {
        report.unchanged.push(document.id);
        completedDocuments++;
        events.emit('document-skip', { documentId: document.id });
        continue;
      }
      const text = toCleanText(document.content, format);
      const pieces = chunkText(text, chunking);
      const entries: Array<{ id: string; entry: ChunkEntry }> = [];
      // Embed everything before writing anything: a failure leaves the previous version intact.
      for (let start = 0; start < pieces.length; start += batchSize) {
        throwIfAborted(signal, 'knowledge');
        const slice = pieces.slice(start, start + batchSize);
        const vectors = await embedder.embed(
          slice.map((piece) => piece.text),
          signal === undefined ? {} : { signal },
        );
        slice.forEach((piece, offset) => {
          const vector = vectors[offset];
          if (vector?.length !== embedder.dimensions) {
            throw new AgenticGenError(
              'invalid-response',
              `[knowledge] embedder "${embedder.id}" returned ${vectors.length} vectors of length ${vector?.length} for ${slice.length} texts; expected ${embedder.dimensions}`,
            );
          }
          const chunkMetadata: Metadata = {
            ...metadata,
            documentId: document.id,
            source,
            chunkIndex: piece.index,
            text: piece.text,
          };
          if (piece.heading !== undefined) chunkMetadata.heading = piece.heading;
          entries.push({
            id: `${document.id}#${piece.index}`,
            entry: { text: piece.text, metadata: chunkMetadata, vector },
          });
        });
        events.emit('ingest-progress', {
          documentId: document.id,
          completedChunks: Math.min(start + batchSize, pieces.length),
          totalChunks: pieces.length,
          completedDocuments,
          totalDocuments: batch.length,
        });
      }
      await vectorStore.upsert(
        entries.map(({ id, entry }) => ({ id, vector: entry.vector, metadata: entry.metadata })),
      );
      await removeChunks(document.id, entries.length);
      for (const { id, entry } of entries) {
        chunks.set(id, entry);
        keywords.add(id, entry.text);
      }
      documents.set(document.id, { id: document.id, source, hash, chunkCount: entries.length, metadata });
      (previous === undefined ? report.added : report.updated).push(document.id);
      report.chunks += entries.length;
      completedDocuments++;
      events.emit('document-add', {
        documentId: document.id,
        chunks: entries.length,
        replaced: previous !== undefined,
      });
    }
    return report;
  };

  const validateDocuments = (input: KnowledgeDocument | readonly KnowledgeDocument[]): KnowledgeDocument[] => {
    const list = Array.isArray(input) ? [...(input as readonly KnowledgeDocument[])] : [input as KnowledgeDocument];
    const seen = new Set<string>();
    list.forEach((document, position) => {
      if (typeof document?.id !== 'string' || document.id === '' || document.id.includes('#')) {
        throw new AgenticGenError(
          'invalid-argument',
          `[knowledge] document ${position} needs a non-empty string id without "#"`,
        );
      }
      if (seen.has(document.id)) {
        throw new AgenticGenError(
          'invalid-argument',
          `[knowledge] document "${document.id}" appears twice in one add; pass it once`,
        );
      }
      seen.add(document.id);
      if (typeof document.content !== 'string') {
        throw new AgenticGenError('invalid-argument', `[knowledge] document "${document.id}" content must be a string`);
      }
      const clash = Object.keys(document.metadata ?? {}).filter((key) =>
        (reservedMetadataKeys as readonly string[]).includes(key),
      );
      if (clash.length > 0) {
        throw new AgenticGenError(
          'invalid-argument',
          `[knowledge] document "${document.id}" uses reserved metadata key(s) ${clash.join(', ')}; rename them`,
        );
      }
    });
    return list;
  };

  const search = async (query: string, searchOptions: SearchOptions = {}): Promise<SearchResult[]> => {
    const topK = searchOptions.topK ?? 5;
    const mode = searchOptions.mode ?? 'hybrid';
    if (typeof query !== 'string' || query.trim() === '') {
      throw new AgenticGenError('invalid-argument', '[knowledge] the search query must be a non-empty string');
    }
    if (!Number.isInteger(topK) || topK < 1) {
      throw new AgenticGenError('invalid-argument', `[knowledge] topK must be a positive integer, got ${topK}`);
    }
    if (searchOptions.filter !== undefined) validateFilter(searchOptions.filter);
    const { filter, signal } = searchOptions;
    const candidates = searchOptions.candidates ?? Math.max(20, topK * 4);
    const vectorScores = new Map<string, number>();
    const keywordScores = new Map<string, number>();
    const found = new Map<string, { text: string; metadata: Metadata }>();
    const lists: Array<Array<{ id: string }>> = [];

    if (mode !== 'keyword') {
      const [vector] = await embedder.embed([query], signal === undefined ? {} : { signal });
      if (vector === undefined)
        throw new AgenticGenError('invalid-response', `[knowledge] embedder "${embedder.id}" returned no vector`);
      const matches = await vectorStore.query({
        vector,
        topK: candidates,
        ...(filter === undefined ? {} : { filter }),
        ...(signal === undefined ? {} : { signal }),
      });
      for (const match of matches) {
        vectorScores.set(match.id, match.score);
        const local = chunks.get(match.id);
        found.set(match.id, {
          text: local?.text ?? String(match.metadata.text ?? ''),
          metadata: local?.metadata ?? match.metadata,
        });
      }
      lists.push(matches);
    }
    if (mode !== 'vector') {
      const matches = keywords.search(
        query,
        candidates,
        filter === undefined
          ? undefined
          : (id) => {
              const entry = chunks.get(id);
              return entry !== undefined && matchesFilter(entry.metadata, filter);
            },
      );
      for (const match of matches) {
        keywordScores.set(match.id, match.score);
        const local = chunks.get(match.id);
        if (local !== undefined && !found.has(match.id)) found.set(match.id, local);
      }
      lists.push(matches);
    }
    throwIfAborted(signal, 'knowledge');

    const fused = mode === 'hybrid' ? reciprocalRankFusion(lists, searchOptions.rrfK) : undefined;
    let ranked = [...found.entries()].map(([id, { text, metadata }]) => {
      const result: SearchResult = {
        id,
        documentId: String(metadata.documentId ?? id.slice(0, id.lastIndexOf('#'))),
        source: String(metadata.source ?? ''),
        text,
        chunkIndex: Number(metadata.chunkIndex ?? 0),
        score: 0,
        scores: {},
        metadata,
      };
      if (typeof metadata.heading === 'string') result.heading = metadata.heading;
      const vectorScore = vectorScores.get(id);
      const keywordScore = keywordScores.get(id);
      if (vectorScore !== undefined) result.scores.vector = vectorScore;
      if (keywordScore !== undefined) result.scores.keyword = keywordScore;
      if (fused !== undefined) result.scores.fused = fused.get(id) ?? 0;
      result.score = fused !== undefined ? (fused.get(id) ?? 0) : (vectorScore ?? keywordScore ?? 0);
      return result;
    });
    ranked.sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : 1));

    const ranker = searchOptions.ranker === false ? undefined : (searchOptions.ranker ?? options.ranker);
    if (ranker !== undefined && ranked.length > 0) {
      const rescored = await ranker.rank(
        query,
        ranked.map(({ id, text, metadata, score }) => ({ id, text, metadata, score })),
        { topK, ...(signal === undefined ? {} : { signal }) },
      );
      const byId = new Map(ranked.map((result) => [result.id, result]));
      ranked = rescored.flatMap(({ id, score }) => {
        const result = byId.get(id);
        if (result === undefined) return [];
        return [{ ...result, score, scores: { ...result.scores, rerank: score } }];
      });
      ranked.sort((a, b) => b.score - a.score);
    }
    if (searchOptions.mmr) {
      const lambda = typeof searchOptions.mmr === 'object' ? searchOptions.mmr.lambda : undefined;
      const vectors = new Map<string, Float32Array>();
      for (const result of ranked) {
        const vector = chunks.get(result.id)?.vector;
        if (vector !== undefined) vectors.set(result.id, vector);
      }
      ranked = maximalMarginalRelevance(ranked, vectors, topK, lambda);
    }
    const minScore = searchOptions.minScore;
    return ranked.filter((result) => minScore === undefined || result.score >= minScore).slice(0, topK);
  };

  return {
    events,
    embedder,
    vectorStore,
    add: async (input, addOptions = {}) => {
      const list = validateDocuments(input);
      return serialised(() => ingest(list, addOptions.signal));
    },
    update: async (document, updateOptions = {}) => {
      const list = validateDocuments(document);
      return serialised(async () => {
        if (!documents.has(document.id)) {
          throw new AgenticGenError(
            'not-found',
            `[knowledge] no document "${document.id}" to update; use add() for new documents`,
          );
        }
        return ingest(list, updateOptions.signal);
      });
    },
    delete: (input) =>
      serialised(async () => {
        const ids = typeof input === 'string' ? [input] : [...input];
        let deleted = 0;
        for (const id of ids) {
          const info = documents.get(id);
          if (info === undefined) continue;
          await removeChunks(id, 0);
          documents.delete(id);
          deleted++;
          events.emit('document-delete', { documentId: id, chunks: info.chunkCount });
        }
        return deleted;
      }),
    get: (documentId) => {
      const info = documents.get(documentId);
      return info === undefined ? undefined : { ...info, metadata: { ...info.metadata } };
    },
    list: () => [...documents.values()].map((info) => ({ ...info, metadata: { ...info.metadata } })),
    search,
  };
}

async function sha256(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, '0')).join('');
}
