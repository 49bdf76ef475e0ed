/**
 * Child-process entry: the process that holds every sandbox worker. The host starts it with an empty
 * environment, `--disallow-code-generation-from-strings` and Node's permission model (read-only access to
 * Pyodide's files and this package, worker threads allowed; no writes, no child processes, no addons). A
 * compromise of this process therefore finds no host secret and cannot write or spawn anything.
 *
 * It reads Pyodide's files once into SharedArrayBuffers, makes the memory snapshot in a template worker (which
 * then serves the first session), sends the snapshot to the host when asked (for the host to store), starts
 * restored workers on demand, writes interrupts into each worker's buffer and relays messages.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { MessageChannel, type MessagePort, Worker, type WorkerOptions } from 'node:worker_threads';
import type { PythonHarness } from '../runtime/sandbox-runtime.ts';
import { fixSignalCheckRace } from '../runtime/signal-check-patch.ts';
import { restoreSnapshotSparsely } from '../runtime/sparse-restore-patch.ts';
import { largestAllocationMb, watchWorkerMemory } from './memory-watch.ts';
import { createFlagLock } from './sandbox-context.ts';
import type { SupervisorRequest } from './supervisor-protocol.ts';

interface Live {
  worker: Worker;
  interrupt?: Int32Array;
  ready: boolean;
}

const assets: Record<string, SharedArrayBuffer> = {};
let sources: { loader: string; asm: string } | undefined;
let snapshot: SharedArrayBuffer | undefined;
/** sha256 of the snapshot made here, taken before any session started (see `streamSnapshot`). */
let snapshotSha256: string | undefined;
/** Whether the snapshot was sent to the host (once per process). */
let streamed = false;
const snapshotChunkBytes = 1 << 20;
let indexURL = 'https://pyodide.sandbox.invalid/';
let limits: Record<string, number> = {};
let packages: { fileName: string; imports: string[] }[] = [];
let harness: PythonHarness | undefined;
let workerUrl: URL | undefined;
/**
 * Pyodide's wasm module, compiled once here and posted to every worker: workers share its compiled code instead
 * of each compiling (and holding) its own. Null when compiling failed: workers then compile the binary themselves.
 */
let wasmModule: Promise<WebAssembly.Module | null> | undefined;
const wasmPorts = new Set<MessagePort>();
/** Shared by every worker of this process: see `underFlagLock` in worker.ts (V8 flags are process-wide). */
const flagLock = createFlagLock();
const workers = new Map<number, Live>();
/** The snapshot's template worker, until a spawn claims it. */
let spare: { worker: Worker; claim(): Worker } | undefined;
const spareTemplateMs = 30_000;

function send(message: object, payload?: Uint8Array): void {
  if (!process.connected) return;
  process.send?.(payload === undefined ? message : { ...message, payload });
}

function share(bytes: Uint8Array): SharedArrayBuffer {
  const shared = new SharedArrayBuffer(bytes.length);
  new Uint8Array(shared).set(bytes);
  return shared;
}

function startWorker(): Worker {
  if (sources === undefined) throw new Error('[sandbox] supervisor used before configure');
  // The worker moves its end into its sandbox context and closes it once the module arrived; it sends nothing.
  // This end stays referenced until then (`wasmPorts`): a collected port drops the message still in transit.
  const { port1, port2 } = new MessageChannel();
  wasmPorts.add(port1);
  port1.once('close', () => wasmPorts.delete(port1));
  void (wasmModule ?? Promise.resolve(null)).then((module) => port1.postMessage(module));
  const options = {
    workerData: { indexURL, assets, sources, wasmPort: port2, flagLock },
    transferList: [port2],
    env: {},
    stdout: true,
    resourceLimits: workerResourceLimits(),
  };
  // The literal form lets bundlers of Node servers see and emit the worker file; `workerUrl` overrides it.
  // (`type: 'module'` is what web bundlers look for; Node ignores it and reads the file as ESM anyway.)
  const worker =
    workerUrl === undefined
      ? new Worker(new URL('./worker.js', import.meta.url), { type: 'module', ...options } as WorkerOptions)
      : new Worker(workerUrl, options);
  worker.once('exit', () => port1.close());
  return worker;
}

/**
 * V8 limits of every worker, derived from its memory limit: the JavaScript heap's share plus one largest
 * allocation of headroom (see memory-watch.ts: the watch stops a worker at the limit itself; the V8 limit is the
 * backstop that never lets a worker's heap grow further). Deep Python recursion runs on the JS stack of the
 * thread; a larger stack keeps the recursion limit meaningful.
 */
function workerResourceLimits(): NonNullable<WorkerOptions['resourceLimits']> {
  const shareMb = Math.floor((limits.jsHeapLimitBytes ?? 0) / 1048576);
  if (shareMb <= 0) return { stackSizeMb: 16 };
  return { stackSizeMb: 16, maxYoungGenerationSizeMb: 8, maxOldGenerationSizeMb: shareMb + largestAllocationMb };
}

