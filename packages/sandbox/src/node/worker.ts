/**
 * Worker-thread entry (inside the sandbox child process). Pyodide and the runtime live in a `vm` context
 * created with `codeGeneration: { strings: false }`: no `eval`, no `Function('…')`, and none of Node's globals
 * (`process`, `require`, `import()`, `fetch`, sockets, files). This file's own realm only relays messages.
 *
 * Imports use `.ts` so Node can run the source directly (type stripping) in tests; tsup bundles it as `worker.js`.
 */
import { webcrypto } from 'node:crypto';
import { getHeapStatistics } from 'node:v8';
import vm from 'node:vm';
import { type MessagePort, moveMessagePortToContext, parentPort, workerData } from 'node:worker_threads';
import { sandboxRuntime } from '../runtime/sandbox-runtime.ts';
import { honoursRestoreHook } from '../runtime/sparse-restore-patch.ts';
import { type NodeRealmHost, nodeRealmPrelude, strictSource } from './realm-prelude.ts';
import { createSandboxContext, fetchCollectGarbage } from './sandbox-context.ts';

interface WorkerData {
  indexURL: string;
  assets: Record<string, SharedArrayBuffer>;
  sources: { loader: string; asm: string };
  /** Where the supervisor sends Pyodide's wasm module, compiled once for every worker (or null). */
  wasmPort?: MessagePort;
  /** One Int32 shared by the process's workers: held while a worker flips V8's `--expose-gc` or makes a context. */
  flagLock?: Int32Array;
}

const port = parentPort;
if (port === null) throw new Error('[sandbox] worker.js must run as a worker thread');
const data = workerData as WorkerData;

/**
 * A full collection of this thread's heap, taken once the worker is ready: booting or restoring leaves tens of MB
 * of garbage (the copied wasm binary, the snapshot made by the template, parser data) that V8 would otherwise keep
 * for as long as the worker idles in the pool, since an idle worker allocates nothing that would start a
 * collection. Fetched, like the context is made, under the process's flag lock (sandbox-context.ts).
 */
const collectGarbage = fetchCollectGarbage(data.flagLock);
const context = createSandboxContext(data.flagLock);
const drainScript = new vm.Script('undefined');

/**
 * Pyodide's wasm module, compiled once by the supervisor and shared by every worker (its compiled code too), so
 * no worker compiles the 9.6 MB binary or keeps its own copy. It arrives through a port moved into the context:
 * the message is deserialized there, so the module is an object of the context's realm, never of this one.
 */
const wasmModuleWaiters: ((module: WebAssembly.Module | null) => void)[] = [];
let sharedWasmModule: WebAssembly.Module | null | undefined = data.wasmPort === undefined ? null : undefined;
/** Held until the module arrived: a port nothing references is collected, and its message with it. */
const pendingPorts = new Set<object>();
if (data.wasmPort !== undefined) {
  const ContextModule = vm.runInContext('WebAssembly.Module', context) as typeof WebAssembly.Module;
  // A port in another context has no EventTarget methods: only `onmessage`, `start` and `close`.
  const moved = moveMessagePortToContext(data.wasmPort, context) as unknown as {
    onmessage: ((event: { data?: unknown }) => void) | null;
    start?: () => void;
    close(): void;
  };
  pendingPorts.add(moved);
  moved.onmessage = (event: { data?: unknown }) => {
    const module = event?.data;
    sharedWasmModule = module instanceof ContextModule ? module : null;
    // The port is an object of the context holding this realm's handler: nothing of it is left behind.
    moved.onmessage = null;
    moved.close();
    pendingPorts.delete(moved);
    for (const waiter of wasmModuleWaiters.splice(0)) waiter(sharedWasmModule);
  };
  // A port moved into a context delivers nothing until started (setting `onmessage` does not start it there).
  moved.start?.();
}
let serving = false;
/**
 * The snapshot being restored: the supervisor's shared copy, read here by `restoreHeap` and never handed to the
 * context (whose wasm memory it fills). Released once the interpreter is ready.
 */
let restoreSource: Uint8Array | undefined;
/** Whether the loaded Pyodide calls `restoreHeap` (sparse-restore-patch.ts applied to this release's text). */
const restoreHook = honoursRestoreHook(data.sources.asm);

/** Runs the context's pending promise jobs until the runtime reports `ready` (Pyodide's start is async). */
function drainUntilReady(): void {
  const timer = setInterval(() => {
    if (serving) clearInterval(timer);
    else drainScript.runInContext(context);
  }, 1);
}

const decoders = new Map<number, TextDecoder>();
let nextDecoder = 1;
const timers = new Map<number, ReturnType<typeof setTimeout>>();

