import type { AsyncResource } from '../contracts/async-resource.js';
import type { DistanceMetric, Metadata, VectorMatch, VectorRecord, VectorStore } from '../contracts/vector-store.js';
import { throwIfAborted } from '../errors/abort.js';
import { AgenticGenError } from '../errors/agenticgen-error.js';
import { matchesFilter, validateFilter } from '../filters/metadata-filter.js';

export interface MemoryVectorStoreOptions {
  /** Vector length every record must have. */
  dimensions: number;
  /** Similarity metric (default `cosine`). */
  metric?: DistanceMetric;
}

interface Entry {
  vector: Float32Array;
  norm: number;
  metadata: Metadata;
}

/**
 * An exact (brute-force) in-memory vector store: correct by construction and fine up to tens of thousands
 * of records. `@agenticgen/vector` has the fast indexes (flat SIMD-friendly, HNSW) and LanceDB.
 */
export function createMemoryVectorStore(options: MemoryVectorStoreOptions): VectorStore & AsyncResource {
  const { dimensions } = options;
  const metric = options.metric ?? 'cosine';
  if (!Number.isInteger(dimensions) || dimensions < 1) {
    throw new AgenticGenError(
      'invalid-argument',
      `[knowledge] dimensions must be a positive integer, got ${dimensions}`,
    );
  }
  const entries = new Map<string, Entry>();
  let disposed = false;
  /** Every operation starts here: a disposed store or an aborted caller changes and returns nothing. */
  const begin = (signal: AbortSignal | undefined) => {
    if (disposed) throw new AgenticGenError('disposed', '[knowledge] this memory vector store was disposed');
    throwIfAborted(signal, 'knowledge');
  };
  // The codes are the VectorStore contract's (the suite in @agenticgen/vector/testing checks them).
  const check = (vector: Float32Array | readonly number[], what: string) => {
    if (vector?.length !== dimensions) {
      throw new AgenticGenError(
        'dimension-mismatch',
        `[knowledge] dimension mismatch: store has ${dimensions}, ${what} has ${vector?.length ?? 'no vector'}`,
      );
    }
    let nonZero = false;
    for (let index = 0; index < vector.length; index++) {
      if (!Number.isFinite(vector[index])) {
        throw new AgenticGenError('invalid-vector', `[knowledge] ${what} has a non-finite component at ${index}`);
      }
      if (vector[index] !== 0) nonZero = true;
    }
    if (metric === 'cosine' && !nonZero) {
      throw new AgenticGenError(
        'invalid-vector',
        `[knowledge] ${what} is all zeros, which has no cosine similarity; drop it or use the "dot" or "l2" metric`,
      );
    }
  };
  const normOf = (vector: Float32Array) => {
    let sum = 0;
    for (let index = 0; index < vector.length; index++) sum += (vector[index] ?? 0) ** 2;
    return Math.sqrt(sum);
  };
  // One loop per metric: the knowledge base's vector side is this scan, so it computes only what it returns.
  const score = (query: Float32Array, queryNorm: number, entry: Entry): number => {
    const vector = entry.vector;
    if (metric === 'l2') {
      let distance = 0;
      for (let index = 0; index < dimensions; index++) {
        const difference = (query[index] as number) - (vector[index] as number);
        distance += difference * difference;
      }
      return -Math.sqrt(distance);
    }
    let dot = 0;
    for (let index = 0; index < dimensions; index++) dot += (query[index] as number) * (vector[index] as number);
    if (metric === 'dot') return dot;
    return queryNorm === 0 || entry.norm === 0 ? 0 : dot / (queryNorm * entry.norm);
  };
  return {
    name: 'memory',
    dimensions,
    metric,
    async upsert(records, options) {
      begin(options?.signal);
      // Validate everything first: a bad record must not leave the store half-updated.
      records.forEach((record, position) => {
        if (typeof record?.id !== 'string' || record.id === '') {
          throw new AgenticGenError('invalid-argument', `[knowledge] record ${position} needs a non-empty string id`);
        }
        check(record.vector, `record "${record.id}"`);
      });
      for (const record of records) {
        const vector = Float32Array.from(record.vector);
        entries.set(record.id, { vector, norm: normOf(vector), metadata: { ...record.metadata } });
      }
    },
    async delete(ids, options) {
      begin(options?.signal);
      for (const id of ids) entries.delete(id);
    },
    async query(query) {
      begin(undefined);
      check(query.vector, 'query vector');
      if (query.filter !== undefined) validateFilter(query.filter);
      if (!Number.isInteger(query.topK) || query.topK < 1) {
        throw new AgenticGenError('invalid-argument', `[knowledge] topK must be a positive integer, got ${query.topK}`);
      }
      throwIfAborted(query.signal, 'knowledge');
      const vector = Float32Array.from(query.vector);
      const queryNorm = normOf(vector);
      // Keep only the best topK while scanning (sorted, best first); copies are made for those alone.
      const best: Array<{ id: string; score: number; entry: Entry }> = [];
      const before = (a: { id: string; score: number }, b: { id: string; score: number }) =>
        a.score > b.score || (a.score === b.score && a.id < b.id);
      for (const [id, entry] of entries) {
        if (query.filter !== undefined && !matchesFilter(entry.metadata, query.filter)) continue;
        const similarity = score(vector, queryNorm, entry);
        if (query.minScore !== undefined && similarity < query.minScore) continue;
        const candidate = { id, score: similarity, entry };
        const last = best[best.length - 1];
        if (best.length === query.topK && last !== undefined && !before(candidate, last)) continue;
        let position = best.length;
        while (position > 0 && before(candidate, best[position - 1] as { id: string; score: number })) position--;
        best.splice(position, 0, candidate);
        if (best.length > query.topK) best.pop();
      }
      return best.map(({ id, score: similarity, entry }) => {
        const match: VectorMatch = { id, score: similarity, metadata: { ...entry.metadata } };
        if (query.includeVectors) match.vector = entry.vector.slice();
        return match;
      });
    },
    async count() {
      begin(undefined);
      return entries.size;
    },
    async get(ids) {
      begin(undefined);
      const found: VectorRecord[] = [];
      for (const id of ids) {
        const entry = entries.get(id);
        if (entry !== undefined) found.push({ id, vector: entry.vector.slice(), metadata: { ...entry.metadata } });
      }
      return found;
    },
    async dispose() {
      disposed = true;
      entries.clear();
    },
    [Symbol.asyncDispose]() {
      return this.dispose();
    },
  };
}
