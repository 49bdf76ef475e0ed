/**
 * @agenticgen/store — threads, working memory and durable runs on PGlite (Node and browser).
 * This entry is browser-safe; the Node entry (index.node.ts) adds the PostgreSQL driver.
 */
export { createPgliteStore, type PgliteStoreOptions } from './drivers/pglite.js';
export type { StoreErrorCode } from './errors.js';
export { migrations } from './sql/migrations.js';
