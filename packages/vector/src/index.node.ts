/**
 * The Node entry of @agenticgen/vector: everything from the browser-safe entry plus the LanceDB store
 * (loaded lazily) and file persistence.
 */
export {
  type BuildProgressEvent,
  type CachedEmbedder,
  type CachedEmbedderOptions,
  type CrossEncoderRankerOptions,
  type CrossEncoderTransformersModule,
  createCachedEmbedder,
  createCrossEncoderRanker,
  createFlatIndex,
  createHashingEmbedder,
  createHnswIndex,
  createTransformersEmbedder,
  createVectorKernels,
  deleteIndexFromIndexedDb,
  dequantizeInt8,
  type FeatureExtractor,
  type FeatureTensor,
  FlatIndex,
  type FlatIndexOptions,
  type HashingEmbedderOptions,
  HnswIndex,
  type HnswIndexOptions,
  type IndexEventListener,
  type IndexEventMap,
  type IndexedDbLocation,
  type InMemoryIndex,
  type InMemoryIndexOptions,
  type KernelBackendKind,
  type KernelMatch,
  type KernelPreference,
  type LoadIndexOptions,
  loadIndexFromIndexedDb,
  quantizeInt8,
  saveIndexToIndexedDb,
  type TransformersEmbedderOptions,
  type TransformersModule,
  type VectorKernels,
  vectorErrorCodes,
  wasmSimdSupported,
} from './index.js';
export { buildHnswIndex } from './node/build-hnsw-index.js';
export { loadIndex, loadIndexFromFile, saveIndexToFile } from './node/file-persistence.js';
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
export {
  type BuildHnswIndexOptions,
  type CreateWorkerIndexOptions,
  createWorkerEmbedder,
  createWorkerIndex,
  exposeHnswBuildWorker,
  exposeVectorWorker,
  type HnswBuildWorker,
  type NodeStyleWorker,
  type WorkerEmbedder,
  type WorkerEmbedderOptions,
  type WorkerIndex,
  type WorkerIndexOptions,
  type WorkerLike,
} from './workers/index.js';
