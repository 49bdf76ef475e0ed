import type { TieredCache } from '@agenticgen/cache';
import {
  createHashingEmbedder,
  createKnowledgeBase,
  type KnowledgeBase,
  type KnowledgeDocument,
} from '@agenticgen/core';
import {
  createHnswIndex,
  deleteIndexFromIndexedDb,
  type FlatIndex,
  type HnswIndex,
  loadIndexFromIndexedDb,
  saveIndexToIndexedDb,
} from '@agenticgen/vector';

export interface PersistentKnowledgeOptions {
  /** IndexedDB database of the vector index. */
  database: string;
  /** Key of the index in that database. */
  key: string;
  /** Where the knowledge base keeps its document registry (an IndexedDB-backed cache, entries never expire). */
  registry: TieredCache;
}

/** The knowledge base, its HNSW index, and what was found in IndexedDB when the page opened. */
export interface PersistentKnowledge {
  readonly knowledge: KnowledgeBase;
  readonly index: FlatIndex | HnswIndex;
  /** Vectors loaded from IndexedDB at start-up (0 on a first visit). */
  readonly restoredVectors: number;
  /** Documents whose keyword index and registry were rebuilt at start-up. */
  readonly restoredDocuments: number;
  add(document: KnowledgeDocument): Promise<{ chunks: number; unchanged: boolean }>;
  delete(documentId: string): Promise<void>;
  /** Deletes everything: index, registry and in-memory state. */
  reset(): Promise<PersistentKnowledge>;
}

/** 256 hashed features: small enough to persist quickly, enough to keep unrelated words apart. */
const dimensions = 256;

/**
 * Opens the knowledge base on an HNSW index persisted in IndexedDB (@agenticgen/vector) with core's offline
 * hashing embedder. On reload the saved index is loaded and `restore()` rebuilds the keyword index and the
 * document list from it and the registry, so nothing is embedded again. Every change saves the index.
 */
export async function openPersistentKnowledge(options: PersistentKnowledgeOptions): Promise<PersistentKnowledge> {
  const location = { database: options.database, key: options.key };
  const embedder = createHashingEmbedder({ dimensions });
  const saved = await loadIndexFromIndexedDb(location).catch((error: unknown) => {
    // A damaged or incompatible index is not worth a broken page: start empty and say so in the console.
    console.warn('[browser-app] the saved vector index could not be loaded; starting empty', error);
    return undefined;
  });
  const index =
    saved !== undefined && saved.dimensions === dimensions
      ? saved
      : await createHnswIndex({ dimensions, metric: 'cosine', M: 16, efConstruction: 128, seed: 7 });
  const restoredVectors = saved === index ? await index.count() : 0;
  const knowledge = createKnowledgeBase({
    vectorStore: index,
    embedder,
    chunking: { chunkSize: 80, chunkOverlap: 10 },
    registry: options.registry,
    registryKey: `knowledge:${options.key}`,
  });
  const restoredDocuments = restoredVectors > 0 ? await knowledge.restore() : 0;

  // One save at a time, in order, so an older index never overwrites a newer one; a failed save (quota, private
  // mode) is reported to its caller and does not block the next one.
  let saving: Promise<void> = Promise.resolve();
  const save = () => {
    saving = saving.catch(() => undefined).then(() => saveIndexToIndexedDb(index, location));
    return saving;
  };

  return {
    knowledge,
    index,
    restoredVectors,
    restoredDocuments,
    async add(document) {
      const report = await knowledge.add(document);
      if (report.chunks > 0) await save();
      return { chunks: report.chunks, unchanged: report.unchanged.length > 0 };
    },
    async delete(documentId) {
      await knowledge.delete(documentId);
      await save();
    },
    async reset() {
      await saving.catch(() => undefined);
      const ids = knowledge.list().map((document) => document.id);
      if (ids.length > 0) await knowledge.delete(ids);
      await deleteIndexFromIndexedDb(location);
      await options.registry.delete(`knowledge:${options.key}`);
      await index.dispose();
      return openPersistentKnowledge(options);
    },
  };
}
