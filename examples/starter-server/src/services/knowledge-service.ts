import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setImmediate as nextTurn } from 'node:timers/promises';
import {
  AgenticGenError,
  type CacheStore,
  createHashingEmbedder,
  createKnowledgeBase,
  type DocumentFormat,
  type Embedder,
  type KnowledgeBase,
  type LoadedChunk,
  type VectorStore,
} from '@agenticgen/core';
import type { Logger } from '../log.ts';
import type { KnowledgeDocument, KnowledgePassage, KnowledgeService, UploadedDocument } from './types.ts';

interface StoredDocument extends KnowledgeDocument {
  content: string;
  /** A loaded PDF or Word document's chunks, re-ingested as they are at start. */
  loadedChunks?: LoadedChunk[];
}

export interface KnowledgeServiceOptions {
  /** Folder for the original documents (re-ingested at start, so the index always matches them). */
  directory: string;
  vectorStore: VectorStore;
  embedder?: Embedder;
  /** Caches search results; invalidated by the `knowledge` tag on every change. */
  cache?: CacheStore | undefined;
  log: Logger;
}

const formats: Record<string, DocumentFormat> = {
  'text/plain': 'text',
  'text/markdown': 'markdown',
  'text/html': 'html',
};

/** The offline embedder the starter uses: lexical, deterministic, no model download. */
export function createStarterEmbedder(): Embedder {
  return createHashingEmbedder({ dimensions: 384 });
}

/**
 * Documents on top of core's knowledge base: originals are kept in the data folder, chunked, embedded with
 * the offline hashing embedder and stored in the given vector store (LanceDB under `npm start`). Search is
 * hybrid (vector + BM25, fused) and its results are cached until the next upload or delete.
 */
