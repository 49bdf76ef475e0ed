import type { Ranker } from '../contracts/ranker.js';
import { AgenticGenError } from '../errors/agenticgen-error.js';

/**
 * Reciprocal rank fusion (Cormack et al. 2009): `Σ 1 / (k + rank)` over the lists a document appears in.
 * It needs no score calibration between lists, which is exactly the problem of mixing cosine and BM25.
 */
export function reciprocalRankFusion(
  lists: ReadonlyArray<ReadonlyArray<{ id: string }>>,
  k = 60,
  weights?: readonly number[],
): Map<string, number> {
  const fused = new Map<string, number>();
  lists.forEach((list, position) => {
    const weight = weights?.[position] ?? 1;
    list.forEach((item, rank) => {
      fused.set(item.id, (fused.get(item.id) ?? 0) + weight / (k + rank + 1));
    });
  });
  return fused;
}

/**
 * Convex combination of normalised scores: each retriever's scores over the candidate union are rescaled to
 * [0, 1] (best 1), then summed with its weight. Unlike RRF it keeps how far apart two
 * candidates are, so a passage that is far ahead in one retriever is not pulled level by rank alone.
 */
export function weightedScoreFusion(
  retrievers: ReadonlyArray<{ scores: ReadonlyMap<string, number>; weight: number }>,
): Map<string, number> {
  const fused = new Map<string, number>();
  for (const { scores, weight } of retrievers) {
    let max = Number.NEGATIVE_INFINITY;
    let min = Number.POSITIVE_INFINITY;
    for (const score of scores.values()) {
      if (score > max) max = score;
      if (score < min) min = score;
    }
    const range = max - min;
    for (const [id, score] of scores) {
      // Non-negative scores (BM25, cosine of non-negative vectors) keep their ratio to the best, so a weak match
      // stays weak; only signed scores are min-max rescaled. Measured better than min-max on the benchmark.
      const normalised = min >= 0 ? (max > 0 ? score / max : 0) : range > 0 ? (score - min) / range : 1;
      fused.set(id, (fused.get(id) ?? 0) + weight * normalised);
    }
  }
  return fused;
}

export function cosineSimilarity(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  let normA = 0;
  let normB = 0;
  for (let index = 0; index < a.length; index++) {
    const x = a[index] ?? 0;
    const y = b[index] ?? 0;
    dot += x * y;
    normA += x * x;
    normB += y * y;
  }
  return normA === 0 || normB === 0 ? 0 : dot / Math.sqrt(normA * normB);
}

/**
 * Maximal marginal relevance: greedily picks the candidate maximising
 * `λ · relevance − (1 − λ) · max similarity to the already picked`, trading relevance for diversity.
 * Relevance is rescaled to [0, 1] so λ means the same whatever the score scale.
 */
export function maximalMarginalRelevance<T extends { id: string; score: number }>(
  candidates: readonly T[],
  vectors: ReadonlyMap<string, Float32Array>,
  topK: number,
  lambda = 0.7,
): T[] {
  if (candidates.length === 0) return [];
  const max = Math.max(...candidates.map((candidate) => candidate.score));
  const min = Math.min(...candidates.map((candidate) => candidate.score));
  // Non-negative scores keep their ratio to the best; only signed scores (negated l2) are min-max rescaled.
  const relevance = (candidate: T) =>
    min >= 0 ? (max === 0 ? 0 : candidate.score / max) : max === min ? 1 : (candidate.score - min) / (max - min);
  const remaining = [...candidates];
  const picked: T[] = [];
  while (picked.length < topK && remaining.length > 0) {
    let bestIndex = 0;
    let bestValue = Number.NEGATIVE_INFINITY;
    remaining.forEach((candidate, index) => {
      const vector = vectors.get(candidate.id);
      let redundancy = 0;
      if (vector !== undefined) {
        for (const chosen of picked) {
          const other = vectors.get(chosen.id);
          if (other !== undefined) redundancy = Math.max(redundancy, cosineSimilarity(vector, other));
        }
      }
      const value = lambda * relevance(candidate) - (1 - lambda) * redundancy;
      if (value > bestValue) {
        bestValue = value;
        bestIndex = index;
      }
    });
    picked.push(...remaining.splice(bestIndex, 1));
  }
  return picked;
}

/**
 * A ranker that reorders candidates by maximal marginal relevance over their vectors (see
 * `maximalMarginalRelevance`): near-duplicate passages stop crowding out other answers. Candidates without a
 * vector count as unlike all others. Scores returned are `1 − position / count`.
 */
export function createMmrRanker(options: { lambda?: number } = {}): Ranker {
  const lambda = options.lambda ?? 0.7;
  if (typeof lambda !== 'number' || !(lambda >= 0 && lambda <= 1)) {
    throw new AgenticGenError('invalid-config', '[knowledge] MMR lambda must be a number from 0 to 1');
  }
  return {
    name: 'mmr',
    rank: async (_query, candidates, { topK }) => {
      const vectors = new Map<string, Float32Array>();
      for (const candidate of candidates)
        if (candidate.vector !== undefined) vectors.set(candidate.id, candidate.vector);
      const picked = maximalMarginalRelevance(candidates, vectors, Math.min(topK, candidates.length), lambda);
      return picked.map(({ id }, position) => ({ id, score: 1 - position / picked.length }));
    },
  };
}
