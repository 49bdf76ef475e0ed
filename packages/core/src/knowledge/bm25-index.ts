import { analyze } from './text-analysis.js';

export interface Bm25Options {
  /** Term-frequency saturation (default 1.2). */
  k1?: number;
  /** Length normalisation (default 0.75). */
  b?: number;
}

interface Posting {
  terms: Map<string, number>;
  length: number;
}

/**
 * An in-memory BM25 keyword index (Okapi BM25 with the Lucene-style idf that never goes negative).
 * Add, replace and remove are O(terms of the document).
 */
export class Bm25Index {
  readonly #documents = new Map<string, Posting>();
  readonly #postings = new Map<string, Set<string>>();
  #totalLength = 0;
  readonly #k1: number;
  readonly #b: number;

  constructor(options: Bm25Options = {}) {
    this.#k1 = options.k1 ?? 1.2;
    this.#b = options.b ?? 0.75;
  }

  get size(): number {
    return this.#documents.size;
  }

  /** Indexes `text` under `id`, replacing what was there. */
  add(id: string, text: string): void {
    this.remove(id);
    const terms = new Map<string, number>();
    const analyzed = analyze(text);
    for (const term of analyzed) {
      const tf = terms.get(term);
      terms.set(term, tf === undefined ? 1 : tf + 1);
    }
    this.#documents.set(id, { terms, length: analyzed.length });
    this.#totalLength += analyzed.length;
    // A term's document frequency is the size of its posting set.
    for (const term of terms.keys()) {
      let ids = this.#postings.get(term);
      if (ids === undefined) {
        ids = new Set();
        this.#postings.set(term, ids);
      }
      ids.add(id);
    }
  }

  remove(id: string): void {
    const posting = this.#documents.get(id);
    if (posting === undefined) return;
    this.#documents.delete(id);
    this.#totalLength -= posting.length;
    for (const term of posting.terms.keys()) {
      const ids = this.#postings.get(term);
      ids?.delete(id);
      if (ids?.size === 0) this.#postings.delete(term);
    }
  }

  /** Whether any term of `query` occurs in the index (the relevance floor of hybrid search). */
  knowsAnyTerm(query: string): boolean {
    return analyze(query).some((term) => this.#postings.has(term));
  }

  /** BM25 scores of `query` for the given ids (0 when none of its terms occur there). */
  scoreOf(query: string, ids: Iterable<string>): Map<string, number> {
    const count = this.#documents.size;
    const averageLength = this.#totalLength / count || 1;
    const terms = [...new Set(analyze(query))];
    const scores = new Map<string, number>();
    for (const id of ids) {
      const posting = this.#documents.get(id);
      let score = 0;
      if (posting !== undefined) {
        for (const term of terms) {
          const tf = posting.terms.get(term);
          if (tf === undefined) continue;
          const frequency = this.#postings.get(term)?.size ?? 0;
          const idf = Math.log(1 + (count - frequency + 0.5) / (frequency + 0.5));
          score +=
            (idf * (tf * (this.#k1 + 1))) /
            (tf + this.#k1 * (1 - this.#b + (this.#b * posting.length) / averageLength));
        }
      }
      scores.set(id, score);
    }
    return scores;
  }

  /** The best `topK` documents for `query`, best first; `accept` filters candidates. */
  search(query: string, topK: number, accept?: (id: string) => boolean): Array<{ id: string; score: number }> {
    const count = this.#documents.size;
    if (count === 0) return [];
    const averageLength = this.#totalLength / count || 1;
    const scores = new Map<string, number>();
    for (const term of new Set(analyze(query))) {
      const ids = this.#postings.get(term);
      if (ids === undefined) continue;
      const frequency = ids.size;
      const idf = Math.log(1 + (count - frequency + 0.5) / (frequency + 0.5));
      for (const id of ids) {
        const posting = this.#documents.get(id) as Posting;
        const tf = posting.terms.get(term) ?? 0;
        const norm = tf + this.#k1 * (1 - this.#b + (this.#b * posting.length) / averageLength);
        scores.set(id, (scores.get(id) ?? 0) + (idf * (tf * (this.#k1 + 1))) / norm);
      }
    }
    const ranked: Array<{ id: string; score: number }> = [];
    for (const [id, score] of scores) if (accept === undefined || accept(id)) ranked.push({ id, score });
    ranked.sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : 1));
    return ranked.slice(0, topK);
  }
}
