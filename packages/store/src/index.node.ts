/** @agenticgen/store for Node: everything of the browser entry plus the PostgreSQL driver. */

export {
  createPostgresStore,
  type PostgresPool,
  type PostgresQueryable,
  type PostgresStoreOptions,
} from './drivers/postgres.js';
export * from './index.js';
