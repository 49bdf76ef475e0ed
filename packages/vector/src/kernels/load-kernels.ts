import { AgenticGenError } from '@agenticgen/core';
import { type KernelBackend, type KernelPreference, TypeScriptKernels } from './kernel-backend.js';
import { compileKernelModule, WasmSimdKernels } from './wasm-kernels.js';

/** Whether this runtime can run the WebAssembly SIMD kernels. */
export async function wasmSimdSupported(): Promise<boolean> {
  return (await compileKernelModule()) !== undefined;
}

/**
 * A fresh kernel backend with its own memory. `auto` uses WebAssembly SIMD when available and the
 * TypeScript fallback otherwise; `wasm-simd` fails with `unsupported` instead of falling back.
 */
export async function createKernelBackend(preference: KernelPreference = 'auto'): Promise<KernelBackend> {
  if (preference === 'typescript') return new TypeScriptKernels();
  if (preference !== 'auto' && preference !== 'wasm-simd') {
    throw new AgenticGenError(
      'invalid-config',
      `[vector] unknown kernels "${String(preference)}"; use "auto", "wasm-simd" or "typescript"`,
    );
  }
  const module = await compileKernelModule();
  if (module === undefined) {
    if (preference === 'wasm-simd') {
      throw new AgenticGenError(
        'unsupported',
        '[vector] this runtime cannot run WebAssembly SIMD; use kernels: "auto" or "typescript"',
      );
    }
    return new TypeScriptKernels();
  }
  return WasmSimdKernels.instantiate(module);
}
