import { createRequire } from 'node:module';
import {
  AgenticGenError,
  type DistanceMetric,
  type Metadata,
  type MetadataFilter,
  raceWithSignal,
  throwIfAborted,
  type VectorMatch,
  type VectorQuery,
  type VectorRecord,
  type VectorStore,
} from '@agenticgen/core';
import type * as LanceDb from '@lancedb/lancedb';
import type * as Arrow from 'apache-arrow';
import {
  assertMetric,
  assertPositiveInteger,
  checkIds,
  checkQueryShape,
  checkRecords,
  toCheckedVector,
} from '../indexes/validation.js';
import { filterToSql, type MetadataFieldType, sqlString } from './lancedb-filter.js';
import type {
  HybridMatch,
  HybridSearchQuery,
  LanceDbSdk,
  LanceDbStoreOptions,
  LanceDbVectorIndexType,
  TextSearchQuery,
} from './lancedb-options.js';
import {
  checkDeclaredTypes,
  checkExistingSchema,
  checkMetadataFields,
  recordsToArrow,
  tableSchema,
} from './lancedb-schema.js';
import { withBackoffRetry, withCommitRetry, withTableLock } from './table-lock.js';

interface Row {
  id: string;
  metadata: string;
  vector?: { toArray(): Float32Array };
  _distance?: number;
  _score?: number;
}

/**
 * Opens the table, creating it when it does not exist. Another process may be creating it at the same moment:
 * its directory is listed before its first version is committed (opening then fails with "not found"), and our
 * create then fails with "already exists". Both settle within milliseconds, so those two are retried.
 */
function openOrCreateTable(
  connection: LanceDb.Connection,
  tableName: string,
  schema: Arrow.Schema,
): Promise<LanceDb.Table> {
  return withBackoffRetry(
    async () =>
      (await connection.tableNames()).includes(tableName)
        ? connection.openTable(tableName)
        : connection.createEmptyTable(tableName, schema, { mode: 'create' }),
    (message) => /not found|already exists/i.test(message),
  );
}

/**
 * Declares `id` as the table's (unenforced) primary key. LanceDB uses it to detect merge-inserts of the
 * same new key committed concurrently by other processes; without it both inserts would succeed and the
 * row would exist twice. Another process may set it first: that is fine.
 */
async function ensurePrimaryKey(table: LanceDb.Table): Promise<void> {
  try {
    // Writers in several processes set it at the same moment; a lost commit race is retried, then reads "already".
    await withCommitRetry(() => table.setUnenforcedPrimaryKey('id'));
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (!/primary key|already/i.test(message)) throw error;
  }
}

async function loadModule<T>(injected: T | undefined, load: () => Promise<T>, name: string): Promise<T> {
  if (injected !== undefined) return injected;
  try {
    return await load();
  } catch (cause) {
    throw new AgenticGenError(
      'dependency-missing',
      `[vector] the LanceDB store needs "${name}"; install it with "npm install @lancedb/lancedb@0.31.0 apache-arrow@18.1.0"`,
      { cause },
    );
  }
}

/**
 * Reciprocal rank fusion: score = Σ 1/(k + rank) over the lists a match appears in (ranks from 1), so
 * neither side's score scale dominates. Returns every match, best first.
 */
