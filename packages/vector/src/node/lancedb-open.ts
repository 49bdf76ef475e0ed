import { createRequire } from 'node:module';
import { AgenticGenError, type DistanceMetric } from '@agenticgen/core';
import type * as LanceDb from '@lancedb/lancedb';
import type * as Arrow from 'apache-arrow';
import { assertMetric, assertPositiveInteger } from '../indexes/validation.js';
import type { MetadataFieldType } from './lancedb-filter.js';
import type { LanceDbSdk, LanceDbStoreOptions } from './lancedb-options.js';
import { checkExistingSchema, checkMetadataFields, tableSchema } from './lancedb-schema.js';
import { withBackoffRetry, withCommitRetry, withTableLock } from './table-lock.js';

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

/** An opened table and everything the store needs from the opening. */
export interface OpenedTable {
  options: LanceDbStoreOptions;
  metric: DistanceMetric;
  fields: Record<string, MetadataFieldType>;
  connection: LanceDb.Connection;
  table: LanceDb.Table;
  arrow: typeof Arrow;
  lancedb: LanceDbSdk;
  schema: Arrow.Schema;
  indices: LanceDb.IndexConfig[];
}

/**
 * Validates the options, loads LanceDB and Arrow, connects and opens (or creates) the table, checking that an
 * existing table has the schema the options describe. The connection is closed again when anything fails.
 */
export async function openLanceDbTable(options: LanceDbStoreOptions): Promise<OpenedTable> {
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
    return { options, metric, fields, connection, table, arrow, lancedb, schema, indices };
  } catch (error) {
    connection.close();
    throw error;
  }
}
