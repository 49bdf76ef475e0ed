import type { CacheStore } from '../contracts/cache-store.js';
import type { Embedder } from '../contracts/embedder.js';
import type { Ranker } from '../contracts/ranker.js';
import type { Metadata, VectorStore } from '../contracts/vector-store.js';
import { throwIfAborted } from '../errors/abort.js';
import { AgenticGenError } from '../errors/agenticgen-error.js';
import { createEventBus, type EventBus } from '../events/event-bus.js';
import { Bm25Index } from './bm25-index.js';
import { type ChunkingOptions, chunkTextPaced } from './chunking.js';
import { type DocumentFormat, normalizeWhitespace, toCleanText } from './clean-text.js';
import { type ChunkEntry, hybridSearch } from './hybrid-search.js';
import {
  createPacer,
  defaultSliceCharacters,
  defaultYieldEveryMs,
  type Pacer,
  splitAtLineBreaks,
  yieldToEventLoop,
} from './ingest-pacing.js';
import {
  type DocumentInfo,
  type IngestReport,
  type KnowledgeDocument,
  type KnowledgeEvents,
  loadedChunkMetadataKeys,
  reservedMetadataKeys,
  type SearchOptions,
  type SearchResult,
} from './knowledge-types.js';
import type { LoadedChunk } from './loaders/loaded-chunk.js';
import { sha256OfJsonArray } from './sha256.js';

