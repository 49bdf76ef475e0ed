import {
  AgenticGenError,
  abortableUntilStarted,
  type DistanceMetric,
  disposeOnce,
  type Metadata,
  raceWithSignal,
  throwIfAborted,
  type VectorMatch,
  type VectorQuery,
  type VectorRecord,
  type VectorStore,
  type VectorWriteOptions,
} from '@agenticgen/core';
import type * as LanceDb from '@lancedb/lancedb';
import type * as Arrow from 'apache-arrow';
import { checkIds, checkQueryShape, checkRecords, checkVectorQuery, toCheckedVector } from '../indexes/validation.js';
import { type MetadataFieldType, sqlString } from './lancedb-filter.js';
import {
  assertVectorIndexType,
  buildTextIndex,
  buildVectorIndex,
  type CompactionResult,
  compactTable,
} from './lancedb-maintenance.js';
import { type OpenedTable, openLanceDbTable } from './lancedb-open.js';
import type {
  HybridMatch,
  HybridSearchQuery,
  LanceDbSdk,
  LanceDbStoreOptions,
  LanceDbVectorIndexType,
  TextSearchQuery,
} from './lancedb-options.js';
import { checkDeclaredTypes, recordsToArrow } from './lancedb-schema.js';
import {
  fuseByReciprocalRank,
  hybridSettings,
  type Row,
  scoreOf,
  textRows,
  toMatch,
  vectorRows,
} from './lancedb-search.js';
import { withCommitRetry, withTableLock } from './table-lock.js';

export { fuseByReciprocalRank } from './lancedb-search.js';

/**
 * A VectorStore on a LanceDB table on disk (Node only). Writes are serialised per table and retried on
 * commit conflicts; queries use LanceDB prefilters; an ANN index is built once the table is large.
 */
export class LanceDbStore implements VectorStore {
  readonly name = 'lancedb';
  readonly dimensions: number;
  readonly metric: DistanceMetric;
  readonly metadataFields: Readonly<Record<string, MetadataFieldType>>;
  readonly #connection: LanceDb.Connection;
  readonly #table: LanceDb.Table;
  readonly #arrow: typeof Arrow;
  readonly #lancedb: LanceDbSdk;
  readonly #schema: Arrow.Schema;
  readonly #options: LanceDbStoreOptions;
  readonly #lockKey: string;
  #writes = 0;
  #hasVectorIndex: boolean;
  #hasTextIndex: boolean;
  #disposed = false;

  private constructor(init: OpenedTable) {
    this.#options = init.options;
    this.dimensions = init.options.dimensions;
    this.metric = init.metric;
    this.metadataFields = init.fields;
    this.#connection = init.connection;
    this.#table = init.table;
    this.#arrow = init.arrow;
    this.#lancedb = init.lancedb;
    this.#schema = init.schema;
    this.#lockKey = `${init.options.uri}\u0000${init.options.table ?? 'vectors'}`;
    this.#hasVectorIndex = init.indices.some((index) => index.columns.includes('vector'));
    this.#hasTextIndex = init.indices.some((index) => index.columns.includes('text'));
  }

  /** Opens (or creates) the table. */
  static async open(options: LanceDbStoreOptions): Promise<LanceDbStore> {
    return new LanceDbStore(await openLanceDbTable(options));
  }

  #assertOpen(): void {
    if (this.#disposed) throw new AgenticGenError('disposed', '[vector] this LanceDB store was disposed');
  }

