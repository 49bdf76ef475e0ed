/** @agenticgen/store for Node: everything of the browser entry plus the PostgreSQL driver. */

export {
  createPostgresStore,
  type PostgresPool,
  type PostgresQueryable,
  type PostgresStoreOptions,
} from './drivers/postgres.js';
export {
  createPgliteStore,
  createSemanticRecall,
  createThreadMemory,
  createWorkingMemory,
  migrations,
  type PgliteDatabase,
  type PgliteStoreOptions,
  type RecalledPassage,
  type SemanticRecall,
  type SemanticRecallOptions,
  type StoreErrorCode,
  type ThreadMemoryOptions,
  type WorkingMemory,
  type WorkingMemoryOptions,
} from './index.js';
