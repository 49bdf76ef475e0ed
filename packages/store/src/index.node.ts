/** @agenticgen/store for Node: everything of the browser entry plus the PostgreSQL driver. */

export {
  createPostgresStore,
  type PostgresPool,
  type PostgresQueryable,
  type PostgresStoreOptions,
} from './drivers/postgres.js';
export {
  createIndexedDbStore,
  createPgliteStore,
  createSemanticRecall,
  createThreadMemory,
  createWorkingMemory,
  defaultSummaryInstructions,
  type IndexedDbStoreOptions,
  migrations,
  type PgliteDatabase,
  type PgliteStoreOptions,
  type RecalledPassage,
  type SemanticRecall,
  type SemanticRecallOptions,
  type StoreErrorCode,
  storeErrorCodes,
  type ThreadMemoryOptions,
  type ThreadSummaryOptions,
  type WorkingMemory,
  type WorkingMemoryOptions,
} from './index.js';
