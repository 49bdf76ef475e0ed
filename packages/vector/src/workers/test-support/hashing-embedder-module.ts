// An embedder module as `createWorkerEmbedder` loads it inside the worker: it exports `createEmbedder`.
import { createHashingEmbedder, type Embedder, type HashingEmbedderOptions } from '@agenticgen/core';

export function createEmbedder(options: HashingEmbedderOptions): Embedder {
  return createHashingEmbedder(options);
}
