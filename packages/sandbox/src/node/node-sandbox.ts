import { type ChildProcess, fork } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { AgenticGenError } from '@agenticgen/core';
import { CommandTransport, type WorkerCommand } from '../host/command-transport.js';
import type { Envelope } from '../host/envelope.js';
import { createNetworkPolicy, type NetworkPolicy } from '../host/network-policy.js';
import { downloadAllowed, downloadPackageFiles, isHttpUrl, packageSourceUrl } from '../host/package-download.js';
import { resolvePackageFiles } from '../host/packages.js';
import { createSandboxCore, type PythonSandbox } from '../host/sandbox-core.js';
import type { SnapshotCacheEvent } from '../host/sandbox-events.js';
import type { SandboxOptions } from '../options.js';
import { pythonHarness } from '../runtime/python-harness.js';
import {
  loadSnapshot,
  openSnapshotWriter,
  type ResolvedSnapshotCache,
  resolveSnapshotCache,
  type SnapshotCacheOptions,
  type SnapshotKey,
  snapshotKey,
} from './snapshot-cache.js';
import type { SupervisorRequest } from './supervisor-protocol.js';

type ConfigureRequest = Extract<SupervisorRequest, { t: 'configure' }>;

/** Options of the Node sandbox. */
export interface NodeSandboxOptions extends SandboxOptions {
  /** Directory with Pyodide's files (default: the installed `pyodide` package). Read by the child process only. */
  pyodideDirectory?: string;
  /**
   * Run the child process under Node's permission model (default true): read-only access to Pyodide's files
   * and this package, worker threads allowed; no writes, no child processes, no native addons, no WASI.
   */
  permissionModel?: boolean;
  /** The child-process entry, for bundled servers that do not copy `supervisor.js` next to the bundle. */
  supervisorUrl?: URL | string;
  /** The worker-thread entry, for bundled servers that do not copy `worker.js` next to the bundle. */
  workerUrl?: URL | string;
  /**
   * Keep the memory snapshot (made after the standard imports and the hardening) in a cache directory, so the
   * next process restores it instead of booting Pyodide (default on; `false` turns it off). Each snapshot is
   * checked against its recorded size and sha256 before use; see docs/sandbox.md.
   */
  snapshotCache?: SnapshotCacheOptions | false;
}

/** Creates a Python sandbox whose workers live in a separate, locked-down child process. */
export function createSandbox(options: NodeSandboxOptions = {}): PythonSandbox {
  return createSandboxCore(new NodeTransport(options), options);
}

const here = import.meta.url;
/** `AGENTICGEN_SANDBOX_DEBUG=1` forwards the sandbox process's stderr to this one. */
const debug = typeof process !== 'undefined' && process.env.AGENTICGEN_SANDBOX_DEBUG === '1';

/** Built code runs `supervisor.js`; the sources (tests) run `supervisor.ts` through Node's type stripping. */
function entryFiles(options: NodeSandboxOptions): { supervisor: string; worker?: string; packageRoot: string } {
  if (options.supervisorUrl !== undefined) {
    const supervisor = fileURLToPath(options.supervisorUrl);
    const worker = options.workerUrl === undefined ? undefined : pathToFileURL(fileURLToPath(options.workerUrl)).href;
    return worker === undefined
      ? { supervisor, packageRoot: dirname(supervisor) }
      : { supervisor, worker, packageRoot: dirname(supervisor) };
  }
  const built = fileURLToPath(new URL('./supervisor.js', here));
  if (existsSync(built)) {
    const worker = options.workerUrl === undefined ? undefined : pathToFileURL(fileURLToPath(options.workerUrl)).href;
    const packageRoot = dirname(dirname(built));
    return worker === undefined ? { supervisor: built, packageRoot } : { supervisor: built, worker, packageRoot };
  }
  const source = fileURLToPath(new URL('./supervisor.ts', here));
  return {
    supervisor: source,
    worker: new URL('./worker.ts', here).href,
    packageRoot: dirname(dirname(dirname(source))),
  };
}

