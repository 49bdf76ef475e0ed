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
import { parentPort, workerData } from 'node:worker_threads';
import { sandboxRuntime } from '../runtime/sandbox-runtime.ts';
import { type NodeRealmHost, nodeRealmPrelude, strictSource } from './realm-prelude.ts';

interface WorkerData {
  indexURL: string;
  assets: Record<string, SharedArrayBuffer>;
  sources: { loader: string; asm: string };
}

const port = parentPort;
if (port === null) throw new Error('[sandbox] worker.js must run as a worker thread');
const data = workerData as WorkerData;

const context = vm.createContext(vm.constants.DONT_CONTEXTIFY, {
  name: 'agenticgen-sandbox',
  codeGeneration: { strings: false, wasm: true },
  // The context's promise jobs wait in its own queue, run only when this file drains it: while the interpreter
  // starts (see `drainUntilReady`), never once it serves a session. A promise chain Python started during a run
  // (an async iterator, a thenable) therefore stays frozen after the run instead of running between runs.
  microtaskMode: 'afterEvaluate',
});
const drainScript = new vm.Script('undefined');
let serving = false;

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
    if (!serving && json.startsWith('{"op":"ready"')) serving = true;
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
  loadModules: (done, fail) => {
    evaluateModules().then(
      ([loader, asm]) => done(loader as never, asm as never),
      (error: unknown) => fail(String((error as Error)?.message ?? error)),
    );
  },
};

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
  // Copied, never adopted: the snapshot's shared memory must stay out of reach of every session.
  const payload = message.payload instanceof Uint8Array ? prelude.copyIn(message.payload) : undefined;
  runtime.receive(message.json, payload);
});
drainUntilReady();
