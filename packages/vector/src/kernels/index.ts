export type { KernelBackendKind, KernelPreference } from './kernel-backend.js';
export { wasmSimdSupported } from './load-kernels.js';
export { dequantizeInt8, quantizeInt8 } from './quantization.js';
export { createVectorKernels, type KernelMatch, type VectorKernels } from './vector-kernels.js';
