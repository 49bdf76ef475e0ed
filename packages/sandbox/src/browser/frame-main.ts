/**
 * The sandboxed iframe's script (inlined into its `srcdoc`, allowed by a CSP hash): self-contained. It accepts
 * exactly one MessagePort from its parent, then only talks over that port. It makes the memory snapshot in a
 * template worker (which then serves the first session), starts restored workers, asks their documents to
 * interrupt them and relays their messages.
 */
export function frameMain(): void {
  /** A worker as the frame sees it: it lives in a document of its own (see startWorker), reached by a port. */
  interface SandboxWorker {
    onmessage: ((event: { data: unknown }) => void) | null;
    onerror: ((event: { message: string; filename?: string; lineno?: number; preventDefault(): void }) => void) | null;
    postMessage(data: unknown, transfer?: Transferable[]): void;
    terminate(): void;
  }
  interface Live {
    worker: SandboxWorker;
    /** What the worker may still send the page now (token buckets, refilled over time). */
    budget: { bytes: number; messages: number; at: number };
  }
  interface Configure {
    t: 'configure';
    /** The worker's whole code: it may load no script from any URL. */
    workerSource: string;
    /** The script of each worker's document (worker-host-main.ts); the frame's CSP allows it by hash. */
    workerHostScript: string;
    /** The runtime's Python code, passed on in each worker's `init`. */
    harness?: Record<string, string>;
    assets: Record<string, Uint8Array>;
    limits: Record<string, number>;
    packages: { fileName: string; imports: string[] }[];
    /** A stored snapshot the page has verified (size, sha256): workers restore it, Pyodide never boots in full. */
    snapshot?: Uint8Array;
    /** Send the snapshot made here back with `configured`, for the page to store. */
    returnSnapshot?: boolean;
  }
  /**
   * Runs first in every worker. `importScripts` goes first: Pyodide reads its presence as "classic worker" and
   * would refuse. Then the worker proves `workerPolicy` applies to it (starting a copy of itself must raise a
   * `worker-src` violation) before any of its code runs; messages that arrive meanwhile are replayed after.
   */
  const workerHeader =
    "'use strict';\nself.importScripts = undefined;\n" +
    'const queued = []; const early = (event) => queued.push(event.data);\n' +
    "self.addEventListener('message', early);\n" +
    'new Promise((resolve, reject) => {\n' +
    "  self.addEventListener('securitypolicyviolation', (event) => { if (event.violatedDirective === 'worker-src') resolve(); });\n" +
    "  try { new Worker(location.href, { name: 'policy-probe' }).terminate(); } catch (error) { /* refused at once */ }\n" +
    "  setTimeout(() => reject(new Error('the worker runs without its CSP (worker-src none); refusing to start')), 2000);\n" +
    '}).then(() => {\n' +
    "self.removeEventListener('message', early);\n";
  const workerFooter =
    "\nfor (const data of queued) self.dispatchEvent(new MessageEvent('message', { data }));\n" +
    "}).catch((error) => postMessage({ json: JSON.stringify({ op: 'fatal', message: String(error && error.stack || error) }) }));\n";
  let port: MessagePort | undefined;
  let config: Configure | undefined;
  let workerScript: Blob | undefined;
  let snapshot: Uint8Array | undefined;
  /** The snapshot's template worker, until a spawn claims it. */
  let spare: SandboxWorker | undefined;
  const workers = new Map<number, Live>();
  /**
   * What a worker may do on top of the frame's CSP: start no worker, load no script, fetch nothing (wasm from
   * bytes only). A worker that runs arbitrary JavaScript still cannot start new code.
   */
  const workerPolicy = "default-src 'none'; script-src 'wasm-unsafe-eval'; worker-src 'none'; connect-src 'none'";

  const send = (message: object, transfer: Transferable[] = []) => port?.postMessage(message, transfer);
  const init = (mode: 'snapshot' | 'restore' | 'fresh') =>
    JSON.stringify({
      op: 'init',
      mode,
      limits: config?.limits ?? {},
      packages: config?.packages ?? [],
      harness: config?.harness,
    });

  /**
   * Starts a worker in a document of its own: an opaque-origin frame can start workers only from `blob:` URLs,
   * which take the CSP of the starting document, so that document starts the worker and then adds
   * `workerPolicy` to itself (worker-host-main.ts). Removing the document ends the worker.
   */
  function startWorker(): SandboxWorker {
    const owner = document.createElement('iframe');
    owner.setAttribute('allow', 'cross-origin-isolated');
    owner.srcdoc = `<!doctype html><html><head></head><body><script>${config?.workerHostScript ?? ''}</script></body></html>`;
    const channel = new MessageChannel();
    const onLoaded = (event: MessageEvent) => {
      if (event.source !== owner.contentWindow || event.data?.agenticgenWorkerHost !== 'loaded') return;
      removeEventListener('message', onLoaded);
      owner.contentWindow?.postMessage({ agenticgenWorkerScript: workerScript, policy: workerPolicy }, '*', [
        channel.port2,
      ]);
    };
    const worker: SandboxWorker = {
      onmessage: null,
      onerror: null,
      postMessage: (data, transfer = []) => channel.port1.postMessage(data, transfer),
      terminate: () => {
        removeEventListener('message', onLoaded);
        channel.port1.close();
        owner.remove();
      },
    };
    channel.port1.onmessage = (event: MessageEvent) => {
      const failure = (event.data as { workerError?: { message: string; filename?: string; lineno?: number } })
        ?.workerError;
      if (failure !== undefined) worker.onerror?.({ ...failure, preventDefault() {} });
      else worker.onmessage?.({ data: event.data });
    };
    addEventListener('message', onLoaded);
    document.body.append(owner);
    return worker;
  }

  function makeSnapshot(): Promise<Uint8Array> {
    return new Promise((resolve, reject) => {
      const template = startWorker();
      template.onmessage = (event) => {
        const data = event.data as { json?: string; payload?: Uint8Array };
        const message = JSON.parse(String(data.json));
        if (message.op === 'ready' && data.payload instanceof Uint8Array) {
          // The template is in exactly the snapshot's state: it serves the first session (no restore), or
          // leaves after 30 s unclaimed.
          const drop = () => {
            if (spare !== template) return;
            spare = undefined;
            template.terminate();
          };
          template.onmessage = null;
          template.onerror = drop;
          spare = template;
          setTimeout(drop, 30_000);
          resolve(data.payload);
        } else if (message.op === 'fatal') {
          template.terminate();
          reject(new Error(String(message.message)));
        }
      };
      template.onerror = (event) => {
        template.terminate();
        reject(
          new Error(`the snapshot worker failed: ${event.message || 'no message'} (${event.filename}:${event.lineno})`),
        );
      };
      template.postMessage({ json: init('snapshot'), assets: config?.assets });
    });
  }

  /**
   * What one worker may send the page. A worker caps its output and results inside, so a larger message or a
   * faster stream comes from a compromised worker: it is terminated here, in the frame's process, before the
   * page's main thread has to copy and parse what it sent.
   */
  function messageLimits() {
    const limits = config?.limits ?? {};
    // JSON escaping turns a character into at most six; two output streams, a result in up to eight forms.
    const largest = 6 * (2 * (limits.outputLimit ?? 1_000_000) + 8 * (limits.resultLimit ?? 100_000)) + 65_536;
    return { largest, bytesPerSecond: largest, burstBytes: 2 * largest, messagesPerSecond: 500, burstMessages: 1000 };
  }

  /** Spends one message of a worker's budget; false when the worker exceeded it. */
  function withinBudget(live: Live, length: number): boolean {
    const limits = messageLimits();
    if (length > limits.largest) return false;
    const now = performance.now();
    const seconds = (now - live.budget.at) / 1000;
    live.budget.at = now;
    live.budget.bytes = Math.min(limits.burstBytes, live.budget.bytes + seconds * limits.bytesPerSecond) - length;
    live.budget.messages =
      Math.min(limits.burstMessages, live.budget.messages + seconds * limits.messagesPerSecond) - 1;
    return live.budget.bytes >= 0 && live.budget.messages >= 0;
  }

  function spawn(id: number): void {
    const template = spare;
    spare = undefined;
    let worker: SandboxWorker;
    try {
      worker = template ?? startWorker();
    } catch (error) {
      send({ t: 'exit', w: id, reason: `the worker did not start: ${String((error as Error)?.message ?? error)}` });
      return;
    }
    const limits = messageLimits();
    const live: Live = {
      worker,
      budget: { bytes: limits.burstBytes, messages: limits.burstMessages, at: performance.now() },
    };
    workers.set(id, live);
    worker.onmessage = (event) => {
      const data = event.data as { json?: unknown; payload?: unknown };
      if (typeof data?.json !== 'string' || workers.get(id) !== live) return;
      if (!withinBudget(live, data.json.length)) {
        workers.delete(id);
        worker.terminate();
        send({ t: 'exit', w: id, reason: 'the worker sent more or larger messages than a sandbox worker can' });
        return;
      }
      if (data.payload instanceof Uint8Array)
        send({ t: 'message', w: id, json: data.json, payload: data.payload }, [data.payload.buffer]);
      else send({ t: 'message', w: id, json: data.json });
    };
    worker.onerror = (event) => {
      event.preventDefault();
      if (workers.get(id) !== live) return;
      workers.delete(id);
      worker.terminate();
      send({ t: 'exit', w: id, reason: `error: ${event.message}` });
    };
    if (template !== undefined) worker.postMessage({ json: JSON.stringify({ op: 'serve' }) });
    else if (config?.limits?.freshInterpreters === 1)
      worker.postMessage({ json: init('fresh'), assets: config?.assets });
    else worker.postMessage({ json: init('restore'), payload: snapshot?.slice(), assets: config?.assets });
  }

  async function handle(message: { t?: string; w?: number; json?: string; payload?: Uint8Array }): Promise<void> {
    const live = typeof message.w === 'number' ? workers.get(message.w) : undefined;
    switch (message.t) {
      case 'configure':
        config = message as unknown as Configure;
        workerScript = new Blob([workerHeader + config.workerSource + workerFooter], { type: 'text/javascript' });
        try {
          // The page may be isolated while this frame is not (a Permissions-Policy denying it): same failure.
          if (!self.crossOriginIsolated) throw new Error('not-cross-origin-isolated');
          if (config.limits?.freshInterpreters === 1) send({ t: 'configured' });
          else if (config.snapshot instanceof Uint8Array) {
            // Verified by the page. No template: the first session is restored like every other.
            snapshot = config.snapshot;
            delete config.snapshot;
            send({ t: 'configured' });
          } else {
            snapshot = await makeSnapshot();
            send({ t: 'configured', snapshot: config.returnSnapshot ? snapshot.slice() : undefined });
          }
        } catch (error) {
          send({ t: 'configure-failed', message: String((error as Error)?.message ?? error) });
        }
        return;
      case 'ping':
        send({ t: 'pong' });
        return;
      case 'spawn':
        if (typeof message.w === 'number') spawn(message.w);
        return;
      case 'send':
        if (live !== undefined) live.worker.postMessage({ json: message.json, payload: message.payload });
        return;
      case 'interrupt':
        // The worker's document holds its interrupt buffer (a SharedArrayBuffer stays in its agent cluster).
        live?.worker.postMessage({ hostInterrupt: true });
        return;
      case 'terminate':
        if (live === undefined || typeof message.w !== 'number') return;
        workers.delete(message.w);
        live.worker.terminate();
        send({ t: 'exit', w: message.w, reason: 'terminated' });
        return;
    }
  }

  addEventListener('message', (event: MessageEvent) => {
    if (port !== undefined || event.source !== parent || event.ports.length !== 1) return;
    port = event.ports[0] as MessagePort;
    port.onmessage = (portEvent: MessageEvent) => {
      handle(portEvent.data).catch(() => {});
    };
  });
  parent.postMessage({ agenticgenSandboxFrame: 'loaded' }, '*');
}
