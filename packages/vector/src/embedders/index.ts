export { type CachedEmbedder, type CachedEmbedderOptions, createCachedEmbedder } from './cached-embedder.js';
export { createHashingEmbedder, type HashingEmbedderOptions } from './hashing-embedder.js';
export {
  createTransformersEmbedder,
  type FeatureExtractor,
  type FeatureTensor,
  type TransformersEmbedderOptions,
  type TransformersModule,
} from './transformers-embedder.js';
