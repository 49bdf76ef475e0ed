/**
 * @agenticgen/vector — WebAssembly SIMD kernels, in-process flat and HNSW indexes, persistence and
 * embedders. This is the browser-safe entry; `index.node.ts` adds the LanceDB store and file helpers.
 */
export * from './kernels/index.js';
export * from './indexes/index.js';
export * from './persistence/index.js';
