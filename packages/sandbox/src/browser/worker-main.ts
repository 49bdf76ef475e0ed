/**
 * The browser worker's own code, shipped as source text into a blob worker inside the sandboxed iframe:
 * self-contained, no outside references. It replaces `fetch` with a shim that serves Pyodide's files from
 * memory, removes the network and storage APIs from the scope, loads Pyodide from blob URLs and starts the
 * shared runtime. The iframe's CSP (no 'unsafe-eval', connect-src 'none') is the enforcing layer; this is the
 * second one.
 */
import type { RuntimeBridge, RuntimeHandle } from '../runtime/sandbox-runtime.js';

export function browserWorkerMain(
  startRuntime: (bridge: RuntimeBridge) => RuntimeHandle,
  loader: { loadPyodide: (config: object) => Promise<unknown> },
  asm: { default: unknown },
): void {
  const scope = globalThis as unknown as Record<string, unknown> & {
    postMessage(message: unknown, transfer?: Transferable[]): void;
    addEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
  };
  const post = scope.postMessage.bind(scope);
  const indexURL = 'https://pyodide.sandbox.invalid/';
  let runtime: RuntimeHandle | undefined;
  let assets: Record<string, Uint8Array> = {};

  const respond = (bytes: Uint8Array | undefined, url: string) => ({
    ok: bytes !== undefined,
    status: bytes === undefined ? 404 : 200,
    url,
    arrayBuffer: async () => (bytes ?? new Uint8Array(0)).slice().buffer,
    text: async () => new TextDecoder().decode(bytes ?? new Uint8Array(0)),
    json: async () => JSON.parse(new TextDecoder().decode(bytes ?? new Uint8Array(0))),
  });
  scope.fetch = async (input: unknown) => {
    const url = String(input instanceof Request ? input.url : input);
    if (!url.startsWith(indexURL)) throw new TypeError(`[sandbox] network access is disabled (${url})`);
    return respond(assets[url.slice(indexURL.length)], url);
  };
  const wasm = WebAssembly as unknown as Record<string, unknown>;
  wasm.instantiateStreaming = async (source: unknown, imports: WebAssembly.Imports) => {
    const response = (await source) as { arrayBuffer(): Promise<ArrayBuffer> };
    return WebAssembly.instantiate(await response.arrayBuffer(), imports);
  };
  for (const name of [
    'XMLHttpRequest',
    'WebSocket',
    'EventSource',
    'WebTransport',
    'indexedDB',
    'caches',
    'BroadcastChannel',
    'importScripts',
  ]) {
    try {
      delete scope[name];
      if (name in scope) Object.defineProperty(scope, name, { value: undefined, configurable: false });
    } catch {
      // Not configurable in this browser: the CSP still blocks it.
    }
  }

  const bridge: RuntimeBridge = {
    indexURL,
    post(json, payload) {
      if (payload instanceof SharedArrayBuffer) post({ json, interrupt: payload });
      else if (payload instanceof Uint8Array) {
        const bytes = payload.slice();
        post({ json, payload: bytes }, [bytes.buffer]);
      } else post({ json });
    },
    // Both modules were imported statically by the worker's module source (blob URLs made by the frame).
    loadPyodideModule: async () => ({ loadPyodide: loader.loadPyodide, createPyodideModule: asm.default }),
  };

  scope.addEventListener('message', (event: MessageEvent) => {
    const data = event.data as {
      json?: unknown;
      payload?: unknown;
      assets?: Record<string, Uint8Array>;
    };
    if (typeof data?.json !== 'string') return;
    if (runtime === undefined) {
      assets = data.assets ?? {};
      runtime = startRuntime(bridge);
    }
    runtime.receive(data.json, data.payload instanceof Uint8Array ? data.payload : undefined);
  });
}
