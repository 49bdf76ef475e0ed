/**
 * The seam between the SQL store and a database library: PGlite and `pg` both speak Postgres SQL with `$1`
 * parameters, so one store implementation (sql-store.ts) runs on either.
 */

/** What a statement waits for before it starts (a pool connection, its turn on the database) can be cancelled. */
export interface SqlCallOptions {
  /**
   * Aborted before the statement starts: it never runs and the call rejects with `aborted`. Once it started,
   * it settles with its own outcome.
   */
  signal?: AbortSignal | undefined;
}

export interface SqlQueryable {
  /** Runs one statement and returns its rows. */
  query<Row = Record<string, unknown>>(
    text: string,
    params?: readonly unknown[],
    options?: SqlCallOptions,
  ): Promise<Row[]>;
  /** Runs several statements without parameters (a migration). */
  script(text: string): Promise<void>;
}

export interface SqlClient extends SqlQueryable {
  /** Runs `work` in one transaction on one connection: committed when it resolves, rolled back when it throws. */
  transaction<T>(work: (tx: SqlQueryable) => Promise<T>, options?: SqlCallOptions): Promise<T>;
  /** Releases the database (closes PGlite, ends the pool). */
  close(): Promise<void>;
}
