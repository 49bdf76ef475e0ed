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
  let disposed = false;
  /** Every operation starts here: a disposed store or an aborted caller changes and returns nothing. */
  const begin = (signal: AbortSignal | undefined) => {
    if (disposed) throw new AgenticGenError('disposed', '[knowledge] this memory vector store was disposed');
    throwIfAborted(signal, 'knowledge');
  };
  // The codes are the VectorStore contract's (the suite in @agenticgen/vector/testing checks them).
  // Rows live in one contiguous Float32Array (swap-removed on delete), so the scan walks memory in order
  // instead of chasing one object per record; it is the whole vector side of a knowledge-base search.
  const positions = new Map<string, number>();
  const ids: string[] = [];
  const metadataOf: Metadata[] = [];
  let rows = new Float32Array(dimensions * 64);
  let norms = new Float32Array(64);
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
  const normOf = (vector: Float32Array, offset = 0) => {
    let sum = 0;
    for (let index = offset; index < offset + dimensions; index++) sum += (vector[index] as number) ** 2;
    return Math.sqrt(sum);
  };
  const rowOf = (position: number) => rows.subarray(position * dimensions, (position + 1) * dimensions);
  const write = (id: string, vector: Float32Array | readonly number[], metadata: Metadata) => {
    let position = positions.get(id);
    if (position === undefined) {
      position = ids.length;
      if ((position + 1) * dimensions > rows.length) {
        const grown = new Float32Array(rows.length * 2);
        grown.set(rows);
        rows = grown;
        const grownNorms = new Float32Array(norms.length * 2);
        grownNorms.set(norms);
        norms = grownNorms;
      }
      positions.set(id, position);
      ids.push(id);
    }
    rows.set(vector, position * dimensions);
    norms[position] = normOf(rows, position * dimensions);
    metadataOf[position] = { ...metadata };
  };
  const remove = (id: string) => {
    const position = positions.get(id);
    if (position === undefined) return;
    const last = ids.length - 1;
    if (position !== last) {
      const lastId = ids[last] as string;
      rows.copyWithin(position * dimensions, last * dimensions, (last + 1) * dimensions);
      norms[position] = norms[last] as number;
      ids[position] = lastId;
      metadataOf[position] = metadataOf[last] as Metadata;
      positions.set(lastId, position);
    }
    ids.pop();
    metadataOf.pop();
    positions.delete(id);
  };
  // One loop per metric, four products per step: the scan computes only what it returns. `nonzero` lists the
  // query's non-zero components when they are at most half of them (a short query through the hashing
  // embedder): the dot product then reads only those.
  const score = (query: Float32Array, queryNorm: number, nonzero: Int32Array | undefined, position: number) => {
    const base = position * dimensions;
    if (metric === 'l2') {
      let distance = 0;
      for (let index = 0; index < dimensions; index++) {
        const difference = (query[index] as number) - (rows[base + index] as number);
        distance += difference * difference;
      }
      return -Math.sqrt(distance);
    }
    let dot = 0;
    if (nonzero !== undefined) {
      for (let slot = 0; slot < nonzero.length; slot++) {
        const index = nonzero[slot] as number;
        dot += (query[index] as number) * (rows[base + index] as number);
      }
    } else {
      let dot1 = 0;
      let dot2 = 0;
      let dot3 = 0;
      let index = 0;
      for (; index + 3 < dimensions; index += 4) {
        dot += (query[index] as number) * (rows[base + index] as number);
        dot1 += (query[index + 1] as number) * (rows[base + index + 1] as number);
        dot2 += (query[index + 2] as number) * (rows[base + index + 2] as number);
        dot3 += (query[index + 3] as number) * (rows[base + index + 3] as number);
      }
      for (; index < dimensions; index++) dot += (query[index] as number) * (rows[base + index] as number);
      dot += dot1 + dot2 + dot3;
    }
    if (metric === 'dot') return dot;
    const norm = norms[position] as number;
    return queryNorm === 0 || norm === 0 ? 0 : dot / (queryNorm * norm);
  };
  const sparseIndexes = (query: Float32Array): Int32Array | undefined => {
    const indexes: number[] = [];
    for (let index = 0; index < dimensions; index++) if (query[index] !== 0) indexes.push(index);
    return indexes.length <= dimensions / 2 ? Int32Array.from(indexes) : undefined;
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
      for (const record of records) write(record.id, record.vector, record.metadata ?? {});
    },
    async delete(deleted, options) {
      begin(options?.signal);
      for (const id of deleted) remove(id);
    },
    async query(query) {
      begin(undefined);
      check(query.vector, 'query vector');
      if (query.filter !== undefined) validateFilter(query.filter);
      if (!Number.isInteger(query.topK) || query.topK < 1) {
        throw new AgenticGenError('invalid-argument', `[knowledge] topK must be a positive integer, got ${query.topK}`);
      }
      if (query.minScore !== undefined && (typeof query.minScore !== 'number' || Number.isNaN(query.minScore))) {
        throw new AgenticGenError('invalid-argument', '[knowledge] minScore must be a number');
      }
      throwIfAborted(query.signal, 'knowledge');
      const vector = Float32Array.from(query.vector);
      const queryNorm = normOf(vector);
      const nonzero = sparseIndexes(vector);
      // Keep only the best topK while scanning (sorted, best first); copies are made for those alone.
      const best: Array<{ id: string; score: number; position: number }> = [];
      const before = (a: { id: string; score: number }, b: { id: string; score: number }) =>
        a.score > b.score || (a.score === b.score && a.id < b.id);
      for (let position = 0; position < ids.length; position++) {
        if (query.filter !== undefined && !matchesFilter(metadataOf[position] as Metadata, query.filter)) continue;
        const similarity = score(vector, queryNorm, nonzero, position);
        if (query.minScore !== undefined && similarity < query.minScore) continue;
        const last = best[best.length - 1];
        // Most rows lose to the current topK: decide that before allocating anything.
        if (best.length === query.topK && last !== undefined && similarity < last.score) continue;
        const candidate = { id: ids[position] as string, score: similarity, position };
        if (best.length === query.topK && last !== undefined && !before(candidate, last)) continue;
        let slot = best.length;
        while (slot > 0 && before(candidate, best[slot - 1] as { id: string; score: number })) slot--;
        best.splice(slot, 0, candidate);
        if (best.length > query.topK) best.pop();
      }
      return best.map(({ id, score: similarity, position }) => {
        const match: VectorMatch = { id, score: similarity, metadata: { ...metadataOf[position] } };
        if (query.includeVectors) match.vector = rowOf(position).slice();
        return match;
      });
    },
    async count() {
      begin(undefined);
      return ids.length;
    },
    async get(ids) {
      begin(undefined);
      const found: VectorRecord[] = [];
      for (const id of ids) {
        const position = positions.get(id);
        if (position !== undefined) {
          found.push({ id, vector: rowOf(position).slice(), metadata: { ...metadataOf[position] } });
        }
      }
      return found;
    },
    async dispose() {
      disposed = true;
      positions.clear();
      ids.length = 0;
      metadataOf.length = 0;
      rows = new Float32Array(dimensions * 64);
      norms = new Float32Array(64);
    },
    [Symbol.asyncDispose]() {
      return this.dispose();
    },
  };
}
