import type { Ranker } from '../contracts/ranker.js';
import { AgenticGenError } from '../errors/agenticgen-error.js';
import { analyze } from './text-analysis.js';

export interface LexicalRankerOptions {
  /** Share of the final score given to query-term coverage; the rest is the retrieval score (default 0.5, measured). */
  coverageWeight?: number;
  /** Shortest shared prefix that counts as the same word in another form (default 4). */
  prefixLength?: number;
}

/**
 * A cross-scoring reranker without a model: each candidate is scored on how much of the query it covers, each
 * query term weighted by its rarity among the candidates, and a term also counts when the passage has a word
 * sharing its first `prefixLength` letters (configure / configuration / configurable), which the light
 * stemmer of BM25 and the hashed n-grams only partly catch. Mixed with the retrieval score normalised to the best.
 */
export function createLexicalRanker(options: LexicalRankerOptions = {}): Ranker {
  const coverageWeight = options.coverageWeight ?? 0.5;
  const prefixLength = options.prefixLength ?? 4;
  if (typeof coverageWeight !== 'number' || !(coverageWeight >= 0 && coverageWeight <= 1)) {
    throw new AgenticGenError('invalid-config', '[knowledge] lexical ranker coverageWeight must be from 0 to 1');
  }
  if (!Number.isInteger(prefixLength) || prefixLength < 2 || prefixLength > 20) {
    throw new AgenticGenError(
      'invalid-config',
      '[knowledge] lexical ranker prefixLength must be an integer from 2 to 20',
    );
  }
  const matches = (term: string, words: ReadonlySet<string>, prefixes: ReadonlySet<string>) =>
    words.has(term) || (term.length >= prefixLength && prefixes.has(term.slice(0, prefixLength)));
  return {
    name: 'lexical',
    rank: async (query, candidates) => {
      const terms = [...new Set(analyze(query))];
      const passages = candidates.map((candidate) => {
        const words = new Set(analyze(candidate.text));
        const prefixes = new Set<string>();
        for (const word of words) if (word.length >= prefixLength) prefixes.add(word.slice(0, prefixLength));
        return { words, prefixes };
      });
      // Rarity among the candidates: a term every candidate has tells them apart no better than none.
      const weights = terms.map((term) => {
        const having = passages.filter(({ words, prefixes }) => matches(term, words, prefixes)).length;
        return Math.log(1 + candidates.length / (1 + having));
      });
      const totalWeight = weights.reduce((sum, weight) => sum + weight, 0) || 1;
      const best = Math.max(...candidates.map((candidate) => candidate.score), 0);
      return candidates.map((candidate, index) => {
        const passage = passages[index] as { words: Set<string>; prefixes: Set<string> };
        let covered = 0;
        terms.forEach((term, position) => {
          if (matches(term, passage.words, passage.prefixes)) covered += weights[position] ?? 0;
        });
        const retrieval = best > 0 ? Math.max(candidate.score, 0) / best : 0;
        return { id: candidate.id, score: (1 - coverageWeight) * retrieval + coverageWeight * (covered / totalWeight) };
      });
    },
  };
}
