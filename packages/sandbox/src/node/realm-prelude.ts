/**
 * Installs the few web APIs Pyodide needs inside a bare `vm` context, built from functions of the context
 * itself. Self-contained on purpose: it is compiled INSIDE the context (`String(nodeRealmPrelude)`), so every
 * object it creates (classes, promises, errors, byte arrays) belongs to the context's realm. The host functions
 * it receives stay in its closure and only ever hand back primitives, or byte arrays that are copied at once:
 * an object of the host realm reachable from Python would lead to the host's `Function` constructor.
 */

/**
 * The source that compiles `fn` inside a `vm` context in strict mode: sloppy functions there would hand
 * `globalThis` to callbacks called without a receiver and expose `fn.caller` / `fn.arguments`.
 */
export function strictSource(fn: (...args: never[]) => unknown): string {
  return `'use strict';(${fn.toString()})`;
}

/** Host functions handed to the prelude once; each returns primitives or host byte arrays that get copied. */
export interface NodeRealmHost {
  log(text: string): void;
  asset(name: string): Uint8Array | null;
  newDecoder(label: string, fatal: boolean): number;
  decode(decoder: number, bytes: Uint8Array | undefined, stream: boolean): string;
  encode(text: string): Uint8Array;
  parseUrl(url: string, base: string | undefined): string;
  fillRandom(bytes: Uint8Array): void;
  now(): number;
  setTimer(id: number, delay: number, fire: (id: number) => void): void;
  clearTimer(id: number): void;
  post(json: string, payload?: Uint8Array | SharedArrayBuffer): void;
  /** Bytes this worker's V8 isolate holds: JavaScript heap plus external memory (the wasm heap included). */
  memoryBytes(): number;
  /**
   * Copies the heap part of the snapshot being restored (held outside the context, shared by every worker) into
   * the context's wasm memory, from `offset` in the snapshot. Absent when the loaded Pyodide does not call it.
   */
  restoreHeap?(heap: Int8Array, offset: number): void;
  /**
   * Calls back once with Pyodide's wasm module compiled once for the whole sandbox process and delivered into
   * this context (an object of the context's realm), or with null: then the binary is compiled here.
   */
  wasmModule?(done: (module: WebAssembly.Module | null) => void): void;
  /** Evaluates Pyodide's two modules in the context and calls back with their namespaces (context objects). */
  loadModules(
    done: (loader: { loadPyodide: never }, asm: { default: unknown }) => void,
    fail: (message: string) => void,
  ): void;
  indexURL: string;
}

/** What the prelude returns, all of the context's realm. */
export interface NodeRealmPrelude {
  bridge: {
    post(json: string, payload?: Uint8Array | SharedArrayBuffer): void;
    memoryBytes(): number;
    restoreHeap?(heap: Int8Array, offset: number): void;
    loadPyodideModule(): Promise<{ loadPyodide: (config: object) => Promise<unknown>; createPyodideModule: unknown }>;
    indexURL: string;
  };
  /** Copies host bytes into a byte array of the context. */
  copyIn(bytes: Uint8Array): Uint8Array;
  /**
   * A byte array of the context as long as `length` (zero pages the system commits only when written) holding
   * a copy of `head`: the stand-in for a snapshot whose heap part `restoreHeap` copies.
   */
  placeholder(length: number, head: Uint8Array): Uint8Array;

  /** Builds an error of the context (for rejections that would otherwise carry a host error object). */
  makeError(message: string): Error;
}