  /** One write at a time per table; `signal` cancels it only while it waits for the lock. */
  #write<T>(write: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    return abortableUntilStarted(signal, 'vector', (start) =>
      withTableLock(this.#lockKey, async () => {
        start();
        const result = await withCommitRetry(write);
        await this.#afterWrite();
        return result;
      }),
    );
  }

  async #afterWrite(): Promise<void> {
    this.#writes++;
    const every = this.#options.compactEveryWrites ?? 64;
    if (every !== false && this.#writes % every === 0) await this.#compact();
    const automatic = this.#options.vectorIndex ?? {};
    if (automatic !== false && !this.#hasVectorIndex) {
      const threshold = automatic.threshold ?? 100_000;
      if ((await this.#table.countRows()) >= threshold) await this.#createVectorIndex(automatic.type ?? 'ivf-pq');
    }
  }

  async upsert(records: readonly VectorRecord[], options: VectorWriteOptions = {}): Promise<void> {
    this.#assertOpen();
    throwIfAborted(options.signal, 'vector');
    const checked = checkRecords(records, this.dimensions, this.metric);
    checkDeclaredTypes(checked, this.metadataFields);
    if (checked.length === 0) return;
    const data = recordsToArrow(
      this.#arrow,
      this.#schema,
      checked,
      this.dimensions,
      this.metadataFields,
      this.#options.textField,
    );
    await this.#write(
      () =>
        this.#table
          .mergeInsert('id')
          .whenMatchedUpdateAll()
          .whenNotMatchedInsertAll()
          .execute(data as never),
      options.signal,
    );
  }

  async delete(ids: readonly string[], options: VectorWriteOptions = {}): Promise<void> {
    this.#assertOpen();
    throwIfAborted(options.signal, 'vector');
    const unique = [...new Set(checkIds(ids))];
    if (unique.length === 0) return;
    await this.#write(async () => {
      for (let start = 0; start < unique.length; start += 500) {
        const chunk = unique.slice(start, start + 500);
        await this.#table.delete(`id IN (${chunk.map(sqlString).join(', ')})`);
      }
    }, options.signal);
  }

  #vectorRows(vector: Float32Array, topK: number, filter: VectorQuery['filter'], withVectors: boolean) {
    const tuning = { indexed: this.#hasVectorIndex, search: this.#options.search };
    return vectorRows(this.#table, this.metric, this.metadataFields, tuning, { vector, topK, filter, withVectors });
  }

  async query(query: VectorQuery): Promise<VectorMatch[]> {
    this.#assertOpen();
    const vector = checkVectorQuery(query, this.dimensions, this.metric);
    const run = this.#vectorRows(vector, query.topK, query.filter, query.includeVectors === true);
    const rows = query.signal === undefined ? await run : await raceWithSignal(run, query.signal, 'vector');
    return rows
      .map((row) => toMatch(row, scoreOf(this.metric, row._distance ?? 0), query.includeVectors === true))
      .filter((match) => query.minScore === undefined || match.score >= query.minScore);
  }

  async #ensureTextIndex(): Promise<void> {
    if (this.#options.textField === undefined) {
      throw new AgenticGenError(
        'invalid-config',
        '[vector] full-text search needs the textField option (the metadata field holding the text)',
      );
    }
    if (this.#hasTextIndex) return;
    await withTableLock(this.#lockKey, async () => {
      if (this.#hasTextIndex) return;
      await buildTextIndex(this.#table, this.#lancedb);
      this.#hasTextIndex = true;
    });
  }

  async #textRows(query: TextSearchQuery, limit: number): Promise<Row[]> {
    await this.#ensureTextIndex();
    return textRows(this.#table, this.metadataFields, query, limit);
  }

  /** BM25 full-text search over `textField` (the index is built on first use). Score: BM25. */
  async fullTextSearch(query: TextSearchQuery): Promise<VectorMatch[]> {
    this.#assertOpen();
    throwIfAborted(query?.signal, 'vector');
    checkQueryShape(query.topK, query.filter);
    if (typeof query.text !== 'string' || query.text.trim() === '') {
      throw new AgenticGenError('invalid-argument', '[vector] fullTextSearch needs a non-empty text');
    }
    const rows = await this.#textRows(query, query.topK);
    return rows.map((row) => toMatch(row, row._score ?? 0, false));
  }

  /**
   * Vector and full-text search fused with reciprocal rank fusion (score = Σ 1/(rrfK + rank)), so neither
   * side's score scale dominates. Both sides apply the same prefilter.
   */
  async hybridSearch(query: HybridSearchQuery): Promise<HybridMatch[]> {
    this.#assertOpen();
    throwIfAborted(query?.signal, 'vector');
    checkQueryShape(query.topK, query.filter);
    if (typeof query.text !== 'string') {
      throw new AgenticGenError('invalid-argument', '[vector] hybridSearch needs { text, vector, topK }');
    }
    const vector = toCheckedVector(query.vector, this.dimensions, this.metric, 'the query vector');
    const { candidates, rrfK } = hybridSettings(query);
    const [vectorMatches, textMatches] = await Promise.all([
      this.#vectorRows(vector, candidates, query.filter, false),
      query.text.trim() === '' ? Promise.resolve([]) : this.#textRows(query, candidates),
    ]);
    return fuseByReciprocalRank(
      vectorMatches.map((row) => toMatch(row, 0, false)),
      textMatches.map((row) => toMatch(row, 0, false)),
      rrfK,
    ).slice(0, query.topK);
  }

  async count(): Promise<number> {
    this.#assertOpen();
    return this.#table.countRows();
  }

  async get(ids: readonly string[]): Promise<VectorRecord[]> {
    this.#assertOpen();
    const unique = [...new Set(checkIds(ids))];
    const records: VectorRecord[] = [];
    for (let start = 0; start < unique.length; start += 500) {
      const chunk = unique.slice(start, start + 500);
      const rows = (await this.#table
        .query()
        .where(`id IN (${chunk.map(sqlString).join(', ')})`)
        .select(['id', 'vector', 'metadata'])
        .toArray()) as Row[];
      for (const row of rows) {
        records.push({
          id: row.id,
          vector: Float32Array.from(row.vector!.toArray()),
          metadata: JSON.parse(row.metadata) as Metadata,
        });
      }
    }
    return records;
  }

  /** Whether an ANN index exists on the vectors. */
  get hasVectorIndex(): boolean {
    return this.#hasVectorIndex;
  }

  async #createVectorIndex(type: LanceDbVectorIndexType): Promise<void> {
    await buildVectorIndex(this.#table, this.#lancedb, this.dimensions, this.metric, type);
    this.#hasVectorIndex = true;
  }

  /** Builds (or rebuilds) the ANN index now, whatever the row count. */
  createVectorIndex(options: { type?: LanceDbVectorIndexType } = {}): Promise<void> {
    this.#assertOpen();
    const type = options.type ?? 'ivf-pq';
    assertVectorIndexType(type);
    return withTableLock(this.#lockKey, () => this.#createVectorIndex(type));
  }

  #compact(): Promise<CompactionResult> {
    return compactTable(this.#table, this.#options.keepVersionsForMs ?? 600_000);
  }

  /** Merges small fragments, updates indexes with new rows and removes old versions. */
  compact(): Promise<CompactionResult> {
    this.#assertOpen();
    return withTableLock(this.#lockKey, () => this.#compact());
  }

  /** Number of data fragments (files); many small ones mean a compaction is due. */
  async fragmentCount(): Promise<number> {
    const stats = await this.#table.stats();
    return stats.fragmentStats.numFragments;
  }

  /** One release for every `dispose()` / `await using` call, also overlapping ones (the handles close once). */
  readonly #release = disposeOnce(async () => {
    await withTableLock(this.#lockKey, async () => undefined);
    this.#disposed = true;
    this.#table.close();
    this.#connection.close();
  });

  dispose(): Promise<void> {
    return this.#release();
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.#release();
  }
}

/** Opens or creates a LanceDB-backed VectorStore (Node only; LanceDB is imported on first use). */
export function createLanceDbStore(options: LanceDbStoreOptions): Promise<LanceDbStore> {
  return LanceDbStore.open(options);
}
