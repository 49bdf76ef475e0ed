import { AgenticGenError } from '../errors/agenticgen-error.js';
import type { SearchOptions, SearchResult } from './knowledge-types.js';

/** One query whose answer is known. */
export interface RetrievalQuery {
  /** Stable id, shown in misses. */
  id: string;
  /** The query text. */
  query: string;
  /** Ids of the relevant documents or chunks (a result matches on `documentId` or chunk `id`). */
  relevant: readonly string[];
}

/** A named set of known-answer queries. */
export interface RetrievalDataset {
  /** Name, for reports (`readme-distinctive`). */
  name: string;
  /** The queries (at most `maxEvaluationQueries`). */
  queries: readonly RetrievalQuery[];
}

/** What `evaluateRetrieval` needs: anything that searches like a knowledge base. */
export interface SearchableKnowledge {
  search(query: string, options?: SearchOptions): Promise<SearchResult[]>;
}

export interface EvaluateRetrievalOptions {
  /** Cut-offs for recall and nDCG (default `[1, 5, 10]`); results fetched = the largest. */
  k?: readonly number[];
  /** Options for every search (mode, fusion, ranker…); `topK` is set from `k`. */
  search?: Omit<SearchOptions, 'topK'>;
  /** Misses kept in the report (default 20). */
  maxMisses?: number;
}

/** A query whose relevant passage was not in the top `max(k)`, or not first. */
export interface RetrievalMiss {
  id: string;
  /** The query, cut to 200 characters. */
  query: string;
  /** 1-based rank of the first relevant result, or `null` when absent from the top `max(k)`. */
  rank: number | null;
  /** Ids of the top 3 results. */
  top: string[];
}

/** The metrics of one dataset. */
export interface RetrievalReport {
  dataset: string;
  queries: number;
  /** Fraction of queries with a relevant result in the top k, per k. */
  recall: Record<number, number>;
  /** Mean reciprocal rank of the first relevant result within the top `max(k)`. */
  mrr: number;
  /** Mean nDCG (binary relevance) per k. */
  ndcg: Record<number, number>;
  /** Search latency in milliseconds (median and 95th percentile). */
  latencyMs: { p50: number; p95: number };
  /** Queries not ranked first, worst first (at most `maxMisses`). */
  misses: RetrievalMiss[];
}

/** Largest dataset `evaluateRetrieval` accepts. */
export const maxEvaluationQueries = 100_000;

/**
 * Runs every query of `dataset` against `knowledge` and measures recall@k, MRR and nDCG@k, keeping the misses
 * so a regression can be read query by query. Queries run one after another so latencies do not overlap.
 */
