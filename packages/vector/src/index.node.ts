/**
 * The Node entry of @agenticgen/vector: everything from the browser-safe entry plus the LanceDB store
 * (loaded lazily) and file persistence.
 */
export * from './index.js';
export { loadIndexFromFile, saveIndexToFile } from './node/file-persistence.js';
export { filterToSql, type MetadataFieldType } from './node/lancedb-filter.js';
export type {
  HybridMatch,
  HybridSearchQuery,
  LanceDbModule,
  LanceDbStoreOptions,
  LanceDbVectorIndexType,
  TextSearchQuery,
} from './node/lancedb-options.js';
export { createLanceDbStore, fuseByReciprocalRank, type LanceDbStore } from './node/lancedb-store.js';
