import type { Embedder } from '../contracts/embedder.js';
import type { Metadata, VectorStore } from '../contracts/vector-store.js';
import { throwIfAborted } from '../errors/abort.js';
import { AgenticGenError } from '../errors/agenticgen-error.js';
import { matchesFilter, validateFilter } from '../filters/metadata-filter.js';
import type { Bm25Index } from './bm25-index.js';
import type { SearchOptions, SearchResult } from './knowledge-types.js';
import { maximalMarginalRelevance, type Ranker, reciprocalRankFusion } from './ranking.js';

/** A chunk as the knowledge base keeps it in memory. */
export interface ChunkEntry {
  text: string;
  metadata: Metadata;
  vector: Float32Array;
}

/** Creates a knowledge base over any `VectorStore` and `Embedder`. */

/** What retrieval reads. */
export interface SearchIndex {
  embedder: Embedder;
  vectorStore: VectorStore;
  chunks: ReadonlyMap<string, ChunkEntry>;
  keywords: Bm25Index;
  ranker: Ranker | undefined;
}

/**
 * Hybrid retrieval: vector and BM25 candidates (both filtered), fused with reciprocal rank fusion, then an
 * optional reranker and MMR. `vector` and `keyword` modes use one retriever and its raw scores.
 */
export async function hybridSearch(
  index: SearchIndex,
  query: string,
  searchOptions: SearchOptions = {},
): Promise<SearchResult[]> {
  const { embedder, vectorStore, chunks, keywords } = index;
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

  const ranker = searchOptions.ranker === false ? undefined : (searchOptions.ranker ?? index.ranker);
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
}