function defaultPyodideDirectory(): string {
  try {
    return dirname(createRequire(here).resolve('pyodide/package.json'));
  } catch (cause) {
    throw new AgenticGenError(
      'dependency-missing',
      '[sandbox] the "pyodide" package is not installed; run "npm install pyodide" or pass pyodideDirectory',
      { cause },
    );
  }
}

/** How long `dispose()` waits for a snapshot still on its way into the cache before giving it up. */
const persistWaitMs = 30_000;

/**
 * The snapshot a start made, on its way from the sandbox process into the cache. It is asked for once the first
 * worker spoke (or at `dispose()`), so the first session never waits for it; its chunks go to a temporary file
 * that becomes the stored snapshot only when complete and matching the sha256 the sandbox process announced
 * with `configured`, before any session existed.
 */
class SnapshotPersist {
  private requested = false;
  private settled = false;
  private readonly writer;
  private resolveFinished!: () => void;
  readonly finished = new Promise<void>((resolve) => {
    this.resolveFinished = resolve;
  });

  constructor(
    readonly child: ChildProcess,
    cache: ResolvedSnapshotCache,
    key: SnapshotKey,
    private readonly reason: NonNullable<SnapshotCacheEvent['reason']>,
    private readonly bytes: number,
    private readonly sha256: string | undefined,
    private readonly report: (event: SnapshotCacheEvent) => void,
  ) {
    this.writer = sha256 === undefined ? undefined : openSnapshotWriter(cache, key, bytes);
    if (this.writer === undefined) this.settle(false);
  }

  get pending(): boolean {
    return !this.settled;
  }

  /** Asks the sandbox process for the bytes (once). */
  request(): void {
    if (this.requested || this.settled) return;
    this.requested = true;
    if (this.child.connected) this.child.send({ t: 'snapshot-send' } satisfies SupervisorRequest);
    else this.abort();
  }

  receive(tag: 'snapshot-chunk' | 'snapshot-end', raw: unknown): void {
    if (this.settled || this.writer === undefined) return;
    if (tag === 'snapshot-end') {
      this.settle(this.writer.finish(this.sha256));
      return;
    }
    const chunk = (raw as { payload?: unknown }).payload;
    if (!(chunk instanceof Uint8Array) || !this.writer.append(chunk)) this.settle(false);
  }

  /** Gives the snapshot up: whatever was written is removed. */
  abort(): void {
    if (this.settled) return;
    this.writer?.abort();
    this.settle(false);
  }

  private settle(stored: boolean): void {
    if (this.settled) return;
    this.settled = true;
    this.report({ outcome: 'rebuilt', reason: this.reason, stored, bytes: this.bytes });
    this.resolveFinished();
  }
}

class NodeTransport extends CommandTransport {
  private child: ChildProcess | undefined;
  private stderrTail = '';
  private closing = false;
  private persist: SnapshotPersist | undefined;

  private readonly policy: NetworkPolicy;
  private readonly snapshotCache: ResolvedSnapshotCache | undefined;

  constructor(private readonly options: NodeSandboxOptions) {
    super();
    this.policy = createNetworkPolicy(options.network);
    this.snapshotCache = resolveSnapshotCache(options.snapshotCache);
    // Refused package hosts fail here, in createSandbox, long before anything is downloaded.
    this.packageSources();
  }