function initMessage(mode: 'snapshot' | 'restore' | 'fresh'): string {
  return JSON.stringify({ op: 'init', mode, limits, packages, harness });
}

async function makeSnapshot(): Promise<void> {
  const template = startWorker();
  // Only our own listeners are ever removed: Worker keeps internal ones (it starts its message port when a
  // `message` listener is added), and removing those leaves a worker whose messages never arrive.
  let onMessage!: (message: { json?: string; payload?: Uint8Array }) => void;
  let onError!: (error: Error) => void;
  let onExit!: (code: number) => void;
  const bytes = await new Promise<Uint8Array>((resolve, reject) => {
    onMessage = (message) => {
      const parsed = JSON.parse(String(message.json));
      if (parsed.op === 'ready' && message.payload instanceof Uint8Array) resolve(message.payload);
      else if (parsed.op === 'fatal') reject(new Error(String(parsed.message)));
    };
    onError = reject;
    onExit = (code) => reject(new Error(`[sandbox] snapshot worker exited with code ${code}`));
    template.on('message', onMessage);
    template.on('error', onError);
    template.on('exit', onExit);
    template.postMessage({ json: initMessage('snapshot') });
  }).finally(() => {
    template.off('message', onMessage);
    template.off('error', onError);
    template.off('exit', onExit);
  });
  snapshot = share(bytes);
  // Taken now, before any session exists: the host stores the bytes it receives later only if they match it.
  snapshotSha256 = createHash('sha256').update(bytes).digest('hex');
  keepSpare(template);
}

/** Sends one message and resolves once it is written to the channel (or the host is gone). */
function sendWritten(message: object, payload?: Uint8Array): Promise<void> {
  return new Promise((resolve) => {
    if (!process.connected || process.send === undefined) {
      resolve();
      return;
    }
    process.send(payload === undefined ? message : { ...message, payload }, undefined, {}, () => resolve());
  });
}

/**
 * Sends the snapshot made here to the host, which stores it (on request, after the first session got its
 * worker: the first answer does not wait for tens of MB to cross the channel). One chunk at a time, each after
 * the previous one was written, so a session's messages wait for one chunk at most.
 */
async function streamSnapshot(): Promise<void> {
  if (streamed || snapshot === undefined) return;
  streamed = true;
  const view = new Uint8Array(snapshot);
  for (let at = 0; at < view.length; at += snapshotChunkBytes) {
    await sendWritten({ t: 'snapshot-chunk' }, view.subarray(at, Math.min(at + snapshotChunkBytes, view.length)));
  }
  await sendWritten({ t: 'snapshot-end' });
}

/**
 * The template's interpreter is in exactly the snapshot's state, so it serves the first session instead of
 * being thrown away: that session skips a restore (≈0.3 s of the cold start). Unclaimed, it leaves after
 * `spareTemplateMs`, so an idle sandbox holds no worker the host does not know about.
 */
function keepSpare(template: Worker): void {
  const drop = () => {
    if (spare?.worker !== template) return;
    spare = undefined;
    void template.terminate();
  };
  template.once('exit', drop);
  template.once('error', drop);
  setTimeout(drop, spareTemplateMs).unref();
  spare = {
    worker: template,
    claim() {
      template.off('exit', drop);
      template.off('error', drop);
      return template;
    },
  };
}

function spawn(id: number): void {
  const template = spare?.claim();
  spare = undefined;
  const worker = template ?? startWorker();
  const live: Live = { worker, ready: false };
  workers.set(id, live);
  worker.on('message', (message: { json?: unknown; payload?: unknown; interrupt?: unknown }) => {
    if (typeof message?.json !== 'string') return;
    if (!live.ready && message.interrupt instanceof SharedArrayBuffer) {
      live.interrupt = new Int32Array(message.interrupt);
      live.ready = true;
    }
    send(
      { t: 'message', w: id, json: message.json },
      message.payload instanceof Uint8Array ? message.payload : undefined,
    );
  });
  const exited = (reason: string) => {
    if (workers.get(id) !== live) return;
    workers.delete(id);
    send({ t: 'exit', w: id, reason });
  };
  // Reasons are fixed words: an error's message can be text chosen by the sandboxed code.
  worker.on('error', (error) =>
    exited((error as { code?: unknown }).code === 'ERR_WORKER_OUT_OF_MEMORY' ? 'out-of-memory' : 'uncaught-error'),
  );
  worker.on('exit', (code) => exited(`exit-code-${Number(code)}`));
  const snapshotView = snapshot === undefined ? undefined : new Uint8Array(snapshot);
  if (template !== undefined) worker.postMessage({ json: JSON.stringify({ op: 'serve' }) });
  else if (limits.freshInterpreters === 1) worker.postMessage({ json: initMessage('fresh') });
  else worker.postMessage({ json: initMessage('restore'), payload: snapshotView });
}

