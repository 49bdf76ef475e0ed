/**
 * @agenticgen/vector — WebAssembly SIMD kernels, in-process flat and HNSW indexes, persistence and
 * embedders. This is the browser-safe entry; `index.node.ts` adds the LanceDB store and file helpers.
 */

export { buildHnswIndex } from './browser/build-hnsw-index.js';
export {
  deleteIndexFromIndexedDb,
  type IndexedDbLocation,
  loadIndexFromIndexedDb,
  saveIndexToIndexedDb,
} from './browser/indexeddb-persistence.js';
export {
  type CachedEmbedder,
  type CachedEmbedderOptions,
  createCachedEmbedder,
  createHashingEmbedder,
  createTransformersEmbedder,
  type FeatureExtractor,
  type FeatureTensor,
  type HashingEmbedderOptions,
  type TransformersEmbedderOptions,
  type TransformersModule,
} from './embedders/index.js';
export { type VectorErrorCode, vectorErrorCodes } from './error-codes.js';
export {
  type BuildProgressEvent,
  createFlatIndex,
  createHnswIndex,
  FlatIndex,
  type FlatIndexOptions,
  HnswIndex,
  type HnswIndexOptions,
  type IndexEventListener,
  type IndexEventMap,
  type InMemoryIndex,
  type InMemoryIndexOptions,
} from './indexes/index.js';
export {
  createVectorKernels,
  dequantizeInt8,
  type KernelBackendKind,
  type KernelMatch,
  type KernelPreference,
  quantizeInt8,
  type VectorKernels,
  wasmSimdSupported,
} from './kernels/index.js';
export { type LoadIndexOptions, loadIndex } from './persistence/index.js';
export {
  type CrossEncoderRankerOptions,
  type CrossEncoderTransformersModule,
  createCrossEncoderRanker,
} from './rankers/index.js';
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
