import {
  AgenticGenError,
  type DistanceMetric,
  throwIfAborted,
  type VectorQuery,
  type VectorRecord,
  validateFilter,
} from '@agenticgen/core';

const metrics: ReadonlySet<string> = new Set(['cosine', 'dot', 'l2']);

/** Throws `unknown-metric` unless `metric` is one of cosine, dot, l2. */
export function assertMetric(metric: unknown, scope = 'vector'): asserts metric is DistanceMetric {
  if (typeof metric !== 'string' || !metrics.has(metric)) {
    throw new AgenticGenError(
      'unknown-metric',
      `[${scope}] unknown metric ${JSON.stringify(metric)}; use "cosine", "dot" or "l2"`,
      { data: { metric: String(metric) } },
    );
  }
}

/** Throws `invalid-config` unless `value` is a positive integer. */
export function assertPositiveInteger(value: unknown, name: string, scope = 'vector', max = 1_000_000): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > max) {
    throw new AgenticGenError(
      'invalid-config',
      `[${scope}] ${name} must be an integer between 1 and ${max}, got ${String(value)}`,
      { data: { option: name } },
    );
  }
  return value;
}

/**
 * Checks one vector: an array or Float32Array of the right length, only finite components (also after
 * rounding to float32: 1e39 → Infinity) and, for cosine, not all zeros (a zero vector has no direction).
 * `label` names it in the message. Nothing is copied.
 */
export function assertVector(
  vector: unknown,
  dimensions: number,
  metric: DistanceMetric,
  label: string,
  scope = 'vector',
): asserts vector is ArrayLike<number> {
  if (!(vector instanceof Float32Array) && !Array.isArray(vector)) {
    throw new AgenticGenError(
      'invalid-vector',
      `[${scope}] ${label} must be a Float32Array or an array of numbers, got ${vector === null ? 'null' : typeof vector}`,
    );
  }
  const values = vector as ArrayLike<unknown>;
  if (values.length !== dimensions) {
    throw new AgenticGenError(
      'dimension-mismatch',
      `[${scope}] dimension mismatch: index has ${dimensions}, ${label} has ${values.length}; use vectors from the embedder the index was created for`,
      { data: { expected: dimensions, actual: values.length } },
    );
  }
  let nonZero = false;
  for (let i = 0; i < dimensions; i++) {
    const value = values[i];
    if (typeof value !== 'number' || !Number.isFinite(value) || !Number.isFinite(Math.fround(value))) {
      throw new AgenticGenError(
        'invalid-vector',
        `[${scope}] ${label} has a non-finite component at index ${i} (${String(value)}); remove NaN and Infinity before indexing`,
        { data: { index: i } },
      );
    }
    if (value !== 0) nonZero = true;
  }
  if (metric === 'cosine' && !nonZero) {
    throw new AgenticGenError(
      'invalid-vector',
      `[${scope}] ${label} is all zeros, which has no cosine similarity; drop it or use the "dot" or "l2" metric`,
    );
  }
}

/** `assertVector`, then a Float32Array copy (queries, and stores that keep the batch past the call). */
export function toCheckedVector(
  vector: unknown,
  dimensions: number,
  metric: DistanceMetric,
  label: string,
  scope = 'vector',
): Float32Array {
  assertVector(vector, dimensions, metric, label, scope);
  return Float32Array.from(vector);
}

/** A record after validation. */
export interface CheckedRecord {
  id: string;
  /** The caller's vector, not a copy, unless `checkRecords` was asked to copy. */
  vector: ArrayLike<number>;
  metadata: Record<string, string | number | boolean | null>;
}

/**
 * Validates a whole batch before anything changes. Duplicate ids in one batch: the last one wins, as if
 * the records were upserted one after another. With `copyVectors: false` the records keep the caller's
 * vectors: the in-process indexes copy each one straight into their rows (and re-check it there), so a
 * bulk upsert never holds a second copy of the whole batch.
 */
