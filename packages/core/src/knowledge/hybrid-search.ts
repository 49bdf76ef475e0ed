import type { Embedder } from '../contracts/embedder.js';
import type { Ranker } from '../contracts/ranker.js';
import type { Metadata, VectorStore } from '../contracts/vector-store.js';
import { throwIfAborted } from '../errors/abort.js';
import { AgenticGenError } from '../errors/agenticgen-error.js';
import { matchesFilter, validateFilter } from '../filters/metadata-filter.js';
import type { Bm25Index } from './bm25-index.js';
import { defaultFusionWeights, type SearchOptions, type SearchResult } from './knowledge-types.js';
import { maximalMarginalRelevance, reciprocalRankFusion, weightedScoreFusion } from './ranking.js';

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
 * Hybrid retrieval: vector and BM25 candidates (both filtered), fused by weighted normalised scores (or RRF), then an
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
  const fusion = validateFusion(searchOptions);
  const { filter, signal } = searchOptions;
  // The relevance floor: with no query term in the indexed text every "match" is noise (the hashing embedder
  // still finds a nearest neighbour), so say "no matches" instead.
  if (searchOptions.relevanceFloor !== false && !keywords.knowsAnyTerm(query)) return [];
  const candidates = searchOptions.candidates ?? Math.max(20, topK * 4);
  const rerankTopK = searchOptions.rerankTopK ?? candidates;
  if (!Number.isInteger(rerankTopK) || rerankTopK < 1 || rerankTopK > 10_000) {
    throw new AgenticGenError(
      'invalid-argument',
      `[knowledge] rerankTopK must be an integer from 1 to 10000, got ${String(rerankTopK).slice(0, 20)}`,
    );
  }
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

  let fused: Map<string, number> | undefined;
  if (mode === 'hybrid' && fusion.method === 'rrf') {
    fused = reciprocalRankFusion(lists, searchOptions.rrfK, [fusion.vectorWeight, fusion.keywordWeight]);
  } else if (mode === 'hybrid') {
    // BM25 is cheap to score exactly for every candidate; a candidate the vector list missed gets that list's
    // lowest score (it ranked below all of them), which normalises to 0.
    const exactKeyword = keywords.scoreOf(query, found.keys());
    const lowestVector = vectorScores.size === 0 ? 0 : Math.min(...vectorScores.values());
    const vectorUnion = new Map<string, number>();
    for (const id of found.keys()) vectorUnion.set(id, vectorScores.get(id) ?? lowestVector);
    fused = weightedScoreFusion([
      { scores: exactKeyword, weight: fusion.keywordWeight },
      { scores: vectorUnion, weight: fusion.vectorWeight },
    ]);
  }
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
    // Only the head goes to the ranker (a cross-encoder costs a forward pass per candidate); the tail keeps its
    // order below the reranked head.
    const head = ranked.slice(0, rerankTopK);
    const rescored = await ranker.rank(
      query,
      head.map(({ id, text, metadata, score }) => {
        const vector = chunks.get(id)?.vector;
        return vector === undefined ? { id, text, metadata, score } : { id, text, metadata, score, vector };
      }),
      { topK, ...(signal === undefined ? {} : { signal }) },
    );
    throwIfAborted(signal, 'knowledge');
    const byId = new Map(head.map((result) => [result.id, result]));
    const reranked = rescored.flatMap(({ id, score }) => {
      const result = byId.get(id);
      if (result === undefined || typeof score !== 'number' || Number.isNaN(score)) return [];
      byId.delete(id);
      return [{ ...result, score, scores: { ...result.scores, rerank: score } }];
    });
    reranked.sort((a, b) => b.score - a.score);
    ranked = [...reranked, ...ranked.slice(rerankTopK)];
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

function validateFusion(searchOptions: SearchOptions): {
  method: 'weighted' | 'rrf';
  keywordWeight: number;
  vectorWeight: number;
} {
  const method = searchOptions.fusion?.method ?? 'weighted';
  const keywordWeight = searchOptions.fusion?.keywordWeight ?? defaultFusionWeights.keyword;
  const vectorWeight = searchOptions.fusion?.vectorWeight ?? defaultFusionWeights.vector;
  if (method !== 'weighted' && method !== 'rrf') {
    throw new AgenticGenError('invalid-argument', '[knowledge] fusion.method must be "weighted" or "rrf"');
  }
  for (const [name, weight] of [
    ['keywordWeight', keywordWeight],
    ['vectorWeight', vectorWeight],
  ] as const) {
    if (typeof weight !== 'number' || !(weight >= 0 && weight <= 1000)) {
      throw new AgenticGenError('invalid-argument', `[knowledge] fusion.${name} must be a number from 0 to 1000`);
    }
  }
  if (keywordWeight + vectorWeight === 0) {
    throw new AgenticGenError('invalid-argument', '[knowledge] fusion weights cannot both be 0');
  }
  return { method, keywordWeight, vectorWeight };
}
