export { type BuildHnswIndexOptions, buildHnswIndexWith, type HnswBuildWorker } from './build-hnsw-index.js';
export { exposeVectorWorker } from './expose-vector-worker.js';
export { exposeHnswBuildWorker, type HnswBuildWorkerApi } from './hnsw-build-worker.js';
export {
  type CreateWorkerIndexOptions,
  createWorkerEmbedder,
  createWorkerIndex,
  type WorkerEmbedder,
  type WorkerEmbedderOptions,
  type WorkerIndex,
} from './worker-clients.js';
export type { NodeStyleWorker, WorkerIndexOptions, WorkerLike } from './worker-protocol.js';
