/**
 * The code that runs next to Pyodide, in Pyodide's own JavaScript realm: a `vm` context in Node, the worker's
 * global scope in the browser. It is ONE self-contained function on purpose: the browser half ships it as
 * source text (`String(sandboxRuntime)`) into a blob worker inside the sandboxed iframe, so it must not
 * reference anything outside its own body (types are fine, they are erased).
 *
 * It talks to the outside only through `bridge.post` with JSON strings (plus one binary payload), so no
 * object of the host realm ever becomes reachable from Python through it.
 *
 * Its Python parts (python/*.py, inlined at build time) arrive with the `init` message. None of them is a module
 * or stays alive while user code runs: setup steps run in a namespace cleared right after, the cell itself is
 * executed by this JavaScript (no Python frame below it), and the display and error steps are straight-line code
 * that defines no function.
 */

/** What the environment gives the runtime. Every function returns primitives or objects of Pyodide's realm. */
export interface RuntimeBridge {
  /** Sends one message (a JSON string) and an optional binary payload to the supervising layer. */
  post(json: string, payload?: Uint8Array | SharedArrayBuffer): void;
  /** Loads `pyodide.mjs` and `pyodide.asm.mjs` inside Pyodide's realm. */
  loadPyodideModule(): Promise<{ loadPyodide: (config: object) => Promise<unknown>; createPyodideModule: unknown }>;
  /** Base URL the fetch shim answers for (`pyodide.asm.wasm`, `python_stdlib.zip`, `pyodide-lock.json`). */
  indexURL: string;
  /**
   * All memory this worker's JavaScript engine holds, in bytes: its JavaScript heap plus external buffers, the
   * wasm heap included. Absent where the runtime cannot measure it (then only the wasm heap is counted).
   */
  memoryBytes?(): number;
  /**
   * Copies the heap part of the snapshot being restored into `heap` (the new wasm memory), from `offset` in the
   * snapshot. Present where the snapshot stays outside this realm (Node: one shared copy for every worker); the
   * snapshot handed to `init` is then a placeholder holding only the header.
   */
  restoreHeap?(heap: Int8Array, offset: number): void;
}

/** What the runtime gives back: the entry for messages from the supervising layer. */
export interface RuntimeHandle {
  receive(json: string, payload?: Uint8Array): void;
}

/** The runtime's Python code (python/*.py), as text. */
export interface PythonHarness {
  /** Functions for steps that run no user code (import block, reseeding, parsing a cell, listing files). */
  setup: string;
  /** Straight-line code that evaluates and shows a cell's last expression. */
  display: string;
  /** Straight-line code that describes the exception that ended a cell. */
  error: string;
}

