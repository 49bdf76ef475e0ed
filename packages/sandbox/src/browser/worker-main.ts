/**
 * The browser worker's own code, shipped as source text (with Pyodide's two modules inlined before it) into a
 * worker inside the sandboxed iframe: self-contained, no outside references. It replaces `fetch` with a shim
 * that serves Pyodide's files from memory, removes the network and storage APIs from the scope and starts the
 * shared runtime. Once the interpreter is ready it also removes everything that starts new code or makes URLs
 * for it (Worker, Blob, object URLs, fetch, ...). The worker's CSP (frame-main.ts, worker-host-main.ts) is the
 * enforcing layer: no eval, no network, no script URL, no worker; this is the second.
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

  // Timers call their callback with `this` = the worker's global scope, and Pyodide's `scheduleCallback`
  // (reachable from Python as `pyodide.webloop.scheduleCallback`) hands Python proxies to `setTimeout`: one made
  // with `capture_this=True` would receive the global scope. Every timer callback runs with `this` undefined.
  for (const name of ['setTimeout', 'setInterval']) {
    const schedule = scope[name] as (handler: () => void, delay?: number) => number;
    scope[name] = (handler: unknown, delay?: number, ...rest: unknown[]) => {
      if (typeof handler !== 'function') throw new TypeError(`[sandbox] ${name} takes a function`);
      return schedule.call(scope, () => Reflect.apply(handler, undefined, rest), delay);
    };
  }

  /** Removes a global everywhere on the scope's prototype chain and pins it to undefined. */
  const remove = (name: string) => {
    for (let owner: object | null = scope; owner !== null; owner = Object.getPrototypeOf(owner)) {
      try {
        delete (owner as Record<string, unknown>)[name];
      } catch {
        // Not configurable here: the own property pinned below shadows it.
      }
    }
    try {
      Object.defineProperty(scope, name, { value: undefined, configurable: false, writable: false });
    } catch {
      // Already pinned.
    }
  };

  /** What Pyodide needs only while it loads: afterwards nothing may start code or fetch anything. */
  let lockedDown = false;
  const lockDown = () => {
    if (lockedDown) return;
    lockedDown = true;
    assets = {};
    for (const name of [
      'fetch',
      'Request',
      'Response',
      'FormData',
      'Worker',
      'SharedWorker',
      'Blob',
      'File',
      'FileReader',
      'FileReaderSync',
      'OffscreenCanvas',
      'WebSocketStream',
      // The bridge holds its own bound copy; nobody else may post to the frame or end the worker.
      'postMessage',
      'close',
    ]) {
      remove(name);
    }
    const url = scope.URL as Record<string, unknown> | undefined;
    if (url !== undefined) {
      for (const name of ['createObjectURL', 'revokeObjectURL']) {
        delete url[name];
        Object.defineProperty(url, name, { value: undefined, configurable: false, writable: false });
      }
    }
  };
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
    remove(name);
  }

  const bridge: RuntimeBridge = {
    indexURL,
    post(json, payload) {
      // The first `ready` (a snapshot, or a session worker) means Pyodide has loaded everything it ever will.
      if (!lockedDown && json.startsWith('{"op":"ready"')) lockDown();
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