export {
  type DocumentInfo,
  defaultFusionWeights,
  type FusionOptions,
  type IngestReport,
  type KnowledgeDocument,
  type KnowledgeEvents,
  loadedChunkMetadataKeys,
  reservedMetadataKeys,
  type SearchOptions,
  type SearchResult,
} from './knowledge-types.js';

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
  /**
   * Milliseconds of ingest work (cleaning, chunking, hashing, embedding, indexing) between two yields to the event
   * loop (default 10), so a large document does not stall timers, I/O or rendering. The clock is checked after
   * each unit of work (a slice of text, an embedding batch, a written batch, an indexed chunk), so the pauses
   * adapt to the machine's load and to the embedder's speed. `Infinity` never yields on time.
   */
  yieldEveryMs?: number;
  /**
   * The size of a unit of text work, and a character budget: plain-text documents longer than this are cleaned
   * and chunked in slices of this size cut at line breaks (no chunk spans two slices; Markdown and HTML are
   * cleaned in one pass, then chunked section by section), and when this option is set, ingest also yields
   * after this many characters of work whatever the clock says. Default: slices of 16,384, no count.
   */
  yieldEveryCharacters?: number;
  /** How ingest yields (default `yieldToEventLoop`: the next macrotask, via `setImmediate` or a posted message). */
  yieldControl?: () => Promise<void>;
  /**
   * Where to persist the document registry (ids, content hashes, chunk counts), e.g. a Redis or IndexedDB
   * `CacheStore`. With it, `restore()` in a new process rebuilds the keyword index from the vector store and
   * re-ingesting unchanged documents stays a no-op across restarts. The registry is written without expiry
   * (`ttlMs: Infinity`); the store must also not evict it (no LRU-bounded memory-only store).
   */
  registry?: CacheStore;
  /** Key of the registry entry (default `agenticgen:knowledge:documents`); one per knowledge base. */
  registryKey?: string;
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
  /**
   * Loads the persisted registry (see `registry`) and rebuilds the keyword index and chunk cache from the vector
   * store (which must implement `get`). Returns the number of documents restored. Fails with `not-found` when
   * the registry is missing but the vector store holds chunks (it expired or was evicted).
   */
  restore(): Promise<number>;
}
export function createKnowledgeBase(options: KnowledgeBaseOptions): KnowledgeBase {
  const { vectorStore, embedder } = options;
  if (vectorStore?.dimensions !== embedder?.dimensions) {
    throw new AgenticGenError(
      'invalid-config',
      `[knowledge] the vector store has ${vectorStore?.dimensions} dimensions but the embedder "${embedder?.id}" produces ${embedder?.dimensions}; create the store with the embedder's dimensions`,
    );
  }
  const batchSize = options.batchSize ?? 64;
  const yieldEvery = options.yieldEveryCharacters ?? defaultSliceCharacters;
  if (!Number.isInteger(yieldEvery) || yieldEvery < 1_000) {
    throw new AgenticGenError('invalid-config', '[knowledge] yieldEveryCharacters must be an integer of at least 1000');
  }
  const yieldEveryMs = options.yieldEveryMs ?? defaultYieldEveryMs;
  if (typeof yieldEveryMs !== 'number' || !(yieldEveryMs >= 0)) {
    throw new AgenticGenError('invalid-config', '[knowledge] yieldEveryMs must be a number of at least 0');
  }
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

  const registryKey = options.registryKey ?? 'agenticgen:knowledge:documents';
  const persist = async () => {
    // Without expiry: a store's default TTL (createCache: one hour) would silently drop the registry, and with
    // it the keyword index and the content hashes of the next restore().
    if (options.registry !== undefined) {
      await options.registry.set(registryKey, [...documents.values()], { ttlMs: Number.POSITIVE_INFINITY });
    }
  };
  const restore = async (): Promise<number> => {
    if (options.registry === undefined) {
      throw new AgenticGenError('unsupported', '[knowledge] restore() needs the registry option (a CacheStore)');
    }
    const saved = await options.registry.get<DocumentInfo[]>(registryKey);
    if (!Array.isArray(saved)) {
      // Vectors without their registry: returning 0 would leave hybrid search quietly vector-only and make the
      // next add() re-embed every unchanged document. The store cannot list its records, so say so instead.
      const records = await vectorStore.count();
      if (records === 0) return 0;
      throw new AgenticGenError(
        'not-found',
        `[knowledge] the registry "${registryKey.slice(0, 100)}" is missing (expired, evicted or deleted) but the vector store holds ${records} chunk(s); store the registry where it cannot expire, then add() the documents again (their chunks are replaced by id)`,
        { data: { registryKey, records } },
      );
    }
    const getRecords = vectorStore.get?.bind(vectorStore);
    if (getRecords === undefined) {
      throw new AgenticGenError(
        'unsupported',
        `[knowledge] the vector store "${vectorStore.name}" cannot fetch records by id (no get()); restore() needs it to rebuild the keyword index`,
      );
    }
    for (const info of saved) {
      const ids = Array.from({ length: info.chunkCount }, (_, index) => `${info.id}#${index}`);
      for (const record of await getRecords(ids)) {
        const metadata = { ...record.metadata };
        const text = String(metadata.text ?? '');
        chunks.set(record.id, { text, metadata, vector: Float32Array.from(record.vector) });
        keywords.add(record.id, text);
      }
      documents.set(info.id, info);
    }
    return saved.length;
  };

  const ingest = async (
    batch: readonly KnowledgeDocument[],
    signal: AbortSignal | undefined,
  ): Promise<IngestReport> => {
    const report: IngestReport = { added: [], updated: [], unchanged: [], chunks: 0 };
    const pacer = createPacer({
      everyMs: yieldEveryMs,
      ...(options.yieldEveryCharacters === undefined ? {} : { everyCharacters: options.yieldEveryCharacters }),
      pause: options.yieldControl ?? yieldToEventLoop,
    });
    let completedDocuments = 0;
    const settingsOf = (document: KnowledgeDocument) => {
      const format = document.format ?? 'text';
      // Markdown and HTML keep their headings through cleaning, so they chunk by section unless told otherwise.
      const chunking: ChunkingOptions = {
        strategy: format === 'text' ? 'sentences' : 'markdown',
        ...options.chunking,
        ...document.chunking,
      };
      return { source: document.source ?? document.id, metadata: { ...document.metadata }, format, chunking };
    };
    for (const document of batch) {
      throwIfAborted(signal, 'knowledge');
      const { source, metadata, format, chunking } = settingsOf(document);
      // SHA-256 in place (see sha256.ts): Web Crypto's async digest cost a thread-pool round trip per document.
      const hash = await sha256OfJsonArray(
        [format, document.content, metadata, chunking, source, embedder.id, document.chunks ?? null],
        (characters) => pacer.spend(characters),
        yieldEvery,
      );
      const previous = documents.get(document.id);
      if (previous?.hash === hash) {
        report.unchanged.push(document.id);
        completedDocuments++;
        events.emit('document-skip', { documentId: document.id });
        continue;
      }
      const pieces: Array<{ text: string; index: number; heading?: string; place?: Metadata }> =
        document.chunks === undefined
          ? await chunkDocument(document, format, chunking, pacer)
          : document.chunks.map((chunk, index) => ({
              text: chunk.text,
              index,
              ...(chunk.heading === undefined ? {} : { heading: chunk.heading }),
              place: placeOf(chunk),
            }));
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
          if (piece.place !== undefined) Object.assign(chunkMetadata, piece.place);
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
        await pacer.spend(slice.reduce((sum, piece) => sum + piece.text.length, 0));
      }
      // Written in bounded batches, each followed by a chance to yield.
      for (let start = 0; start < entries.length; start += batchSize) {
        const slice = entries.slice(start, start + batchSize);
        await vectorStore.upsert(
          slice.map(({ id, entry }) => ({ id, vector: entry.vector, metadata: entry.metadata })),
        );
        await pacer.spend(slice.length * embedder.dimensions);
      }
      await removeChunks(document.id, entries.length);
      for (const { id, entry } of entries) {
        chunks.set(id, entry);
        keywords.add(id, entry.text);
        await pacer.spend(entry.text.length);
      }
      documents.set(document.id, { id: document.id, source, hash, chunkCount: entries.length, metadata });
      await persist();
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
      if (document.chunks !== undefined) validateLoadedChunks(document);
      const reserved: readonly string[] =
        document.chunks === undefined ? reservedMetadataKeys : [...reservedMetadataKeys, ...loadedChunkMetadataKeys];
      const clash = Object.keys(document.metadata ?? {}).filter((key) => reserved.includes(key));
      if (clash.length > 0) {
        throw new AgenticGenError(
          'invalid-argument',
          `[knowledge] document "${document.id}" uses reserved metadata key(s) ${clash.join(', ')}; rename them`,
        );
      }
    });
    return list;
  };
  /** Cleans and chunks `content` with pauses, reporting `chunk-progress` (characters of clean text chunked). */
  const chunkDocument = async (
    document: KnowledgeDocument,
    format: DocumentFormat,
    chunking: ChunkingOptions,
    pacer: Pacer,
  ) => {
    const text = await cleanPaced(document.content, format, pacer, yieldEvery);
    let processed = 0;
    const reporting: Pacer = {
      spend: async (characters) => {
        processed += characters;
        events.emit('chunk-progress', {
          documentId: document.id,
          processedCharacters: processed,
          totalCharacters: text.length,
        });
        await pacer.spend(characters);
      },
    };
    const pieces = await chunkTextPaced(text, chunking, reporting, yieldEvery);
    // A text of one slice is chunked in one go: report it once.
    if (processed < text.length) {
      events.emit('chunk-progress', {
        documentId: document.id,
        processedCharacters: text.length,
        totalCharacters: text.length,
      });
    }
    return pieces;
  };
  const search = (query: string, searchOptions?: SearchOptions) =>
    hybridSearch({ embedder, vectorStore, chunks, keywords, ranker: options.ranker }, query, searchOptions);

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
          await persist();
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
    restore: () => serialised(restore),
  };
}