export function fuseByReciprocalRank(
  vectorMatches: VectorMatch[],
  textMatches: VectorMatch[],
  k: number,
): HybridMatch[] {
  const fused = new Map<string, HybridMatch>();
  const add = (matches: VectorMatch[], side: 'vectorRank' | 'textRank') => {
    matches.forEach((match, index) => {
      const entry = fused.get(match.id) ?? { ...match, score: 0 };
      entry.score += 1 / (k + index + 1);
      entry[side] = index + 1;
      fused.set(match.id, entry);
    });
  };
  add(vectorMatches, 'vectorRank');
  add(textMatches, 'textRank');
  return [...fused.values()].sort((a, b) => b.score - a.score);
}

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

  private constructor(init: {
    options: LanceDbStoreOptions;
    metric: DistanceMetric;
    fields: Record<string, MetadataFieldType>;
    connection: LanceDb.Connection;
    table: LanceDb.Table;
    arrow: typeof Arrow;
    lancedb: LanceDbSdk;
    schema: Arrow.Schema;
    indices: LanceDb.IndexConfig[];
  }) {
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
    if (options === null || typeof options !== 'object' || typeof options.uri !== 'string' || options.uri === '') {
      throw new AgenticGenError('invalid-config', '[vector] createLanceDbStore needs { uri, dimensions }');
    }
    assertPositiveInteger(options.dimensions, 'dimensions', 'vector', 65_536);
    const metric = options.metric ?? 'cosine';
    assertMetric(metric);
    const fields = checkMetadataFields(options.metadataFields);
    const tableName = options.table ?? 'vectors';
    if (!/^[A-Za-z0-9_.-]{1,128}$/.test(tableName)) {
      throw new AgenticGenError(
        'invalid-config',
        `[vector] invalid table name "${tableName}"; use letters, digits, _ . -`,
      );
    }
    // Injected modules are the packages' own (the option types only describe them). `.catch` on the import itself
    // lets bundlers (esbuild) leave a missing optional peer to run time.
    const lancedb = await loadModule(
      options.lancedb as LanceDbSdk | undefined,
      () => import('@lancedb/lancedb').catch((error: unknown) => Promise.reject(error)),
      '@lancedb/lancedb',
    );
    // LanceDB requires apache-arrow as CommonJS; building tables with the ESM copy gives objects of other
    // classes that LanceDB cannot take, so load the very instance it uses.
    const arrow = await loadModule(
      options.arrow as typeof Arrow | undefined,
      async () => createRequire(import.meta.url)('apache-arrow') as typeof Arrow,
      'apache-arrow',
    );
    // Strong consistency by default: every operation sees the latest commit, so a merge-insert never
    // decides "not matched" from a stale version (which would duplicate rows written by another handle).
    const connection = await lancedb.connect(options.uri, {
      readConsistencyInterval: options.readConsistencyInterval ?? 0,
    });
    try {
      const schema = tableSchema(arrow, options.dimensions, metric, fields);
      const table = await withTableLock(`${options.uri}\u0000${tableName}`, () =>
        openOrCreateTable(connection, tableName, schema),
      );
      await ensurePrimaryKey(table);
      const existing = (await table.schema()) as unknown as Arrow.Schema;
      checkExistingSchema(existing, options.dimensions, metric, fields, tableName);
      const indices = await table.listIndices();
      return new LanceDbStore({ options, metric, fields, connection, table, arrow, lancedb, schema, indices });
    } catch (error) {
      connection.close();
      throw error;
    }
  }

  #assertOpen(): void {
    if (this.#disposed) throw new AgenticGenError('disposed', '[vector] this LanceDB store was disposed');
  }

  #write<T>(write: () => Promise<T>): Promise<T> {
    return withTableLock(this.#lockKey, async () => {
      const result = await withCommitRetry(write);
      await this.#afterWrite();
      return result;
    });
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

  async upsert(records: readonly VectorRecord[]): Promise<void> {
    this.#assertOpen();
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
    await this.#write(() =>
      this.#table
        .mergeInsert('id')
        .whenMatchedUpdateAll()
        .whenNotMatchedInsertAll()
        .execute(data as never),
    );
  }

  async delete(ids: readonly string[]): Promise<void> {
    this.#assertOpen();
    const unique = [...new Set(checkIds(ids))];
    if (unique.length === 0) return;
    await this.#write(async () => {
      for (let start = 0; start < unique.length; start += 500) {
        const chunk = unique.slice(start, start + 500);
        await this.#table.delete(`id IN (${chunk.map(sqlString).join(', ')})`);
      }
    });
  }

  #score(distance: number): number {
    // LanceDB distances: cosine 1 − cos, dot 1 − a·b, l2 squared Euclidean.
    if (this.metric === 'l2') return -Math.sqrt(Math.max(0, distance));
    return 1 - distance;
  }

  #toMatch(row: Row, score: number, includeVector: boolean): VectorMatch {
    const match: VectorMatch = { id: row.id, score, metadata: JSON.parse(row.metadata) as Metadata };
    if (includeVector && row.vector !== undefined) match.vector = Float32Array.from(row.vector.toArray());
    return match;
  }

  async #vectorRows(vector: Float32Array, topK: number, filter: MetadataFilter | undefined, withVectors: boolean) {
    const columns = ['id', 'metadata', '_distance', ...(withVectors ? ['vector'] : [])];
    let search = this.#table.vectorSearch(vector).distanceType(this.metric).limit(topK).select(columns);
    if (filter !== undefined) search = search.where(filterToSql(filter, this.metadataFields));
    if (this.#hasVectorIndex) {
      const tuning = this.#options.search ?? {};
      search = search.nprobes(tuning.nprobes ?? 20).refineFactor(tuning.refineFactor ?? 10);
      if (tuning.ef !== undefined) search = search.ef(tuning.ef);
    }
    return (await search.toArray()) as Row[];
  }

  async query(query: VectorQuery): Promise<VectorMatch[]> {
    this.#assertOpen();
    if (query === null || typeof query !== 'object') {
      throw new AgenticGenError('invalid-argument', '[vector] query takes { vector, topK, filter?, minScore? }');
    }
    throwIfAborted(query.signal, 'vector');
    checkQueryShape(query.topK, query.filter);
    const vector = toCheckedVector(query.vector, this.dimensions, this.metric, 'the query vector');
    const run = this.#vectorRows(vector, query.topK, query.filter, query.includeVectors === true);
    const rows = query.signal === undefined ? await run : await raceWithSignal(run, query.signal, 'vector');
    return rows
      .map((row) => this.#toMatch(row, this.#score(row._distance ?? 0), query.includeVectors === true))
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
      await withCommitRetry(() =>
        this.#table.createIndex('text', { config: this.#lancedb.Index.fts(), replace: true }),
      );
      this.#hasTextIndex = true;
    });
  }

  async #textRows(query: TextSearchQuery, limit: number): Promise<Row[]> {
    await this.#ensureTextIndex();
    let search = this.#table.query().fullTextSearch(query.text).limit(limit).select(['id', 'metadata', '_score']);
    if (query.filter !== undefined) search = search.where(filterToSql(query.filter, this.metadataFields));
    return (await search.toArray()) as Row[];
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
    return rows.map((row) => this.#toMatch(row, row._score ?? 0, false));
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
    const candidates = query.candidates ?? query.topK * 2;
    const rrfK = query.rrfK ?? 60;
    if (!Number.isInteger(candidates) || candidates < 1 || !(rrfK >= 0)) {
      throw new AgenticGenError('invalid-argument', '[vector] candidates must be a positive integer and rrfK ≥ 0');
    }
    const [vectorRows, textRows] = await Promise.all([
      this.#vectorRows(vector, candidates, query.filter, false),
      query.text.trim() === '' ? Promise.resolve([]) : this.#textRows(query, candidates),
    ]);
    return fuseByReciprocalRank(
      vectorRows.map((row) => this.#toMatch(row, 0, false)),
      textRows.map((row) => this.#toMatch(row, 0, false)),
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
    const rows = await this.#table.countRows();
    const Index = this.#lancedb.Index;
    const partitions = Math.max(1, Math.round(Math.sqrt(rows)));
    let config: LanceDb.Index;
    if (type === 'ivf-pq') {
      // Sub-vectors of 8 dimensions keep PQ error low at 384–1536 dimensions.
      const subVector = [8, 4, 2, 1].find((size) => this.dimensions % size === 0) ?? 1;
      config = Index.ivfPq({
        distanceType: this.metric,
        numPartitions: partitions,
        numSubVectors: this.dimensions / subVector,
      });
    } else {
      config = Index.hnswSq({ distanceType: this.metric, numPartitions: Math.max(1, Math.round(rows / 100_000)) });
    }
    await withCommitRetry(() => this.#table.createIndex('vector', { config, replace: true }));
    this.#hasVectorIndex = true;
  }

  /** Builds (or rebuilds) the ANN index now, whatever the row count. */
  createVectorIndex(options: { type?: LanceDbVectorIndexType } = {}): Promise<void> {
    this.#assertOpen();
    const type = options.type ?? 'ivf-pq';
    if (type !== 'ivf-pq' && type !== 'ivf-hnsw-sq') {
      throw new AgenticGenError(
        'invalid-config',
        `[vector] unknown index type "${String(type)}"; use "ivf-pq" or "ivf-hnsw-sq"`,
      );
    }
    return withTableLock(this.#lockKey, () => this.#createVectorIndex(type));
  }

  async #compact(): Promise<{ fragmentsRemoved: number; fragmentsAdded: number; versionsRemoved: number }> {
    const keep = this.#options.keepVersionsForMs ?? 600_000;
    const stats = await withCommitRetry(() =>
      this.#table.optimize({ cleanupOlderThan: new Date(Date.now() - keep), deleteUnverified: false }),
    );
    return {
      fragmentsRemoved: stats.compaction.fragmentsRemoved,
      fragmentsAdded: stats.compaction.fragmentsAdded,
      versionsRemoved: stats.prune.oldVersionsRemoved,
    };
  }

  /** Merges small fragments, updates indexes with new rows and removes old versions. */
  compact(): Promise<{ fragmentsRemoved: number; fragmentsAdded: number; versionsRemoved: number }> {
    this.#assertOpen();
    return withTableLock(this.#lockKey, () => this.#compact());
  }

  /** Number of data fragments (files); many small ones mean a compaction is due. */
  async fragmentCount(): Promise<number> {
    const stats = await this.#table.stats();
    return stats.fragmentStats.numFragments;
  }

  async dispose(): Promise<void> {
    if (this.#disposed) return;
    await withTableLock(this.#lockKey, async () => undefined);
    this.#disposed = true;
    this.#table.close();
    this.#connection.close();
  }
}

/** Opens or creates a LanceDB-backed VectorStore (Node only; LanceDB is imported on first use). */
export function createLanceDbStore(options: LanceDbStoreOptions): Promise<LanceDbStore> {
  return LanceDbStore.open(options);
}