export function nodeRealmPrelude(host: NodeRealmHost): NodeRealmPrelude {
  const scope = globalThis as unknown as Record<string, unknown>;
  const copy = (bytes: Uint8Array): Uint8Array => {
    const out = new Uint8Array(bytes.length);
    out.set(bytes);
    return out;
  };
  const safe =
    <A extends unknown[], R>(fn: (...args: A) => R) =>
    (...args: A): R => {
      try {
        return fn(...args);
      } catch (error) {
        // Never rethrow a host error object: rebuild it in this realm.
        throw new Error(String((error as { message?: unknown })?.message ?? error));
      }
    };

  class WorkerGlobalScope {}
  scope.WorkerGlobalScope = WorkerGlobalScope;
  // Pyodide recognises a web worker by `self instanceof WorkerGlobalScope`.
  Object.setPrototypeOf(globalThis, WorkerGlobalScope.prototype);
  scope.self = globalThis;
  // `gc` exists only if a context was created while a worker had `--expose-gc` set to fetch its own (worker.ts).
  delete scope.gc;
  scope.location = { href: host.indexURL, toString: () => host.indexURL };
  // Every host function is called through `safe`, shims included: an error it throws is rebuilt in this realm.
  const hostLog = safe(host.log);
  const hostSetTimer = safe(host.setTimer);
  const hostClearTimer = safe(host.clearTimer);
  const hostNow = safe(host.now);
  const log = (...parts: unknown[]) => hostLog(parts.map((part) => String(part)).join(' '));
  scope.console = { log, info: log, warn: log, error: log, debug: () => {}, trace: () => {} };

  let nextTimer = 1;
  const timers = new Map<number, () => void>();
  const fire = (id: number) => {
    const callback = timers.get(id);
    timers.delete(id);
    if (callback !== undefined) callback();
  };
  scope.setTimeout = (callback: (...args: unknown[]) => void, delay?: number, ...args: unknown[]) => {
    const id = nextTimer++;
    timers.set(id, () => callback(...args));
    hostSetTimer(id, Number(delay) || 0, fire);
    return id;
  };
  scope.clearTimeout = (id: number) => {
    timers.delete(id);
    hostClearTimer(id);
  };
  scope.queueMicrotask = (callback: () => void) => {
    Promise.resolve().then(callback);
  };
  scope.performance = { now: () => hostNow(), timeOrigin: 0 };
  scope.crypto = {
    getRandomValues: safe(<T extends ArrayBufferView>(array: T): T => {
      const view = new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
      const fresh = new Uint8Array(view.length);
      for (let offset = 0; offset < fresh.length; offset += 65536)
        host.fillRandom(fresh.subarray(offset, offset + 65536));
      view.set(fresh);
      return array;
    }),
  };

  class TextDecoder {
    readonly encoding: string;
    readonly #id: number;
    constructor(label = 'utf-8', options?: { fatal?: boolean }) {
      this.encoding = String(label);
      this.#id = safe(host.newDecoder)(this.encoding, Boolean(options?.fatal));
    }
    decode(input?: ArrayBufferView | ArrayBuffer, options?: { stream?: boolean }): string {
      let bytes: Uint8Array | undefined;
      if (input instanceof ArrayBuffer || input instanceof SharedArrayBuffer) bytes = copy(new Uint8Array(input));
      else if (input !== undefined) bytes = copy(new Uint8Array(input.buffer, input.byteOffset, input.byteLength));
      return safe(host.decode)(this.#id, bytes, Boolean(options?.stream));
    }
  }
  class TextEncoder {
    readonly encoding = 'utf-8';
    encode(text = ''): Uint8Array {
      return copy(safe(host.encode)(String(text)));
    }
    encodeInto(text: string, destination: Uint8Array): { read: number; written: number } {
      const bytes = this.encode(text);
      if (bytes.length <= destination.length) {
        destination.set(bytes);
        return { read: text.length, written: bytes.length };
      }
      // Cut on a code point boundary so the prefix written is valid UTF-8.
      let read = 0;
      let written = 0;
      for (const character of text) {
        const size = this.encode(character).length;
        if (written + size > destination.length) break;
        destination.set(this.encode(character), written);
        written += size;
        read += character.length;
      }
      return { read, written };
    }
  }
  scope.TextDecoder = TextDecoder;
  scope.TextEncoder = TextEncoder;

  // Base64 of "binary strings" (one char per byte), as browsers define btoa/atob.
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  scope.btoa = (input: unknown) => {
    const text = String(input);
    let out = '';
    for (let index = 0; index < text.length; index += 3) {
      const a = text.charCodeAt(index);
      const b = text.charCodeAt(index + 1);
      const c = text.charCodeAt(index + 2);
      if (a > 255 || b > 255 || c > 255) throw new Error('btoa: the string has characters outside Latin-1');
      const triple = (a << 16) | ((b || 0) << 8) | (c || 0);
      out += alphabet[(triple >> 18) & 63] ?? '';
      out += alphabet[(triple >> 12) & 63] ?? '';
      out += Number.isNaN(b) ? '=' : (alphabet[(triple >> 6) & 63] ?? '');
      out += Number.isNaN(c) ? '=' : (alphabet[triple & 63] ?? '');
    }
    return out;
  };
  scope.atob = (input: unknown) => {
    const text = String(input).replace(/[\s=]+/g, '');
    let out = '';
    let buffer = 0;
    let bits = 0;
    for (const character of text) {
      const value = alphabet.indexOf(character);
      if (value < 0) throw new Error('atob: invalid base64');
      buffer = (buffer << 6) | value;
      bits += 6;
      if (bits >= 8) {
        bits -= 8;
        out += String.fromCharCode((buffer >> bits) & 255);
      }
    }
    return out;
  };

  class URL {
    href = '';
    origin = '';
    protocol = '';
    host = '';
    hostname = '';
    port = '';
    pathname = '';
    search = '';
    hash = '';
    constructor(url: unknown, base?: unknown) {
      const parsed = JSON.parse(safe(host.parseUrl)(String(url), base === undefined ? undefined : String(base)));
      Object.assign(this, parsed);
    }
    toString(): string {
      return this.href;
    }
  }
  scope.URL = URL;

  // Bytes are copied into this realm only when read: a loader that instantiates the shared module never reads
  // the wasm binary, so no worker holds a copy of it.
  const respond = (bytes: Uint8Array | null, url: string) => {
    const read = () => (bytes === null ? new Uint8Array(0) : copy(bytes));
    return {
      ok: bytes !== null,
      status: bytes === null ? 404 : 200,
      url,
      arrayBuffer: async () => read().buffer,
      text: async () => new TextDecoder().decode(read()),
      json: async () => JSON.parse(new TextDecoder().decode(read())),
    };
  };
  // Serves Pyodide's own files from memory; everything else is refused: there is no network in here.
  scope.fetch = async (input: unknown) => {
    const url = String(input);
    if (!url.startsWith(host.indexURL)) throw new TypeError(`[sandbox] network access is disabled (${url})`);
    return respond(safe(host.asset)(url.slice(host.indexURL.length)), url);
  };
  const hostWasmModule = host.wasmModule === undefined ? undefined : safe(host.wasmModule);
  const sharedModule = () =>
    new Promise<WebAssembly.Module | null>((resolve) => {
      if (hostWasmModule === undefined) resolve(null);
      else hostWasmModule((module) => resolve(module instanceof WebAssembly.Module ? module : null));
    });
  const wasm = WebAssembly as unknown as Record<string, unknown>;
  delete wasm.compileStreaming;
  wasm.instantiateStreaming = async (source: unknown, imports: WebAssembly.Imports) => {
    const module = await sharedModule();
    if (module !== null) return { instance: await WebAssembly.instantiate(module, imports), module };
    const response = (await source) as { arrayBuffer(): Promise<ArrayBuffer> };
    return WebAssembly.instantiate(await response.arrayBuffer(), imports);
  };

  const restoreHeap = host.restoreHeap;
  return {
    bridge: {
      indexURL: host.indexURL,
      post: safe(host.post),
      memoryBytes: safe(host.memoryBytes),
      ...(restoreHeap === undefined ? {} : { restoreHeap: safe(restoreHeap) }),
      loadPyodideModule: () =>
        new Promise((resolve, reject) => {
          host.loadModules(
            (loader, asm) => resolve({ loadPyodide: loader.loadPyodide, createPyodideModule: asm.default }),
            (message) => reject(new Error(message)),
          );
        }),
    },
    copyIn: copy,
    placeholder: (length: number, head: Uint8Array) => {
      const out = new Uint8Array(length);
      out.set(head.subarray(0, Math.min(head.length, length)));
      return out;
    },
    makeError: (message: string) => new Error(message),
  };
}
