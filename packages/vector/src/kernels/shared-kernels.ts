import { kernelsWasmBase64 } from '../wasm/kernels.generated.js';
import { decodeBase64, WasmSimdKernels } from './wasm-kernels.js';

const pageBytes = 65_536;
/** Largest shared memory we ask for: 4 GiB is the wasm32 limit. */
const maxPages = 65_536;

function unsignedLeb(value: number): number[] {
  const out: number[] = [];
  do {
    let byte = value & 0x7f;
    value = Math.floor(value / 128);
    if (value !== 0) byte |= 0x80;
    out.push(byte);
  } while (value !== 0);
  return out;
}

function readLeb(bytes: Uint8Array, at: number): [value: number, next: number] {
  let value = 0;
  let shift = 0;
  let byte: number;
  do {
    byte = bytes[at++]!;
    value += (byte & 0x7f) * 2 ** shift;
    shift += 7;
  } while (byte & 0x80);
  return [value, at];
}

/**
 * The kernel module rewritten to import its memory as `env.memory`, shared, instead of defining a private
 * one, so several workers run the same kernels over one graph. The kernels keep no state in memory (no data
 * segments, no globals written), which is what makes one module instance per worker on one memory safe.
 * Returns `undefined` when the module has a shape this rewrite does not know (imports or data segments).
 */
export function sharedMemoryKernelBytes(moduleBytes: Uint8Array): Uint8Array<ArrayBuffer> | undefined {
  const sections: { id: number; body: Uint8Array }[] = [];
  let at = 8;
  while (at < moduleBytes.length) {
    const id = moduleBytes[at]!;
    const [size, start] = readLeb(moduleBytes, at + 1);
    sections.push({ id, body: moduleBytes.subarray(start, start + size) });
    at = start + size;
  }
  if (sections.some((section) => section.id === 2 || section.id === 11 || section.id === 12)) return undefined;
  if (!sections.some((section) => section.id === 5)) return undefined;
  const name = (text: string) => [text.length, ...Array.from(text, (char) => char.charCodeAt(0))];
  // One import: env.memory, a memory (kind 2) with limits flag 3 (shared, has maximum), min 1 page.
  const importBody = [1, ...name('env'), ...name('memory'), 2, 3, 1, ...unsignedLeb(maxPages)];
  const parts: number[][] = [Array.from(moduleBytes.subarray(0, 8))];
  for (const section of sections) {
    if (section.id === 5) continue;
    if (section.id === 3) parts.push([2, ...unsignedLeb(importBody.length), ...importBody]);
    parts.push([section.id, ...unsignedLeb(section.body.length), ...section.body]);
  }
  return new Uint8Array(parts.flat());
}

let compiled: Promise<WebAssembly.Module | undefined> | undefined;

/** The shared-memory variant of the SIMD kernels, compiled once per thread (undefined: not supported here). */
export function compileSharedKernelModule(): Promise<WebAssembly.Module | undefined> {
  compiled ??= (async () => {
    if (typeof WebAssembly !== 'object' || typeof SharedArrayBuffer !== 'function') return undefined;
    const bytes = sharedMemoryKernelBytes(decodeBase64(kernelsWasmBase64));
    if (bytes === undefined || !WebAssembly.validate(bytes)) return undefined;
    try {
      return await WebAssembly.compile(bytes);
    } catch {
      return undefined;
    }
  })();
  return compiled;
}

/**
 * A shared WebAssembly memory of `bytes` (rounded up to pages), or `undefined` where shared memory is not
 * available: no SharedArrayBuffer, or a page that is not cross-origin isolated.
 */
export function createSharedMemory(bytes: number): WebAssembly.Memory | undefined {
  if (typeof SharedArrayBuffer !== 'function') return undefined;
  if ((globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === false) return undefined;
  const pages = Math.ceil(bytes / pageBytes);
  if (pages > maxPages) return undefined;
  try {
    // The maximum is the size: the build never grows it, and a shared memory reserves its maximum up front.
    const memory = new WebAssembly.Memory({ initial: pages, maximum: pages, shared: true });
    return memory.buffer instanceof SharedArrayBuffer ? memory : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Kernels running on `memory` (shared): every pointer is an offset into that memory. `paramsOffset` is this
 * instance's own `hnswSearch0` argument block (see `WasmSimdKernels`), so workers on one memory never share it.
 */
export async function instantiateSharedKernels(
  module: WebAssembly.Module,
  memory: WebAssembly.Memory,
  paramsOffset: number,
): Promise<WasmSimdKernels> {
  const instance = await WebAssembly.instantiate(module, { env: { memory } });
  return new WasmSimdKernels(
    instance.exports as unknown as ConstructorParameters<typeof WasmSimdKernels>[0],
    paramsOffset,
  );
}