const host: NodeRealmHost = {
  indexURL: data.indexURL,
  log: (text) => {
    process.stderr.write(`[sandbox worker] ${text.slice(0, 2000)}\n`);
  },
  asset: (name) => {
    const buffer = data.assets[name];
    return buffer === undefined ? null : new Uint8Array(buffer);
  },
  newDecoder: (label, fatal) => {
    const id = nextDecoder++;
    decoders.set(id, new TextDecoder(label, { fatal }));
    return id;
  },
  decode: (id, bytes, stream) => decoders.get(id)?.decode(bytes, { stream }) ?? '',
  encode: (text) => new TextEncoder().encode(text),
  parseUrl: (url, base) => {
    const parsed = new URL(url, base);
    const { href, origin, protocol, host: authority, hostname, port: portText, pathname, search, hash } = parsed;
    return JSON.stringify({
      href,
      origin,
      protocol,
      host: authority,
      hostname,
      port: portText,
      pathname,
      search,
      hash,
    });
  },
  fillRandom: (bytes) => {
    webcrypto.getRandomValues(bytes);
  },
  now: () => performance.now(),
  setTimer: (id, delay, fire) => {
    timers.set(
      id,
      setTimeout(() => {
        timers.delete(id);
        fire(id);
      }, delay),
    );
  },
  clearTimer: (id) => {
    clearTimeout(timers.get(id));
    timers.delete(id);
  },
  post: (json, payload) => {
    if (typeof json !== 'string') return;
    if (!serving && json.startsWith('{"op":"ready"')) {
      serving = true;
      restoreSource = undefined;
      // After this task: the ready message goes out first, and the boot's last references are gone.
      setImmediate(collectGarbage);
    }
    // The payload comes from the context's realm, where `instanceof` against this realm's classes fails.
    const tag = Object.prototype.toString.call(payload);
    if (tag === '[object SharedArrayBuffer]') port.postMessage({ json, interrupt: payload });
    else if (tag === '[object Uint8Array]') {
      const source = payload as Uint8Array;
      const bytes = new Uint8Array(source.length);
      bytes.set(source);
      port.postMessage({ json, payload: bytes }, [bytes.buffer]);
    } else port.postMessage({ json });
  },
  memoryBytes: () => {
    const statistics = getHeapStatistics();
    return statistics.used_heap_size + statistics.external_memory;
  },
  ...(restoreHook
    ? {
        restoreHeap: (heap: Int8Array, offset: number) => {
          const source = restoreSource;
          if (source === undefined) throw new Error('[sandbox] no snapshot is being restored');
          copySparsely(source.subarray(offset), new Uint8Array(heap.buffer, heap.byteOffset, heap.byteLength));
        },
      }
    : {}),
  wasmModule: (done) => {
    if (sharedWasmModule === undefined) wasmModuleWaiters.push(done);
    else done(sharedWasmModule);
  },
  loadModules: (done, fail) => {
    evaluateModules().then(
      ([loader, asm]) => done(loader as never, asm as never),
      (error: unknown) => fail(String((error as Error)?.message ?? error)),
    );
  },
};

const block = 65536;
const zeroBlock = new Uint8Array(block);
const isZero = (bytes: Uint8Array) =>
  Buffer.compare(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length), zeroBlock.subarray(0, bytes.length)) === 0;

/**
 * `target.set(source)` that skips each 64 KiB block zero in both: the wasm memory's zero pages stay uncommitted
 * (the rule of sparse-restore-patch.ts, with native compares instead of a byte loop).
 */
function copySparsely(source: Uint8Array, target: Uint8Array): void {
  if (source.length > target.length) throw new Error('[sandbox] the snapshot is larger than the wasm memory');
  for (let at = 0; at < source.length; at += block) {
    const end = Math.min(at + block, source.length);
    const from = source.subarray(at, end);
    const to = target.subarray(at, end);
    if (!isZero(from) || !isZero(to)) to.set(from);
  }
}

async function evaluateModules(): Promise<[unknown, unknown]> {
  const load = async (source: string, file: string) => {
    const url = `${data.indexURL}${file}`;
    const module = new vm.SourceTextModule(source, {
      context,
      identifier: url,
      initializeImportMeta(meta) {
        meta.url = url;
      },
      // Pyodide only imports dynamically to fetch packages or Node modules; neither exists in here.
      importModuleDynamically: () => {
        throw prelude.makeError('[sandbox] import() is disabled inside the sandbox');
      },
    });
    await module.link(() => {
      throw prelude.makeError('[sandbox] static imports are disabled inside the sandbox');
    });
    await module.evaluate();
    return module.namespace;
  };
  const asm = await load(data.sources.asm, 'pyodide.asm.mjs');
  const loader = await load(data.sources.loader, 'pyodide.mjs');
  return [loader, asm];
}

const install = vm.runInContext(strictSource(nodeRealmPrelude), context) as typeof nodeRealmPrelude;
const prelude = install(host);
const start = vm.runInContext(strictSource(sandboxRuntime), context) as typeof sandboxRuntime;
const runtime = start(prelude.bridge);

port.on('message', (message: { json?: unknown; payload?: unknown }) => {
  if (typeof message?.json !== 'string') return;
  // Copied, never adopted: the snapshot's shared memory must stay out of reach of every session. A snapshot to
  // restore is not copied at all where `restoreHeap` fills the wasm memory from it: the context gets a stand-in
  // of the same length holding only the header (the bytes before the heap part).
  let payload: Uint8Array | undefined;
  if (message.payload instanceof Uint8Array) {
    const heapStart = restoreHook && !serving && isRestoreInit(message.json) ? snapshotHeapStart(message.payload) : -1;
    if (heapStart < 0) payload = prelude.copyIn(message.payload);
    else {
      restoreSource = message.payload;
      payload = prelude.placeholder(message.payload.length, message.payload.subarray(0, heapStart));
    }
  }
  runtime.receive(message.json, payload);
});
drainUntilReady();

function isRestoreInit(json: string): boolean {
  try {
    const parsed = JSON.parse(json) as { op?: unknown; mode?: unknown };
    return parsed.op === 'init' && parsed.mode === 'restore';
  } catch {
    return false;
  }
}

/** Where the heap part of a Pyodide snapshot starts (its second 32-bit word), or -1 when that is not plausible. */
function snapshotHeapStart(snapshot: Uint8Array): number {
  if (snapshot.length < 8) return -1;
  const start = new DataView(snapshot.buffer, snapshot.byteOffset, snapshot.length).getUint32(4, true);
  return start >= 8 && start <= snapshot.length ? start : -1;
}
