/**
 * @agenticgen/store — threads, working memory and durable runs on PGlite (Node and browser).
 * This entry is browser-safe; the Node entry (index.node.ts) adds the PostgreSQL driver.
 */
export { createIndexedDbStore, type IndexedDbStoreOptions } from './drivers/indexeddb.js';
export { createPgliteStore, type PgliteDatabase, type PgliteStoreOptions } from './drivers/pglite.js';
export { storeErrorCodes } from './error-codes.js';
export type { StoreErrorCode } from './errors.js';
export {
  createSemanticRecall,
  type RecalledPassage,
  type SemanticRecall,
  type SemanticRecallOptions,
} from './memory/semantic-recall.js';
export { createThreadMemory, type ThreadMemoryOptions } from './memory/thread-memory.js';
export { defaultSummaryInstructions, type ThreadSummaryOptions } from './memory/thread-summary.js';
export { createWorkingMemory, type WorkingMemory, type WorkingMemoryOptions } from './memory/working-memory.js';
export { migrations } from './sql/migrations.js';