export async function evaluateRetrieval(
  knowledge: SearchableKnowledge,
  dataset: RetrievalDataset,
  options: EvaluateRetrievalOptions = {},
): Promise<RetrievalReport> {
  const cutoffs = validateCutoffs(options.k ?? [1, 5, 10]);
  validateDataset(dataset);
  const maxMisses = options.maxMisses ?? 20;
  const depth = Math.max(...cutoffs);
  const hits = new Map(cutoffs.map((k) => [k, 0]));
  const gains = new Map(cutoffs.map((k) => [k, 0]));
  let reciprocalRanks = 0;
  const latencies: number[] = [];
  const misses: RetrievalMiss[] = [];
  for (const query of dataset.queries) {
    const relevant = new Set(query.relevant);
    const started = performance.now();
    const results = await knowledge.search(query.query, { ...options.search, topK: depth });
    latencies.push(performance.now() - started);
    const relevantRanks: number[] = [];
    results.slice(0, depth).forEach((result, index) => {
      if (relevant.has(result.id) || relevant.has(result.documentId)) relevantRanks.push(index + 1);
    });
    const first = relevantRanks[0];
    if (first !== undefined) reciprocalRanks += 1 / first;
    for (const k of cutoffs) {
      if (first !== undefined && first <= k) hits.set(k, (hits.get(k) ?? 0) + 1);
      const dcg = relevantRanks.filter((rank) => rank <= k).reduce((sum, rank) => sum + 1 / Math.log2(rank + 1), 0);
      let ideal = 0;
      for (let rank = 1; rank <= Math.min(k, relevant.size); rank++) ideal += 1 / Math.log2(rank + 1);
      gains.set(k, (gains.get(k) ?? 0) + (ideal === 0 ? 0 : dcg / ideal));
    }
    if (first !== 1) {
      misses.push({
        id: query.id,
        query: query.query.slice(0, 200),
        rank: first ?? null,
        top: results.slice(0, 3).map((result) => result.id),
      });
    }
  }
  const count = dataset.queries.length;
  misses.sort((a, b) => (b.rank ?? Number.POSITIVE_INFINITY) - (a.rank ?? Number.POSITIVE_INFINITY));
  latencies.sort((a, b) => a - b);
  return {
    dataset: dataset.name,
    queries: count,
    recall: Object.fromEntries(cutoffs.map((k) => [k, (hits.get(k) ?? 0) / count])),
    mrr: reciprocalRanks / count,
    ndcg: Object.fromEntries(cutoffs.map((k) => [k, (gains.get(k) ?? 0) / count])),
    latencyMs: {
      p50: latencies[Math.floor((count - 1) * 0.5)] ?? 0,
      p95: latencies[Math.floor((count - 1) * 0.95)] ?? 0,
    },
    misses: misses.slice(0, maxMisses),
  };
}

/** A fixed-width text table of reports, one row each (`label` defaults to the dataset name). */
export function formatRetrievalTable(rows: ReadonlyArray<{ label?: string; report: RetrievalReport }>): string {
  const cutoffs = [...new Set(rows.flatMap(({ report }) => Object.keys(report.recall).map(Number)))].sort(
    (a, b) => a - b,
  );
  const header = [
    'run',
    'queries',
    ...cutoffs.map((k) => `R@${k}`),
    'MRR',
    ...cutoffs.map((k) => `nDCG@${k}`),
    'p50 ms',
  ];
  const body = rows.map(({ label, report }) => [
    label ?? report.dataset,
    String(report.queries),
    ...cutoffs.map((k) => (report.recall[k] ?? Number.NaN).toFixed(3)),
    report.mrr.toFixed(3),
    ...cutoffs.map((k) => (report.ndcg[k] ?? Number.NaN).toFixed(3)),
    report.latencyMs.p50.toFixed(2),
  ]);
  const widths = header.map((cell, column) => Math.max(cell.length, ...body.map((row) => (row[column] ?? '').length)));
  const line = (cells: string[]) => cells.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join('  ');
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...body.map(line)].join('\n');
}

function validateCutoffs(k: readonly number[]): number[] {
  if (
    !Array.isArray(k) ||
    k.length === 0 ||
    k.length > 20 ||
    !k.every((v) => Number.isInteger(v) && v >= 1 && v <= 1000)
  ) {
    throw new AgenticGenError(
      'invalid-argument',
      '[knowledge] evaluateRetrieval k must be 1 to 20 integers from 1 to 1000',
    );
  }
  return [...new Set(k)].sort((a, b) => a - b);
}

function validateDataset(dataset: RetrievalDataset): void {
  const queries = dataset?.queries;
  if (!Array.isArray(queries) || queries.length === 0 || queries.length > maxEvaluationQueries) {
    throw new AgenticGenError(
      'invalid-argument',
      `[knowledge] a retrieval dataset needs 1 to ${maxEvaluationQueries} queries, got ${Array.isArray(queries) ? queries.length : typeof queries}`,
    );
  }
  queries.forEach((query, position) => {
    if (
      typeof query?.query !== 'string' ||
      query.query.trim() === '' ||
      !Array.isArray(query.relevant) ||
      query.relevant.length === 0
    ) {
      throw new AgenticGenError(
        'invalid-argument',
        `[knowledge] dataset query ${position} needs a non-empty query and at least one relevant id`,
        { data: { position } },
      );
    }
  });
}