async function handle(message: SupervisorRequest): Promise<void> {
  switch (message.t) {
    case 'configure': {
      indexURL = message.indexURL;
      limits = message.limits;
      harness = message.harness;
      if (message.workerUrl !== undefined) workerUrl = new URL(message.workerUrl);
      const directory = message.pyodideDirectory.endsWith('/')
        ? message.pyodideDirectory
        : `${message.pyodideDirectory}/`;
      for (const name of ['pyodide.asm.wasm', 'python_stdlib.zip', 'pyodide-lock.json']) {
        assets[name] = share(readFileSync(`${directory}${name}`));
      }
      // Compiled while the first worker starts and evaluates Pyodide's JavaScript (it needs the module only then).
      wasmModule = WebAssembly.compile(
        // V8 compiles from a shared buffer's view too (it copies the bytes); the DOM typings say ArrayBuffer only.
        new Uint8Array(assets['pyodide.asm.wasm'] as SharedArrayBuffer) as unknown as BufferSource,
      ).catch(() => null);
      if (message.lockFile !== undefined) assets['pyodide-lock.json'] = share(readFileSync(message.lockFile));
      if (message.lockBytes instanceof Uint8Array) assets['pyodide-lock.json'] = share(message.lockBytes);
      for (const file of message.packageFiles ?? []) {
        // Downloaded by the host (checked there too) or read from the local directory; checked again here.
        const bytes =
          file.bytes instanceof Uint8Array ? file.bytes : readFileSync(`${message.packageDirectory}/${file.fileName}`);
        const digest = createHash('sha256').update(bytes).digest('hex');
        if (digest !== file.sha256) throw new Error(`${file.fileName} does not match the sha256 of the lock file`);
        assets[`packages/${file.fileName}`] = share(bytes);
      }
      packages = (message.packageFiles ?? []).map(({ fileName, imports }) => ({ fileName, imports }));
      sources = {
        loader: readFileSync(`${directory}pyodide.mjs`, 'utf8'),
        asm: restoreSnapshotSparsely(fixSignalCheckRace(readFileSync(`${directory}pyodide.asm.mjs`, 'utf8'))),
      };
      if (limits.freshInterpreters === 1) send({ t: 'configured', snapshotBytes: 0 });
      else if (message.snapshot instanceof Uint8Array) {
        // Verified by the host (size and sha256). No template: the first session is restored like every other.
        snapshot = share(message.snapshot);
        send({ t: 'configured', snapshotBytes: snapshot.byteLength });
      } else {
        await makeSnapshot();
        // The bytes themselves follow on the host's `snapshot-send`, checked there against this sha256.
        send({ t: 'configured', snapshotBytes: snapshot?.byteLength ?? 0, snapshotSha256 });
      }
      return;
    }
    case 'spawn':
      spawn(message.w);
      return;
    case 'snapshot-send':
      await streamSnapshot();
      return;
    case 'send': {
      const live = workers.get(message.w);
      if (live === undefined) return;
      if (message.payload instanceof Uint8Array)
        live.worker.postMessage({ json: message.json, payload: message.payload });
      else live.worker.postMessage({ json: message.json });
      return;
    }
    case 'interrupt': {
      const live = workers.get(message.w);
      // SIGINT (2) in the interrupt buffer raises KeyboardInterrupt at the next bytecode boundary.
      if (live?.interrupt !== undefined) Atomics.store(live.interrupt, 0, 2);
      return;
    }
    case 'terminate': {
      const live = workers.get(message.w);
      if (live === undefined) return;
      workers.delete(message.w);
      await live.worker.terminate();
      send({ t: 'exit', w: message.w, reason: 'terminated' });
      return;
    }
  }
}

/** A worker seen above its memory limit is stopped; the host reports the run as a MemoryError. */
function stopOverLimit(id: number): void {
  const live = workers.get(id);
  if (live === undefined) return;
  workers.delete(id);
  void live.worker.terminate();
  send({ t: 'exit', w: id, reason: 'out-of-memory' });
}

watchWorkerMemory(
  function* () {
    for (const [id, live] of workers) if (live.ready) yield [id, live.worker];
  },
  () => limits.memoryLimitBytes ?? 0,
  stopOverLimit,
);

process.on('message', (message: SupervisorRequest) => {
  handle(message).catch((error: unknown) => {
    const text = error instanceof Error ? error.message : String(error);
    if (message?.t === 'configure') send({ t: 'configure-failed', message: text });
    else if (message?.t === 'spawn') send({ t: 'exit', w: message.w, reason: `spawn failed: ${text}` });
  });
});
// The host going away (crash, kill -9) closes the IPC channel: nothing must outlive it.
process.on('disconnect', () => process.exit(0));
