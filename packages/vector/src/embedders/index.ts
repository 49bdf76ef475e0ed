// The offline hashing embedder lives in core (the knowledge base needs it and core imports no sibling);
// re-exported here so `@agenticgen/vector` users get the same function, vectors and ids.
export { createHashingEmbedder, type HashingEmbedderOptions } from '@agenticgen/core';
export { type CachedEmbedder, type CachedEmbedderOptions, createCachedEmbedder } from './cached-embedder.js';
export {
  createTransformersEmbedder,
  type FeatureExtractor,
  type FeatureTensor,
  type TransformersEmbedderOptions,
  type TransformersModule,
} from './transformers-embedder.js';
