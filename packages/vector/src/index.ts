/**
 * @agenticgen/vector — WebAssembly SIMD kernels, in-process flat and HNSW indexes, persistence and
 * embedders. This is the browser-safe entry; `index.node.ts` adds the LanceDB store and file helpers.
 */

export {
  deleteIndexFromIndexedDb,
  type IndexedDbLocation,
  loadIndexFromIndexedDb,
  saveIndexToIndexedDb,
} from './browser/indexeddb-persistence.js';
export * from './embedders/index.js';
export { type VectorErrorCode, vectorErrorCodes } from './error-codes.js';
export * from './indexes/index.js';
export * from './kernels/index.js';
export * from './persistence/index.js';
export * from './rankers/index.js';
