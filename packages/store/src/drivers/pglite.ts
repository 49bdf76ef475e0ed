/**
 * The embedded default: PGlite (Postgres compiled to WebAssembly) in this process. Same SQL and schema as the
 * PostgreSQL driver, so moving to a server is a change of factory, not of data model.
 */
import { type AgentStore, abortableUntilStarted } from '@agenticgen/core';
import { storeError } from '../errors.js';
import { migrate } from '../sql/migrations.js';
import type { SqlCallOptions, SqlClient, SqlQueryable } from '../sql/sql-client.js';
import { createSqlStore } from '../sql/sql-store.js';

export interface PgliteStoreOptions {
  /**
   * Where the database lives: a directory in Node (`./data/agent-store`), `idb://<name>` for IndexedDB in the
   * browser, omitted for memory only.
   */
  dataDir?: string;
  /** An open PGlite instance to use instead (the store closes it on `close()`). */
  pglite?: PgliteDatabase;
}

/**
 * The part of a PGlite instance the store uses. Structural, so the published types do not import PGlite's
 * (an optional peer); any `PGlite` satisfies it.
 */
export interface PgliteDatabase {
  query<Row>(text: string, params?: unknown[]): Promise<{ rows: Row[] }>;
  exec(text: string): Promise<unknown>;
  transaction<T>(work: (tx: Pick<PgliteDatabase, 'query' | 'exec'>) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

type Queryable = Pick<PgliteDatabase, 'query' | 'exec'>;

const queryable = (database: Queryable): SqlQueryable => ({
  async query<Row>(text: string, params: readonly unknown[] = []) {
    const result = await database.query<Row>(text, params as unknown[]);
    return result.rows;
  },
  async script(text: string) {
    await database.exec(text);
  },
});

/**
 * The SQL seam over an open PGlite instance. PGlite runs one statement at a time; the store's statements and
 * transactions take their turn in a queue of its own instead of PGlite's, so that one whose signal aborts while
 * it waits leaves the queue without running.
 */
export function pgliteClient(database: PgliteDatabase): SqlClient {
  const direct = queryable(database);
  let last: Promise<unknown> = Promise.resolve();
  const inTurn = <T>(options: SqlCallOptions | undefined, work: () => Promise<T>): Promise<T> =>
    abortableUntilStarted(options?.signal, 'store', (start) => {
      const turn = last.then(() => {
        start();
        return work();
      });
      last = turn.catch(() => undefined);
      return turn;
    });
  return {
    query<Row>(text: string, params?: readonly unknown[], options?: SqlCallOptions) {
      return inTurn(options, () => direct.query<Row>(text, params));
    },
    script: (text) => inTurn(undefined, () => direct.script(text)),
    transaction: (work, options) => inTurn(options, () => database.transaction((tx) => work(queryable(tx)))),
    close: () => database.close(),
  };
}

/** Opens (creating and migrating when needed) a PGlite store. */
export async function createPgliteStore(options: PgliteStoreOptions = {}): Promise<AgentStore> {
  if (options.dataDir !== undefined && (typeof options.dataDir !== 'string' || options.dataDir === '')) {
    throw storeError('invalid-config', 'dataDir must be a non-empty path or idb://<name>');
  }
  let database: PgliteDatabase | undefined = options.pglite;
  if (database === undefined) {
    let module: typeof import('@electric-sql/pglite');
    try {
      module = await import('@electric-sql/pglite');
    } catch (error) {
      throw storeError('dependency-missing', 'install @electric-sql/pglite to use the PGlite store', { cause: error });
    }
    database = await module.PGlite.create(options.dataDir === undefined ? {} : { dataDir: options.dataDir });
  }
  const client = pgliteClient(database);
  try {
    await migrate(client);
  } catch (error) {
    await client.close();
    throw error;
  }
  return createSqlStore('pglite', client);
}