export function checkRecords(
  records: readonly VectorRecord[],
  dimensions: number,
  metric: DistanceMetric,
  scope = 'vector',
  options: { copyVectors?: boolean } = {},
): CheckedRecord[] {
  const copyVectors = options.copyVectors ?? true;
  if (!Array.isArray(records)) {
    throw new AgenticGenError('invalid-argument', `[${scope}] upsert takes an array of records`);
  }
  const byId = new Map<string, CheckedRecord>();
  for (const [index, record] of records.entries()) {
    if (record === null || typeof record !== 'object') {
      throw new AgenticGenError('invalid-argument', `[${scope}] record ${index} is not an object`);
    }
    const { id } = record;
    if (typeof id !== 'string' || id.length === 0 || id.length > 1024) {
      throw new AgenticGenError(
        'invalid-argument',
        `[${scope}] record ${index} needs a non-empty string id of at most 1024 characters`,
        { data: { index } },
      );
    }
    const label = `record "${id}"`;
    let vector: ArrayLike<number>;
    if (copyVectors) vector = toCheckedVector(record.vector, dimensions, metric, label, scope);
    else {
      assertVector(record.vector, dimensions, metric, label, scope);
      vector = record.vector;
    }
    const metadata = checkMetadata(record.metadata, id, scope);
    byId.delete(id);
    byId.set(id, { id, vector, metadata });
  }
  return [...byId.values()];
}

/**
 * One frozen empty object for every record stored without metadata: a 100k-record index kept 100k empty
 * objects (~5 MB of heap) before. Stores never mutate stored metadata (they replace it, and copy it out).
 */
export const noMetadata: CheckedRecord['metadata'] = Object.freeze({});

function checkMetadata(metadata: unknown, id: string, scope: string): CheckedRecord['metadata'] {
  if (metadata === undefined) return noMetadata;
  if (metadata === null || typeof metadata !== 'object' || Array.isArray(metadata)) {
    throw new AgenticGenError('invalid-metadata', `[${scope}] record "${id}" metadata must be a flat object`);
  }
  const copy: CheckedRecord['metadata'] = {};
  for (const [key, value] of Object.entries(metadata)) {
    const ok =
      value === null ||
      typeof value === 'string' ||
      typeof value === 'boolean' ||
      (typeof value === 'number' && Number.isFinite(value));
    if (!ok) {
      throw new AgenticGenError(
        'invalid-metadata',
        `[${scope}] record "${id}" metadata field "${key}" must be a string, finite number, boolean or null`,
        { data: { field: key } },
      );
    }
    copy[key] = value as string | number | boolean | null;
  }
  return copy;
}

/** Validates `topK` and the filter of a query. */
export function checkQueryShape(topK: unknown, filter: unknown, scope = 'vector'): void {
  if (typeof topK !== 'number' || !Number.isInteger(topK) || topK < 1 || topK > 10_000) {
    throw new AgenticGenError(
      'invalid-argument',
      `[${scope}] topK must be an integer between 1 and 10000, got ${String(topK)}`,
    );
  }
  if (filter !== undefined) validateFilter(filter);
}

/**
 * Validates a whole `VectorQuery` (shape, abort, topK, filter, minScore, vector) for every store in this
 * package, so they accept and reject the same queries; returns the query vector as a checked copy.
 */
export function checkVectorQuery(query: VectorQuery, dimensions: number, metric: DistanceMetric): Float32Array {
  if (query === null || typeof query !== 'object') {
    throw new AgenticGenError('invalid-argument', '[vector] query takes { vector, topK, filter?, minScore? }');
  }
  throwIfAborted(query.signal, 'vector');
  checkQueryShape(query.topK, query.filter);
  if (query.minScore !== undefined && (typeof query.minScore !== 'number' || Number.isNaN(query.minScore))) {
    throw new AgenticGenError('invalid-argument', '[vector] minScore must be a number');
  }
  return toCheckedVector(query.vector, dimensions, metric, 'the query vector');
}

/** Validates a list of ids for delete/get. */
export function checkIds(ids: unknown, scope = 'vector'): readonly string[] {
  if (!Array.isArray(ids) || !ids.every((id) => typeof id === 'string')) {
    throw new AgenticGenError('invalid-argument', `[${scope}] expected an array of string ids`);
  }
  return ids as string[];
}
