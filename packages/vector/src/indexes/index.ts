export { createFlatIndex, FlatIndex, type FlatIndexOptions } from './flat-index.js';
export { createHnswIndex, HnswIndex, type HnswIndexOptions } from './hnsw-index.js';
export type { InMemoryIndex, InMemoryIndexOptions } from './in-memory-index.js';
export type { BuildProgressEvent, IndexEventListener, IndexEventMap } from './index-events.js';
