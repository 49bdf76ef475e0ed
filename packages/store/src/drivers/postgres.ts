/**
 * PostgreSQL through `pg` (Node): the same schema and SQL as PGlite, for several processes sharing one database.
 */
import { type AgentStore, abortableUntilStarted } from '@agenticgen/core';
import { storeError } from '../errors.js';
import { migrate } from '../sql/migrations.js';
import type { SqlCallOptions, SqlClient, SqlQueryable } from '../sql/sql-client.js';
import { createSqlStore } from '../sql/sql-store.js';

/** The part of a `pg` client the store uses (structural, so the published types need no `@types/pg`). */
export interface PostgresQueryable {
  query(text: string, params?: unknown[]): Promise<{ rows: unknown[] }>;
}

/** The part of a `pg.Pool` the store uses; any `pg.Pool` satisfies it. */
export interface PostgresPool extends PostgresQueryable {
  connect(): Promise<PostgresQueryable & { release(): void }>;
  on(event: 'error', listener: (error: Error) => void): unknown;
  end(): Promise<void>;
}

export interface PostgresStoreOptions {
  /** `postgres://user:password@host:port/database`. */
  connectionString?: string | undefined;
  /** An existing pool to use instead (the store ends it on `close()`). */
  pool?: PostgresPool;
  /** Most connections of the pool it creates (default 10). */
  maxConnections?: number;
}

const queryable = (target: PostgresQueryable): SqlQueryable => ({
  async query<Row>(text: string, params: readonly unknown[] = []) {
    const result = await target.query(text, params as unknown[]);
    return result.rows as Row[];
  },
  async script(text: string) {
    await target.query(text);
  },
});

/** Connects to PostgreSQL and migrates the schema to the latest version. */
export async function createPostgresStore(options: PostgresStoreOptions): Promise<AgentStore> {
  let pool: PostgresPool | undefined = options.pool;
  if (pool === undefined) {
    if (typeof options.connectionString !== 'string' || options.connectionString === '') {
      throw storeError('invalid-config', 'pass connectionString (postgres://…) or pool to createPostgresStore');
    }
    const max = options.maxConnections ?? 10;
    if (!(Number.isInteger(max) && max >= 1 && max <= 1000)) {
      throw storeError('invalid-config', 'maxConnections must be an integer from 1 to 1000');
    }
    let module: typeof import('pg');
    try {
      module = await import('pg');
    } catch (error) {
      throw storeError('dependency-missing', 'install pg to use the PostgreSQL store', { cause: error });
    }
    const PoolClass = module.default?.Pool ?? module.Pool;
    pool = new PoolClass({ connectionString: options.connectionString, max });
  }
  const open = pool;
  // An idle client that loses its connection emits 'error' on the pool; without a listener Node would crash.
  open.on('error', () => undefined);
  const direct = queryable(open);
  /**
   * Runs `work` on a connection of its own. With a signal, an abort while the pool has no free connection
   * rejects at once; the connection that comes later goes back to the pool unused.
   */
  const onConnection = <T>(
    options: SqlCallOptions | undefined,
    work: (connection: PostgresQueryable) => Promise<T>,
  ): Promise<T> =>
    abortableUntilStarted(options?.signal, 'store', async (start) => {
      const connection = await open.connect();
      try {
        start();
        return await work(connection);
      } finally {
        connection.release();
      }
    });
  const client: SqlClient = {
    // Without a signal the pool picks the connection itself (one call); with one, the wait for it is cancellable.
    query<Row>(text: string, params?: readonly unknown[], options?: SqlCallOptions) {
      return options?.signal === undefined
        ? direct.query<Row>(text, params)
        : onConnection(options, (connection) => queryable(connection).query<Row>(text, params));
    },
    script: (text) => direct.script(text),
    transaction: (work, options) =>
      onConnection(options, async (connection) => {
        try {
          await connection.query('BEGIN');
          const result = await work(queryable(connection));
          await connection.query('COMMIT');
          return result;
        } catch (error) {
          await connection.query('ROLLBACK').catch(() => undefined);
          throw error;
        }
      }),
    close: () => open.end(),
  };
  try {
    await migrate(client);
  } catch (error) {
    await open.end();
    throw error;
  }
  return createSqlStore('postgres', client);
}
