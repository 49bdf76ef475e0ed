import { runVectorStoreSuite } from '../testing/vector-store-suite.js';
import { createFlatIndex } from './flat-index.js';
import { createHnswIndex } from './hnsw-index.js';

runVectorStoreSuite('flat (wasm-simd)', (options) => createFlatIndex(options));
runVectorStoreSuite('flat (typescript)', (options) => createFlatIndex({ ...options, kernels: 'typescript' }));
runVectorStoreSuite('flat (int8 + re-rank)', (options) => createFlatIndex({ ...options, quantization: 'int8' }));
runVectorStoreSuite('hnsw', (options) => createHnswIndex({ ...options, M: 8, efConstruction: 64 }), {
  approximate: true,
});
runVectorStoreSuite(
  'hnsw (int8 + re-rank)',
  (options) => createHnswIndex({ ...options, M: 8, efConstruction: 64, quantization: 'int8' }),
  { approximate: true },
);