/** Largest number of loader chunks in one document. */
const maxLoadedChunks = 1_000_000;

function validateLoadedChunks(document: KnowledgeDocument): void {
  const chunks = document.chunks;
  if (!Array.isArray(chunks) || chunks.length > maxLoadedChunks) {
    throw new AgenticGenError(
      'invalid-argument',
      `[knowledge] document "${document.id.slice(0, 100)}" chunks must be an array of at most ${maxLoadedChunks} loader chunks`,
    );
  }
  chunks.forEach((chunk: LoadedChunk, position: number) => {
    if (typeof chunk?.text !== 'string' || chunk.text.trim() === '') {
      throw new AgenticGenError(
        'invalid-argument',
        `[knowledge] document "${document.id.slice(0, 100)}" chunk ${position} needs non-empty text`,
      );
    }
  });
}

/**
 * `toCleanText` with pauses: plain text longer than one slice is normalised slice by slice (cut inside
 * whitespace runs holding a line break, which normalise to one or two line breaks), giving the same text as
 * one pass. Markdown and HTML need whole-document patterns (fences, tags) and are cleaned in one pass.
 */
async function cleanPaced(content: string, format: DocumentFormat, pacer: Pacer, sliceCharacters: number) {
  if (format !== 'text' || content.length <= sliceCharacters) {
    const text = toCleanText(content, format);
    await pacer.spend(content.length);
    return text;
  }
  const parts: string[] = [];
  for (const slice of splitAtLineBreaks(content, sliceCharacters)) {
    const cleaned = normalizeWhitespace(content.slice(slice.start, slice.end));
    if (cleaned !== '') {
      if (parts.length > 0) parts.push(lineBreaksIn(slice.separator) >= 2 ? '\n\n' : '\n');
      parts.push(cleaned);
    }
    await pacer.spend(slice.end - slice.start);
  }
  return parts.join('');
}

/** Line breaks in a whitespace run, counting `\r\n` once and a lone `\r` as one (as `normalizeWhitespace`). */
function lineBreaksIn(whitespace: string): number {
  return whitespace.replace(/\r\n?/g, '\n').split('\n').length - 1;
}

/** Where a loader chunk came from, as chunk metadata. */
function placeOf(chunk: LoadedChunk): Metadata {
  const place: Metadata = {};
  for (const key of ['page', 'record', 'start', 'end'] as const) {
    const value = chunk[key];
    if (typeof value === 'number' && Number.isFinite(value)) place[key] = value;
  }
  return place;
}