export async function createKnowledgeService(options: KnowledgeServiceOptions): Promise<KnowledgeService> {
  const { directory, log, cache } = options;
  const knowledge: KnowledgeBase = createKnowledgeBase({
    vectorStore: options.vectorStore,
    embedder: yieldingEmbedder(options.embedder ?? createStarterEmbedder()),
    chunking: { chunkSize: 120, chunkOverlap: 20 },
    batchSize: ingestBatchSize,
  });
  const documents = new Map<string, StoredDocument>();
  /** Ids being ingested: a second upload of the same name while the first runs is a conflict, not a race. */
  const ingesting = new Set<string>();
  let generation = 0;
  await mkdir(directory, { recursive: true });

  // Re-ingest the stored documents so the index matches them (progress in the log for big folders).
  const files = (await readdir(directory)).filter((file) => file.endsWith('.json'));
  if (files.length > 0) {
    log('info', `knowledge: loading ${files.length} document(s)`, { directory });
    const stopProgress = knowledge.events.on('ingest-progress', (progress) => {
      if (progress.completedChunks === progress.totalChunks) {
        log('info', `knowledge: indexed ${progress.completedDocuments}/${progress.totalDocuments} documents`);
      }
    });
    const loaded: StoredDocument[] = [];
    for (const file of files) {
      try {
        loaded.push(JSON.parse(await readFile(join(directory, file), 'utf8')) as StoredDocument);
      } catch (error) {
        log('warn', 'knowledge: skipped an unreadable document', { file, error: String(error) });
      }
    }
    await knowledge.add(loaded.map(toKnowledgeDocument));
    for (const document of loaded) documents.set(document.id, document);
    stopProgress();
  }

  const summary = (document: StoredDocument): KnowledgeDocument => {
    const { content: _content, loadedChunks: _chunks, ...rest } = document;
    return { ...rest, chunks: knowledge.get(document.id)?.chunkCount ?? rest.chunks };
  };

  const addDocument = async (id: string, input: UploadedDocument): Promise<KnowledgeDocument> => {
    const stored: StoredDocument = {
      id,
      name: input.name,
      mediaType: input.mediaType,
      bytes: input.bytes ?? Buffer.byteLength(input.content),
      chunks: 0,
      addedAt: new Date().toISOString(),
      content: input.content,
      ...(input.chunks === undefined ? {} : { loadedChunks: input.chunks }),
    };
    const report = await knowledge.add(toKnowledgeDocument(stored));
    stored.chunks = knowledge.get(id)?.chunkCount ?? report.chunks;
    await writeFile(join(directory, `${id}.json`), JSON.stringify(stored));
    documents.set(id, stored);
    generation++;
    log('info', 'knowledge: document added', { id, chunks: stored.chunks });
    return summary(stored);
  };

  return {
    async add(input, addOptions = {}) {
      const id = documentId(input.name);
      const existing = documents.get(id);
      if (ingesting.has(id) || (existing !== undefined && addOptions.replace !== true)) {
        throw new AgenticGenError(
          'already-exists',
          `[server] a document with id "${id}" (${JSON.stringify((existing?.name ?? input.name).slice(0, 200))}) already exists${ingesting.has(id) ? ' and is being indexed' : ''}; upload with "replace": true (or ?replace=1) to replace it`,
          { data: { id } },
        );
      }
      ingesting.add(id);
      const onProgress = addOptions.onProgress;
      const stopProgress =
        onProgress === undefined
          ? undefined
          : knowledge.events.on('ingest-progress', (progress) => {
              if (progress.documentId !== id) return;
              onProgress({
                documentId: id,
                completedChunks: progress.completedChunks,
                totalChunks: progress.totalChunks,
              });
            });
      try {
        return await addDocument(id, input);
      } finally {
        stopProgress?.();
        ingesting.delete(id);
      }
    },
    async list() {
      return [...documents.values()].map(summary).sort((a, b) => a.name.localeCompare(b.name));
    },
    async remove(id) {
      if (!documents.has(id)) return false;
      await knowledge.delete(id);
      documents.delete(id);
      await rm(join(directory, `${id}.json`), { force: true });
      generation++;
      return true;
    },
    async search(query, topK, signal) {
      const run = async (): Promise<KnowledgePassage[]> => {
        const results = await knowledge.search(query, { topK, ...(signal === undefined ? {} : { signal }) });
        return results.map((result) => ({
          documentId: result.documentId,
          source: documents.get(result.documentId)?.name ?? result.source,
          chunk: result.chunkIndex,
          text: result.text,
          score: result.score,
          ...(typeof result.metadata.page === 'number' ? { page: result.metadata.page } : {}),
          ...(result.heading === undefined ? {} : { heading: result.heading }),
        }));
      };
      if (cache === undefined) return run();
      // The generation in the key makes every change a miss without scanning the cache; hits and misses are
      // counted by the metrics plugin from the cache's own events.
      const key = `knowledge:search:${generation}:${topK}:${query}`;
      return cache.getOrSet(key, run, { ttlMs: 10 * 60_000, tags: ['knowledge'] });
    },
    async dispose() {
      await options.vectorStore.dispose?.();
    },
  };
}

function toKnowledgeDocument(document: StoredDocument) {
  if (document.loadedChunks !== undefined) {
    return { id: document.id, content: '', source: document.name, chunks: document.loadedChunks };
  }
  return {
    id: document.id,
    content: document.content,
    format: formats[document.mediaType] ?? 'text',
    source: document.name,
    chunking: {
      strategy: document.mediaType === 'text/markdown' ? ('markdown' as const) : ('sentences' as const),
      chunkSize: 120,
      chunkOverlap: 20,
    },
  };
}

/**
 * A stable id from the file name, keeping letters and digits of every script (`日本語.md` and `中文.md` are two
 * documents), so uploading a file again names the same document. At most 60 characters (240 UTF-8 bytes), so
 * `<id>.json` fits every file system's name limit.
 */
export function documentId(name: string): string {
  const slug = name
    .normalize('NFC')
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}._-]+/gu, '-')
    .replace(/^[-.]+|-+$/g, '');
  const short = Array.from(slug).slice(0, 60).join('');
  return short === '' ? 'document' : short;
}

/** Chunks embedded per batch; the event loop gets a turn between batches. */
const ingestBatchSize = 64;

/**
 * The embedder, giving the event loop a turn before each batch: a 10 MB upload is thousands of chunks, and
 * embedding them in one stretch would hold every other request (and WebSocket heartbeats) until it is done.
 */
function yieldingEmbedder(embedder: Embedder): Embedder {
  return {
    id: embedder.id,
    dimensions: embedder.dimensions,
    normalized: embedder.normalized,
    async embed(texts, options) {
      await nextTurn();
      return embedder.embed(texts, options);
    },
  };
}