  async start(limits: Record<string, number>): Promise<SnapshotCacheEvent | undefined> {
    const files = entryFiles(this.options);
    const pyodideDirectory = this.options.pyodideDirectory ?? defaultPyodideDirectory();
    for (const name of ['pyodide.asm.wasm', 'pyodide.asm.mjs', 'pyodide.mjs', 'python_stdlib.zip']) {
      if (!existsSync(join(pyodideDirectory, name))) {
        throw new AgenticGenError(
          'dependency-missing',
          `[sandbox] ${name} not found in ${pyodideDirectory}; check pyodideDirectory`,
        );
      }
    }
    const packageSetup = await this.packageSetup(pyodideDirectory);
    const cache = limits.freshInterpreters === 1 ? undefined : this.snapshotCache;
    const key = cache === undefined ? undefined : snapshotKey(pyodideDirectory, packageSetup, limits);
    const stored = cache === undefined || key === undefined ? undefined : loadSnapshot(cache, key);
    const execArgv = ['--experimental-vm-modules', '--disallow-code-generation-from-strings', '--no-warnings'];
    if (this.options.permissionModel !== false) {
      execArgv.push(
        '--permission',
        `--allow-fs-read=${files.packageRoot}`,
        `--allow-fs-read=${pyodideDirectory}`,
        '--allow-worker',
      );
      if (files.worker !== undefined) execArgv.push(`--allow-fs-read=${dirname(fileURLToPath(files.worker))}`);
      if (packageSetup.packageDirectory !== undefined)
        execArgv.push(`--allow-fs-read=${packageSetup.packageDirectory}`);
      if (packageSetup.lockFile !== undefined) execArgv.push(`--allow-fs-read=${packageSetup.lockFile}`);
    }
    this.stderrTail = '';
    this.closing = false;
    // An empty environment: nothing of the host's secrets (API keys, tokens) exists in the sandbox process.
    const child = fork(files.supervisor, [], {
      env: {},
      execArgv,
      serialization: 'advanced',
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    this.child = child;
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (text: string) => {
      this.stderrTail = (this.stderrTail + text).slice(-4000);
      if (debug) process.stderr.write(text);
    });
    return new Promise<SnapshotCacheEvent | undefined>((resolve, reject) => {
      let configured = false;
      child.on('message', (raw: unknown) => {
        const tag = (raw as { t?: unknown } | null)?.t;
        if (!configured && tag === 'configured') {
          configured = true;
          if (cache === undefined || key === undefined || stored === undefined) resolve(undefined);
          else if ('bytes' in stored) resolve({ outcome: 'restored-from-cache', bytes: stored.bytes.length });
          else {
            // Made now: stored in the background (SnapshotPersist); `snapshot-cache` is emitted once it is.
            const { snapshotBytes, snapshotSha256 } = raw as { snapshotBytes?: unknown; snapshotSha256?: unknown };
            this.persist = new SnapshotPersist(
              child,
              cache,
              key,
              stored.reason,
              typeof snapshotBytes === 'number' ? snapshotBytes : 0,
              typeof snapshotSha256 === 'string' && /^[0-9a-f]{64}$/.test(snapshotSha256) ? snapshotSha256 : undefined,
              (event) => this.snapshotListener?.(event),
            );
            resolve(undefined);
          }
        } else if (tag === 'snapshot-chunk' || tag === 'snapshot-end') {
          if (this.persist?.child === child) this.persist.receive(tag, raw);
        } else if (!configured && tag === 'configure-failed') {
          configured = true;
          reject(
            new AgenticGenError(
              'sandbox-start-failed',
              `[sandbox] the sandbox process failed to start: ${String((raw as { message?: unknown }).message)}`,
            ),
          );
          child.kill('SIGKILL');
        } else {
          // The first worker spoke: the first session has what it waits for, the snapshot may follow.
          if (this.persist?.child === child) this.persist.request();
          this.envelopeListener?.(raw as Envelope);
        }
      });
      child.on('exit', (code, signal) => {
        if (this.child === child) this.child = undefined;
        if (this.persist?.child === child) this.persist.abort();
        const reason = `exited with ${signal ?? `code ${code}`}`;
        if (!configured) {
          // Before any session ran, the process's stderr is ours (Pyodide's start): it names the cause.
          const tail = this.stderrTail ? `: ${this.stderrTail.trim().slice(-1000)}` : '';
          configured = true;
          reject(new AgenticGenError('sandbox-start-failed', `[sandbox] the sandbox process ${reason}${tail}`));
        } else if (!this.closing) this.crashListener?.(reason); // never stderr: sessions' code can write to it
      });
      child.on('error', (error) => {
        if (!configured) {
          configured = true;
          reject(
            new AgenticGenError(
              'sandbox-start-failed',
              `[sandbox] could not start the sandbox process: ${error.message}`,
              { cause: error },
            ),
          );
        }
      });
      const configure: SupervisorRequest = {
        t: 'configure',
        pyodideDirectory,
        indexURL: 'https://pyodide.sandbox.invalid/',
        limits,
        harness: pythonHarness,
        ...packageSetup,
      };
      if (files.worker !== undefined) configure.workerUrl = files.worker;
      if (stored !== undefined && 'bytes' in stored) configure.snapshot = stored.bytes;
      child.send(configure);
    });
  }

  /**
   * Classifies `lockFileURL` and `packageBaseUrl`: http(s) URLs must be on `network.allowedHosts` (checked when
   * the sandbox is created, before any request) and are downloaded by this process; anything else is a local
   * path or file URL, read by the sandbox process under its read-only permission.
   */
  private packageSources(): { lock: URL | string | undefined; base: URL | string | undefined } {
    const classify = (option: string, value: string | undefined, directory: boolean) => {
      if (value === undefined) return undefined;
      if (!isHttpUrl(value)) {
        if (/^[a-z][a-z0-9+.-]+:\/\//i.test(value) && !value.toLowerCase().startsWith('file:')) {
          throw new AgenticGenError(
            'invalid-config',
            `[sandbox] ${option} must be a local path, a file: URL or an http(s) URL; got ${value}`,
          );
        }
        const path = value.toLowerCase().startsWith('file:') ? fileURLToPath(value) : value;
        return directory ? path.replace(/\/+$/, '') : path;
      }
      const url = packageSourceUrl(option, value, directory);
      this.policy.check(url, option);
      return url;
    };
    return {
      lock: classify('lockFileURL', this.options.lockFileURL, false),
      base: classify('packageBaseUrl', this.options.packageBaseUrl, true),
    };
  }

  /** Resolves `packages` against the lock file here, so a missing package fails before anything starts. */
  private async packageSetup(pyodideDirectory: string): Promise<Partial<ConfigureRequest>> {
    const packages = this.options.packages ?? [];
    const { lock, base } = this.packageSources();
    const setup: Partial<ConfigureRequest> = {};
    let lockText: string | undefined;
    if (lock instanceof URL) {
      setup.lockBytes = await downloadAllowed(lock, 'lockFileURL', this.policy);
      lockText = new TextDecoder().decode(setup.lockBytes);
    } else if (lock !== undefined) setup.lockFile = lock;
    if (packages.length === 0) return setup;
    if (base === undefined) {
      throw new AgenticGenError(
        'invalid-config',
        '[sandbox] packages need packageBaseUrl: the directory (or allowed http(s) URL) with their files; the sandbox never downloads from a CDN on its own',
      );
    }
    lockText ??= readFileSync(typeof lock === 'string' ? lock : join(pyodideDirectory, 'pyodide-lock.json'), 'utf8');
    const packageFiles = resolvePackageFiles(lockText, packages);
    if (base instanceof URL) {
      const downloaded = await downloadPackageFiles(packageFiles, base, this.policy);
      return {
        ...setup,
        packages,
        packageFiles: packageFiles.map((file) => ({ ...file, bytes: downloaded[file.fileName] as Uint8Array })),
      };
    }
    for (const file of packageFiles) {
      if (!existsSync(join(base, file.fileName))) {
        throw new AgenticGenError(
          'dependency-missing',
          `[sandbox] ${file.fileName} not found in ${base}; add it or fix packageBaseUrl`,
        );
      }
    }
    return { ...setup, packages, packageDirectory: base, packageFiles };
  }

  /**
   * Lets a snapshot still on its way into the cache arrive before the sandbox process stops (asking for it if no
   * worker spoke yet); after `persistWaitMs` it is given up, and what was written is removed.
   */
  private async finishPersist(child: ChildProcess): Promise<void> {
    const persist = this.persist;
    if (persist?.child !== child || !persist.pending) return;
    persist.request();
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([
      persist.finished,
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, persistWaitMs);
      }),
    ]);
    clearTimeout(timer);
    persist.abort();
  }

  protected postCommand(command: WorkerCommand): void {
    const child = this.child;
    if (child?.connected) child.send(command);
  }

  async close(): Promise<void> {
    this.closing = true;
    const child = this.child;
    this.child = undefined;
    if (child === undefined || child.exitCode !== null) return;
    await this.finishPersist(child);
    if (child.exitCode !== null || child.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => child.kill('SIGKILL'), 2000);
      child.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      if (child.connected) child.disconnect();
      else child.kill('SIGKILL');
    });
  }
}