export function sandboxRuntime(bridge: RuntimeBridge): RuntimeHandle {
  // biome-ignore lint/suspicious/noExplicitAny: Pyodide's API object crosses into plain JS here; typed at use.
  type Py = any;
  interface Limits {
    outputLimit: number;
    resultLimit: number;
    recursionLimit: number;
    /** The worker's whole memory (wasm + JavaScript heap). */
    memoryLimitBytes: number;
    /** The JavaScript heap's share of it: the wasm heap may grow to the rest. */
    jsHeapLimitBytes?: number;
  }
  interface Stream {
    text: string;
    pending: string;
    truncated: boolean;
  }
  interface Current {
    id: number;
    limits: Limits;
    stdout: Stream;
    stderr: Stream;
    lastFlush: number;
  }

  const standardImports =
    'import json, re, math, cmath, random, datetime, time, collections, itertools, functools, statistics, ' +
    'decimal, fractions, base64, hashlib, hmac, csv, io, sqlite3, textwrap, string, typing, dataclasses, enum, ' +
    'heapq, bisect, copy, pprint, operator, uuid, struct, zlib, gzip, unicodedata, difflib, calendar, secrets';

  let pyodide: Py;
  let harness: PythonHarness = { setup: '', display: '', error: '' };
  /**
   * Python's `builtins` and `exec`, and the harness compiled once (code objects: not tracked by Python's
   * garbage collector, held only here, so no Python code can find them).
   */
  let python: { builtins: Py; exec: Py; setup: Py; display: Py; error: Py } | undefined;
  /** The session's globals. */
  let namespace: Py;
  let cells = 0;
  /** This worker made the snapshot and has not served a session yet. */
  let template = false;
  /** The worker serves a session: callbacks scheduled from now on are cancelled when the run ends. */
  let serving = false;
  /** Cancels each timer scheduled while serving that has not fired. */
  const pendingTimers = new Map<unknown, () => void>();
  let interrupt: Int32Array | undefined;
  let current: Current | undefined;
  /** Cap of the wasm heap: the worker's memory limit minus the JavaScript heap's share. */
  let wasmLimitBytes = 0;
  const decoders = { stdout: new TextDecoder(), stderr: new TextDecoder() };

  function post(message: object, payload?: Uint8Array | SharedArrayBuffer): void {
    bridge.post(JSON.stringify(message), payload);
  }

  /** The wasm heap never shrinks, so growth past the limit is refused: malloc fails, Python raises MemoryError. */
  function capMemoryGrowth(): void {
    const prototype = WebAssembly.Memory.prototype;
    const grow = prototype.grow;
    prototype.grow = function capped(this: WebAssembly.Memory, delta: number): number {
      if (wasmLimitBytes > 0 && this.buffer.byteLength + delta * 65536 > wasmLimitBytes) {
        throw new RangeError('sandbox memory limit reached');
      }
      return grow.call(this, delta);
    };
  }

  /**
   * Callbacks scheduled through timers or Pyodide's event loop (`webloop`, which uses `setTimeout` or, in
   * browsers, a MessageChannel) never run between runs. The runtime is synchronous, so whatever a run schedules
   * could only fire after it, on CPU no time limit covers: once the worker serves a session, timers still pending
   * at the end of a run are cancelled and port messages are not sent. Callbacks get `this` undefined, so no global
   * object reaches Python through them.
   */
  function gateScheduling(): void {
    const scope = globalThis as unknown as Record<string, unknown>;
    for (const [setName, clearName] of [
      ['setTimeout', 'clearTimeout'],
      ['setInterval', 'clearInterval'],
    ] as const) {
      const set = scope[setName] as ((callback: () => void, delay?: number) => unknown) | undefined;
      const clear = scope[clearName] as ((id: unknown) => void) | undefined;
      if (typeof set !== 'function' || typeof clear !== 'function') continue;
      const once = setName === 'setTimeout';
      scope[setName] = (callback: unknown, delay?: unknown, ...args: unknown[]) => {
        // A string would be code: refused, as the realm refuses code generation anyway.
        if (typeof callback !== 'function') return 0;
        const id = set.call(
          scope,
          () => {
            if (once) pendingTimers.delete(id);
            Reflect.apply(callback, undefined, args);
          },
          Number(delay) || 0,
        );
        if (serving) pendingTimers.set(id, () => clear.call(scope, id));
        return id;
      };
      scope[clearName] = (id: unknown) => {
        pendingTimers.delete(id);
        clear.call(scope, id);
      };
    }
    const port = (scope.MessagePort as { prototype?: { postMessage?: (...args: unknown[]) => void } } | undefined)
      ?.prototype;
    const portPost = port?.postMessage;
    if (port !== undefined && typeof portPost === 'function') {
      port.postMessage = function gatedPost(this: unknown, ...args: unknown[]) {
        if (!serving) portPost.apply(this, args);
      };
    }
  }

  /** Ceiling of the recursion limit: Python code may lower the limit, never raise it above this. */
  let maxRecursion = 1000;

  function setRecursionLimit(limit: number): void {
    pyodide._module._Py_SetRecursionLimit(Math.max(50, Math.min(Math.floor(limit), maxRecursion)));
  }

  /**
   * `sys.setrecursionlimit` becomes a JavaScript function that clamps, and the original builtin is replaced in
   * every dictionary that holds it (sys's, and CPython's copy of it), so no Python object can raise the limit
   * past `recursionLimit`: the runtime itself sets the limit through the C API. (A JavaScript function cannot be
   * part of a memory snapshot, so every worker does this when it starts serving.)
   */
  function replaceRecursionSetter(): void {
    const clamped = (limit: unknown) => {
      const wanted = Number(limit);
      if (!Number.isFinite(wanted)) throw new TypeError('setrecursionlimit() needs an integer');
      setRecursionLimit(wanted);
    };
    setupStep('replace_recursion_setter', clamped);
  }

  /** True from the end of one operation that runs Python to the start of the next (see `freezePython`). */
  let betweenRuns = false;

  /**
   * SIGINT's handler between runs: refuses to let Python continue, and re-arms itself for the next entry into
   * Python (another promise chain): through the interrupt buffer at once (read within Python's signal-check
   * interval) and through the trip once Pyodide has turned the refusal into a JavaScript error (a promise job
   * later; tripping at once would refuse that conversion's own Python too, which never ends). During a run it
   * does nothing.
   */
  function refuseBetweenRuns(_signal: unknown, frame: unknown): void {
    (frame as { destroy?: () => void } | undefined)?.destroy?.();
    if (!betweenRuns) return;
    if (interrupt !== undefined) Atomics.store(interrupt, 0, 2);
    Promise.resolve().then(() => {
      if (betweenRuns) pyodide._module._PyErr_SetInterrupt();
    });
    throw new Error('[sandbox] Python does not run between runs');
  }

  /**
   * No Python runs between runs. Promise jobs a run started (`Array.fromAsync` over a generator, a thenable)
   * call back into Python after the run's task ended, out of reach of timers and of the time limit (Node's realm
   * never drains its microtasks once serving; a browser worker does after every task). So at the end of every
   * operation that ran Python, SIGINT is tripped with `refuseBetweenRuns` as its handler: the first thing such
   * a callback would execute raises, before any of its bytecode, and its chain ends.
   */
  function freezePython(): void {
    setupStep('set_sigint', refuseBetweenRuns);
    betweenRuns = true;
    pyodide._module._PyErr_SetInterrupt();
  }

  /** Undoes `freezePython` before an operation runs Python: the pending trip is consumed, the handler reset. */
  function thawPython(): void {
    betweenRuns = false;
    if (interrupt !== undefined) Atomics.store(interrupt, 0, 0);
    try {
      pyodide.checkInterrupt();
    } catch {
      // The trip's own exception: consumed.
    }
    setupStep('set_sigint', undefined);
  }

  function cancelPendingTimers(): void {
    for (const cancel of pendingTimers.values()) cancel();
    pendingTimers.clear();
  }

  function flush(force: boolean): void {
    const run = current;
    if (run === undefined) return;
    const now = performance.now();
    if (!force && now - run.lastFlush < 20 && run.stdout.pending.length + run.stderr.pending.length < 16384) return;
    run.lastFlush = now;
    for (const stream of ['stdout', 'stderr'] as const) {
      const text = run[stream].pending;
      if (text.length > 0) {
        run[stream].pending = '';
        post({ op: 'output', id: run.id, stream, text });
      }
    }
  }

  function sink(stream: 'stdout' | 'stderr') {
    return {
      isatty: false,
      write(buffer: Uint8Array): number {
        const run = current;
        if (run === undefined) return buffer.length;
        const target = run[stream];
        if (target.truncated) return buffer.length;
        const text = decoders[stream].decode(buffer, { stream: true });
        const room = run.limits.outputLimit - target.text.length;
        const kept = text.length > room ? text.slice(0, Math.max(0, room)) : text;
        if (kept.length < text.length) target.truncated = true;
        target.text += kept;
        target.pending += kept;
        flush(false);
        return buffer.length;
      },
    };
  }

  /** The worker's memory: the wasm heap, or everything the engine holds where that can be measured. */
  function heapBytes(): number {
    let wasm = 0;
    try {
      wasm = pyodide._module.HEAPU8.buffer.byteLength;
    } catch {
      // Not loaded yet.
    }
    let total = 0;
    try {
      total = Number(bridge.memoryBytes?.()) || 0;
    } catch {
      // Unmeasurable here: the wasm heap alone is counted.
    }
    return Math.max(wasm, total);
  }

  async function init(
    config: {
      /** `snapshot`: the template that makes the snapshot; `restore`: a worker from it; `fresh`: a cold start. */
      mode: 'snapshot' | 'restore' | 'fresh';
      limits: Limits;
      packages?: { fileName: string; imports: string[] }[];
      harness: PythonHarness;
    },
    snapshot?: Uint8Array,
  ) {
    harness = config.harness;
    wasmLimitBytes = config.limits.memoryLimitBytes - (config.limits.jsHeapLimitBytes ?? 0);
    capMemoryGrowth();
    gateScheduling();
    const { loadPyodide, createPyodideModule } = await bridge.loadPyodideModule();
    // `js` resolves to this empty object even if the import block were bypassed: no host globals behind it.
    const jsglobals = Object.freeze({});
    const quiet = () => {};
    const options: Record<string, unknown> = {
      indexURL: bridge.indexURL,
      createPyodideModule,
      jsglobals,
      env: { HOME: '/home/pyodide' },
      stdout: quiet,
      stderr: quiet,
    };
    if (config.mode === 'snapshot') options._makeSnapshot = true;
    else if (config.mode === 'restore') {
      options._loadSnapshot = snapshot;
      // Read by the restore in pyodide.asm.mjs (sparse-restore-patch.ts); dropped with the snapshot below.
      if (typeof bridge.restoreHeap === 'function') options._restoreHeap = bridge.restoreHeap;
    }
    pyodide = await loadPyodide(options);
    // Pyodide keeps its options; dropping the snapshot bytes saves a heap-sized copy per worker.
    delete options._loadSnapshot;
    delete options._restoreHeap;
    try {
      if (pyodide._api?.config !== undefined) {
        pyodide._api.config._loadSnapshot = undefined;
        pyodide._api.config._restoreHeap = undefined;
      }
    } catch {
      // A frozen config in another Pyodide release: nothing to release.
    }
    const builtins = pyodide.pyimport('builtins');
    python = {
      builtins,
      exec: builtins.exec,
      setup: builtins.compile(harness.setup, '<sandbox-setup>', 'exec'),
      display: builtins.compile(harness.display, '<sandbox-display>', 'exec'),
      error: builtins.compile(harness.error, '<sandbox-error>', 'exec'),
    };
    if (config.mode !== 'restore') {
      // Wheels (checked against the lock file's sha256 outside) are unpacked by Python itself: Pyodide's
      // loadPackage leaves JS references behind that a memory snapshot cannot hold.
      const imports: string[] = [];
      for (const file of config.packages ?? []) {
        const response = await fetch(`${bridge.indexURL}packages/${file.fileName}`);
        if (!response.ok) throw new Error(`package file ${file.fileName} is missing`);
        pyodide.FS.writeFile('/tmp/package.whl', new Uint8Array(await response.arrayBuffer()));
        pyodide.runPython(
          'import zipfile, site, os\nwith zipfile.ZipFile("/tmp/package.whl") as w: w.extractall(site.getsitepackages()[0])\nos.remove("/tmp/package.whl")',
        );
        imports.push(...file.imports);
      }
      pyodide.runPython('import importlib\nimportlib.invalidate_caches()');
      pyodide.runPython(standardImports);
      for (const name of imports) {
        if (/^[A-Za-z_][\w.]*$/.test(name)) pyodide.runPython(`import ${name}`);
      }
    }
    setupStep('block_host_modules');
    if (config.mode === 'snapshot') {
      post({ op: 'ready', heapBytes: heapBytes() }, pyodide.makeMemorySnapshot());
      // Its state is now exactly what every restored worker starts from: the supervisor may keep it and let it
      // serve the first session (`serve`), which saves that session a restore.
      template = true;
      return;
    }
    serve();
  }

  /** Turns an initialised interpreter into a session worker: the hardening and reseeding every worker gets. */
  function serve(): void {
    // The snapshot format needs these registered while it is taken; restored workers drop them.
    for (const name of ['js', 'pyodide_js']) {
      try {
        pyodide.unregisterJsModule(name);
      } catch {
        // Not registered in this build: nothing to remove.
      }
    }
    setupStep('block_host_modules');
    replaceRecursionSetter();
    pyodide.setStdout(sink('stdout'));
    pyodide.setStderr(sink('stderr'));
    setupStep('reseed');
    namespace = pyodide.toPy({ __name__: '__main__' });
    namespace.set('__builtins__', python?.builtins);
    interrupt = new Int32Array(new SharedArrayBuffer(4));
    // The signal check that reads this buffer was made race-free before Pyodide loaded (signal-check-patch.ts).
    pyodide.setInterruptBuffer(interrupt);
    serving = true;
    freezePython();
    post({ op: 'ready', heapBytes: heapBytes() }, interrupt.buffer as SharedArrayBuffer);
  }

  /** A fresh dict, cleared and released after `use`: nothing put in it outlives the step. */
  function withScope<T>(use: (scope: Py) => T): T {
    const scope = pyodide.toPy({});
    try {
      return use(scope);
    } finally {
      scope.clear();
      scope.destroy();
    }
  }

  /** Calls one function of python/setup.py, defined for this call only. Runs no user code. */
  function setupStep(name: string, ...args: unknown[]): Py {
    return withScope((scope) => {
      python?.exec(python.setup, scope);
      const step = scope.get(name);
      try {
        return step(...args);
      } finally {
        step.destroy();
      }
    });
  }

  /** Runs a straight-line step (display.py, error.py) with `inputs` as its globals; returns its `out`. */
  function runStep(step: Py, inputs: Record<string, unknown>): string | undefined {
    return withScope((scope) => {
      for (const [name, value] of Object.entries(inputs)) scope.set(name, value);
      python?.exec(step, scope);
      const out = scope.get('out');
      return typeof out === 'string' ? out : undefined;
    });
  }

  function isPythonError(error: unknown): error is Error & { type: string } {
    const PythonError = pyodide?.ffi?.PythonError;
    return typeof PythonError === 'function' && error instanceof PythonError;
  }

  type Outcome = { ok: boolean; truncated: boolean; result?: unknown; error?: unknown };

  /** What ended a cell, from the exception Pyodide kept (`sys.last_exc`). */
  function failure(error: Error & { type: string }, filename: string, limit: number): Outcome {
    let described: string | undefined;
    try {
      described = runStep(python?.error, { filename, limit });
    } catch (stepError) {
      if (!isPythonError(stepError)) throw stepError;
    }
    const fallback = { type: String(error.type), message: '', traceback: String(error.message).slice(-limit) };
    return { ok: false, truncated: false, error: described === undefined ? fallback : JSON.parse(described) };
  }

  /**
   * Runs one cell. The statements are executed by this JavaScript through `exec`, so no Python frame lies
   * below the cell's own (`sys._getframe().f_back` is None); only a final expression is evaluated inside the
   * display step.
   */
  function runCell(code: string, limit: number): Outcome {
    cells += 1;
    const filename = `<cell-${cells}>`;
    let prepared: Py;
    try {
      prepared = setupStep('prepare', code, filename);
    } catch (error) {
      if (!isPythonError(error)) throw error;
      return failure(error, filename, limit);
    }
    const body = prepared.get(0);
    const last = prepared.get(1);
    prepared.destroy();
    try {
      python?.exec(body, namespace);
      if (last === undefined) return { ok: true, truncated: false };
      const shown = runStep(python?.display, { last, namespace, limit });
      return shown === undefined ? { ok: true, truncated: false } : { ok: true, ...JSON.parse(shown) };
    } catch (error) {
      if (!isPythonError(error)) throw error;
      return failure(error, filename, limit);
    } finally {
      body.destroy();
      last?.destroy();
      flushStandardStreams();
    }
  }

  /** Python buffers `sys.stdout`/`sys.stderr`: what a cell printed reaches the sinks before its reply. */
  function flushStandardStreams(): void {
    const sys = pyodide.pyimport('sys');
    try {
      for (const name of ['stdout', 'stderr']) {
        try {
          const stream = sys[name];
          stream.flush();
          stream.destroy?.();
        } catch {
          // A cell replaced the stream with something that cannot flush: nothing to deliver.
        }
      }
    } finally {
      sys.destroy();
    }
  }

  function runCode(id: number, code: string, limits: Limits): void {
    current = {
      id,
      limits,
      stdout: { text: '', pending: '', truncated: false },
      stderr: { text: '', pending: '', truncated: false },
      lastFlush: performance.now(),
    };
    if (interrupt !== undefined) Atomics.store(interrupt, 0, 0);
    const started = performance.now();
    let outcome: Outcome;
    let fatal = false;
    try {
      thawPython();
      maxRecursion = limits.recursionLimit;
      setRecursionLimit(limits.recursionLimit);
      outcome = runCell(code, limits.resultLimit);
      freezePython();
    } catch (error) {
      // A JavaScript-level failure inside Pyodide (wasm stack overflow, fatal error): the interpreter may be
      // unusable, so the supervisor replaces this worker.
      fatal = true;
      const message = error instanceof Error ? error.message : String(error);
      outcome = {
        ok: false,
        truncated: false,
        error: {
          type: /call stack|recursion/i.test(message) ? 'RecursionError' : 'SandboxCrash',
          message: `[sandbox] the interpreter failed: ${message.slice(0, 500)}`,
          traceback: '',
        },
      };
    }
    if (interrupt !== undefined) Atomics.store(interrupt, 0, 0);
    flush(true);
    const run = current;
    current = undefined;
    cancelPendingTimers();
    post({
      op: 'reply',
      id,
      ok: true,
      fatal,
      value: {
        ...outcome,
        stdout: run.stdout.text,
        stderr: run.stderr.text,
        truncated: outcome.truncated || run.stdout.truncated || run.stderr.truncated,
        durationMs: performance.now() - started,
        heapBytes: heapBytes(),
      },
    });
  }

  function fileOperation(message: Record<string, unknown>, payload?: Uint8Array): void {
    const id = message.id as number;
    const path = String(message.path ?? '');
    const FS = pyodide.FS;
    try {
      if (message.op === 'write-file') {
        const slash = path.lastIndexOf('/');
        if (slash > 0) FS.mkdirTree(path.slice(0, slash));
        const bytes = new Uint8Array(payload?.length ?? 0);
        if (payload !== undefined) bytes.set(payload);
        FS.writeFile(path, bytes);
        post({ op: 'reply', id, ok: true, value: null });
      } else if (message.op === 'read-file') {
        const data: Uint8Array = FS.readFile(path);
        const copy = new Uint8Array(data.length);
        copy.set(data);
        post({ op: 'reply', id, ok: true, value: { size: copy.length } }, copy);
      } else if (message.op === 'list-files') {
        thawPython();
        let listed: string;
        try {
          listed = setupStep('list_files', path || '/home/pyodide');
        } finally {
          freezePython();
        }
        post({ op: 'reply', id, ok: true, value: JSON.parse(listed) });
      }
    } catch (error) {
      const errno = (error as { errno?: number } | null)?.errno;
      const code = errno === 44 ? 'file-not-found' : errno === 31 || errno === 54 ? 'not-a-file' : 'file-error';
      const text = error instanceof Error ? error.message : String(error);
      post({ op: 'reply', id, ok: false, error: { code, message: text.slice(0, 500) } });
    }
  }

  return {
    receive(json: string, payload?: Uint8Array): void {
      let message: Record<string, unknown>;
      try {
        message = JSON.parse(json);
      } catch {
        return;
      }
      if (message.op === 'init') {
        init(message as never, payload).catch((error: unknown) => {
          post({
            op: 'fatal',
            message: error instanceof Error ? `${error.message} ${error.stack ?? ''}` : String(error),
          });
        });
      } else if (message.op === 'serve') {
        if (!template) return;
        template = false;
        serve();
      } else if (message.op === 'run') {
        runCode(message.id as number, String(message.code), message.limits as Limits);
      } else {
        fileOperation(message, payload);
      }
    },
  };
}
