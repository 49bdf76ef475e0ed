/**
 * The seam between the SQL store and a database library: PGlite and `pg` both speak Postgres SQL with `$1`
 * parameters, so one store implementation (sql-store.ts) runs on either.
 */
export interface SqlQueryable {
  /** Runs one statement and returns its rows. */
  query<Row = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<Row[]>;
  /** Runs several statements without parameters (a migration). */
  script(text: string): Promise<void>;
}

export interface SqlClient extends SqlQueryable {
  /** Runs `work` in one transaction on one connection: committed when it resolves, rolled back when it throws. */
  transaction<T>(work: (tx: SqlQueryable) => Promise<T>): Promise<T>;
  /** Releases the database (closes PGlite, ends the pool). */
  close(): Promise<void>;
}
