import { AgenticGenError } from '@agenticgen/core';
import { CommandTransport, type WorkerCommand } from '../host/command-transport.js';
import type { Envelope } from '../host/envelope.js';
import { createNetworkPolicy, type NetworkPolicy } from '../host/network-policy.js';
import { downloadAllowed, downloadPackageFiles, isHttpUrl, packageSourceUrl } from '../host/package-download.js';
import { resolvePackageFiles } from '../host/packages.js';
import { createSandboxCore, type PythonSandbox } from '../host/sandbox-core.js';
import type { SnapshotCacheEvent } from '../host/sandbox-events.js';
import type { SnapshotKey } from '../host/snapshot-record.js';
import type { SandboxOptions } from '../options.js';
import { pyodideVersion } from '../pyodide-version.js';
import { pythonHarness } from '../runtime/python-harness.js';
import { sandboxRuntime } from '../runtime/sandbox-runtime.js';
import { fixSignalCheckRace } from '../runtime/signal-check-patch.js';
import { restoreSnapshotSparsely } from '../runtime/sparse-restore-patch.js';
import { moduleAsClassicScript } from './classic-script.js';
import { frameMain } from './frame-main.js';
import {
  type BrowserSnapshotCacheOptions,
  loadBrowserSnapshot,
  type ResolvedBrowserSnapshotCache,
  resolveBrowserSnapshotCache,
  sha256Hex,
  storeBrowserSnapshot,
} from './snapshot-store.js';
import { workerHostMain } from './worker-host-main.js';
import { browserWorkerMain } from './worker-main.js';

/** Options of the browser sandbox. */
export interface BrowserSandboxOptions extends SandboxOptions {
  /**
   * Where the page downloads Pyodide's files from (they are then handed to the sandbox as bytes; the sandbox
   * itself has no network). Default: jsDelivr for the supported version. Serve them yourself in production.
   */
  indexURL?: string;
  /**
   * Supplies Pyodide's files yourself instead of downloading them from `indexURL` (a cache, asset imports of
   * your bundler, a signed URL). Called once per file per page: `pyodide.asm.wasm`, `python_stdlib.zip`,
   * `pyodide-lock.json`, `pyodide.mjs`, `pyodide.asm.mjs`.
   */
  loadFile?: (name: string) => Promise<Uint8Array | ArrayBuffer | string>;
  /** Element the hidden sandbox iframe is appended to (default `document.body`). */
  container?: HTMLElement;
  /**
   * Keep the memory snapshot in the page origin's Cache Storage, so the next page load restores it instead of
   * booting Pyodide (default on where Cache Storage exists; `false` turns it off). Checked like Node's.
   */
  snapshotCache?: BrowserSnapshotCacheOptions | false;
}

/** Creates a Python sandbox whose workers run inside an opaque-origin sandboxed iframe without network. */
export function createSandbox(options: BrowserSandboxOptions = {}): PythonSandbox {
  return createSandboxCore(new FrameTransport(options), options);
}

const assetNames = ['pyodide.asm.wasm', 'python_stdlib.zip', 'pyodide-lock.json'] as const;
const downloads = new Map<
  string,
  Promise<{ assets: Record<string, Uint8Array>; sources: { loader: string; asm: string } }>
>();

const loaders = new WeakMap<object, string>();

/** Downloads Pyodide's files once per page and source. */
function download(indexURL: string, loadFile: BrowserSandboxOptions['loadFile']) {
  let key = indexURL;
  if (loadFile !== undefined) {
    key = loaders.get(loadFile) ?? `loader:${Math.random()}`;
    loaders.set(loadFile, key);
  }
  let pending = downloads.get(key);
  if (pending === undefined) {
    const fetchBytes = async (name: string) => {
      if (loadFile !== undefined) {
        const data = await loadFile(name);
        return typeof data === 'string' ? new TextEncoder().encode(data) : new Uint8Array(data);
      }
      const response = await fetch(new URL(name, indexURL));
      if (!response.ok) {
        throw new AgenticGenError(
          'dependency-missing',
          `[sandbox] could not download ${name} from ${indexURL} (HTTP ${response.status}); check indexURL`,
        );
      }
      return new Uint8Array(await response.arrayBuffer());
    };
    pending = (async () => {
      const [wasm, stdlib, lock, loader, asm] = await Promise.all([
        ...assetNames.map(fetchBytes),
        fetchBytes('pyodide.mjs'),
        fetchBytes('pyodide.asm.mjs'),
      ]);
      const decoder = new TextDecoder();
      return {
        assets: { 'pyodide.asm.wasm': wasm, 'python_stdlib.zip': stdlib, 'pyodide-lock.json': lock } as Record<
          string,
          Uint8Array
        >,
        sources: {
          loader: decoder.decode(loader),
          asm: restoreSnapshotSparsely(fixSignalCheckRace(decoder.decode(asm))),
        },
      };
    })();
    pending.catch(() => downloads.delete(key));
    downloads.set(key, pending);
  }
  return pending;
}

/** The worker's own code: the shared runtime and the browser worker prelude, as source text. */
function workerMainSource(): string {
  // `loader` and `asm` are bound by the lines `workerSource` puts in front of this source.
  return `(${browserWorkerMain.toString()})(${sandboxRuntime.toString()}, loader, asm);`;
}

/** The worker's one script: Pyodide's two modules inlined as classic code (the worker may import nothing). */
function workerSource(sources: { loader: string; asm: string }, indexURL: string): string {
  return (
    `const asm = ${moduleAsClassicScript(sources.asm, `${indexURL}pyodide.asm.mjs`)};\n` +
    `const loader = ${moduleAsClassicScript(sources.loader, `${indexURL}pyodide.mjs`)};\n` +
    workerMainSource()
  );
}

/**
 * What a browser snapshot depends on, as in Node: `slot` per configuration (lock file, packages, limits);
 * `pyodide` (version and its files' code and sizes) and `harness` (worker and frame code) make older ones stale.
 */
async function snapshotKey(
  files: { assets: Record<string, Uint8Array>; sources: { loader: string; asm: string } },
  packages: { assets: Record<string, Uint8Array>; files: unknown[] },
  limits: Record<string, number>,
  html: string,
): Promise<SnapshotKey> {
  const lock = packages.assets['pyodide-lock.json'] ?? files.assets['pyodide-lock.json'] ?? new Uint8Array();
  const slot = (
    await sha256Hex(
      lock,
      JSON.stringify(packages.files),
      JSON.stringify(Object.entries(limits).sort(([a], [b]) => (a < b ? -1 : 1))),
    )
  ).slice(0, 32);
  const sizes = Object.entries(files.assets).map(([name, bytes]) => `${name}:${bytes.length}`);
  const pyodide = `${pyodideVersion} ${await sha256Hex(files.sources.loader, files.sources.asm, ...sizes.sort())}`;
  return {
    slot,
    pyodide,
    harness: await sha256Hex(workerMainSource(), workerHostScript(), html, ...Object.values(pythonHarness)),
  };
}

/** The script of each worker's own document inside the frame (worker-host-main.ts). */
export function workerHostScript(): string {
  return `(${workerHostMain.toString()})();`;
}

/**
 * The sandbox frame's document: its script, and a CSP that allows only that script (by hash) and the frame's own
 * `blob:` workers. A worker gets this policy plus `workerPolicy` (frame-main.ts), which starts nothing.
 */
export async function frameDocument(): Promise<string> {
  const script = `(${frameMain.toString()})();`;
  const hash = async (text: string) => {
    const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
    return `'sha256-${btoa(String.fromCharCode(...new Uint8Array(digest)))}'`;
  };
  // No 'unsafe-eval': Python cannot turn a JS Function constructor into code. No network for anyone in here,
  // allow-list or not: package files are downloaded by the page and handed over as bytes. No script URL: the
  // worker's script holds all its code. `worker-src blob:` is how an opaque-origin frame starts a worker at all.
  const policy = [
    "default-src 'none'",
    `script-src ${await hash(script)} ${await hash(workerHostScript())} 'wasm-unsafe-eval'`,
    'worker-src blob:',
    "connect-src 'none'",
  ].join('; ');
  return `<!doctype html><html><head><meta http-equiv="Content-Security-Policy" content="${policy}"></head><body><script>${script}</script></body></html>`;
}

/**
 * How often the page asks the frame whether it is alive. The frame (and its workers) run in their own renderer
 * process in Chromium (a sandboxed frame is site-isolated); when a session exhausts that process's memory the
 * process dies silently: no event reaches the page, so an unanswered ping is the only sign.
 */
const pingIntervalMs = 3000;
/** Pings left unanswered before the frame counts as dead (a busy frame still answers within one interval). */
const missedPingsAllowed = 2;

/** The error for a page (or the sandbox frame inside it) that is not cross-origin isolated. */
export function notIsolated(where: 'page' | 'frame'): AgenticGenError {
  return new AgenticGenError(
    'sandbox-start-failed',
    `[sandbox] the ${where} is not cross-origin isolated, so SharedArrayBuffer (which interrupts a run) is missing: ` +
      'serve the page with the headers "Cross-Origin-Opener-Policy: same-origin" and ' +
      '"Cross-Origin-Embedder-Policy: require-corp" (and "Cross-Origin-Resource-Policy" on its subresources), ' +
      "and do not deny the 'cross-origin-isolated' permission to the frame; see docs/sandbox.md, Browser set-up",
    { data: { reason: 'not-cross-origin-isolated' } },
  );
}

class FrameTransport extends CommandTransport {
  private frame: HTMLIFrameElement | undefined;
  private port: MessagePort | undefined;
  private watchdog: ReturnType<typeof setInterval> | undefined;
  /** Rejects a start still waiting for the frame's snapshot. */
  private startFailed: ((error: AgenticGenError) => void) | undefined;

  private readonly policy: NetworkPolicy;
  private readonly snapshotCache: ResolvedBrowserSnapshotCache | undefined;

  constructor(private readonly options: BrowserSandboxOptions) {
    super();
    this.policy = createNetworkPolicy(options.network);
    this.snapshotCache = resolveBrowserSnapshotCache(options.snapshotCache);
    // Refused package hosts fail here, in createSandbox, long before anything is downloaded.
    if (typeof location !== 'undefined') this.packageSources();
  }

  async start(limits: Record<string, number>): Promise<SnapshotCacheEvent | undefined> {
    if (typeof document === 'undefined') {
      throw new AgenticGenError(
        'unsupported',
        '[sandbox] the browser sandbox needs a page (document); in Node import the package from Node',
      );
    }
    // Without isolation there is no SharedArrayBuffer, so a run could not be interrupted: refuse now rather
    // than start workers that cannot be stopped safely.
    if (globalThis.crossOriginIsolated !== true) throw notIsolated('page');
    const given = this.options.indexURL ?? `https://cdn.jsdelivr.net/pyodide/v${pyodideVersion}/full/`;
    const indexURL = new URL(given.endsWith('/') ? given : `${given}/`, location.href).href;
    const [files, html] = await Promise.all([download(indexURL, this.options.loadFile), frameDocument()]);
    const packages = await this.packageAssets(files.assets);
    const cache = limits.freshInterpreters === 1 ? undefined : this.snapshotCache;
    const key = cache === undefined ? undefined : await snapshotKey(files, packages, limits, html);
    const stored = cache === undefined || key === undefined ? undefined : await loadBrowserSnapshot(cache, key);
    const frame = document.createElement('iframe');
    // allow-scripts only: an opaque origin with no access to this page, its storage or cookies.
    frame.setAttribute('sandbox', 'allow-scripts');
    frame.setAttribute('allow', 'cross-origin-isolated');
    frame.setAttribute('aria-hidden', 'true');
    frame.style.display = 'none';
    frame.srcdoc = html;
    const channel = new MessageChannel();
    const loaded = new Promise<void>((resolve, reject) => {
      const onMessage = (event: MessageEvent) => {
        // Only the frame we created, and only its one "loaded" signal; any other window message is ignored.
        if (
          event.source !== frame.contentWindow ||
          (event.data as { agenticgenSandboxFrame?: unknown })?.agenticgenSandboxFrame !== 'loaded'
        )
          return;
        removeEventListener('message', onMessage);
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        removeEventListener('message', onMessage);
        reject(
          new AgenticGenError(
            'sandbox-start-failed',
            '[sandbox] the sandbox iframe did not start; check the page CSP allows srcdoc frames',
          ),
        );
      }, 20_000);
      addEventListener('message', onMessage);
    });
    (this.options.container ?? document.body).append(frame);
    this.frame = frame;
    await loaded;
    frame.contentWindow?.postMessage({ agenticgenSandboxPort: true }, '*', [channel.port2]);
    this.port = channel.port1;
    let unanswered = 0;
    let madeSnapshot: Uint8Array | undefined;
    const configured = new Promise<void>((resolve, reject) => {
      channel.port1.onmessage = (event: MessageEvent) => {
        const tag = (event.data as { t?: unknown } | null)?.t;
        if (tag === 'pong') unanswered = 0;
        else if (tag === 'configured') {
          const made = (event.data as { snapshot?: unknown }).snapshot;
          madeSnapshot = made instanceof Uint8Array ? made : undefined;
          resolve();
        } else if (tag === 'configure-failed') {
          const message = String((event.data as { message?: unknown }).message).slice(0, 2000);
          reject(
            message === 'not-cross-origin-isolated'
              ? notIsolated('frame')
              : new AgenticGenError('sandbox-start-failed', `[sandbox] the sandbox failed to start: ${message}`),
          );
        } else this.envelopeListener?.(event.data as Envelope);
      };
      this.startFailed = reject;
    });
    // Message events are not throttled in a background tab, timers are: a slow check only delays the verdict.
    this.watchdog = setInterval(() => {
      if (unanswered > missedPingsAllowed) this.frameLost();
      else {
        unanswered++;
        channel.port1.postMessage({ t: 'ping' });
      }
    }, pingIntervalMs);
    channel.port1.postMessage({
      t: 'configure',
      // The worker's URL inside the frame is the fetch shim's: Pyodide's files are served from memory there.
      workerSource: workerSource(files.sources, 'https://pyodide.sandbox.invalid/'),
      workerHostScript: workerHostScript(),
      harness: pythonHarness,
      assets: { ...files.assets, ...packages.assets },
      limits,
      packages: packages.files,
      ...(stored !== undefined && 'bytes' in stored ? { snapshot: stored.bytes } : {}),
      returnSnapshot: stored !== undefined && 'reason' in stored,
    });
    try {
      await configured;
      this.startFailed = undefined;
    } catch (error) {
      await this.close();
      throw error;
    }
    if (cache === undefined || key === undefined || stored === undefined) return undefined;
    if ('bytes' in stored) return { outcome: 'restored-from-cache', bytes: stored.bytes.length };
    const bytes = madeSnapshot;
    return {
      outcome: 'rebuilt',
      reason: stored.reason,
      stored: bytes !== undefined && (await storeBrowserSnapshot(cache, key, bytes)),
      bytes: bytes?.length ?? 0,
    };
  }

  /**
   * The http(s) URLs of `lockFileURL` and `packageBaseUrl`, each checked against `network.allowedHosts` when the
   * sandbox is created, so a refused host fails before any request. The page's own origin is not implied.
   */
  private packageSources(): { lock: URL | undefined; base: URL | undefined } {
    const page = typeof location === 'undefined' ? undefined : location.href;
    const resolve = (option: string, value: string | undefined, directory: boolean): URL | undefined => {
      if (value === undefined) return undefined;
      const url = packageSourceUrl(option, value, directory, page);
      if (!isHttpUrl(url.href)) {
        throw new AgenticGenError(
          'invalid-config',
          `[sandbox] in the browser, ${option} must be an http(s) URL on network.allowedHosts; got ${url.href}`,
        );
      }
      this.policy.check(url, option);
      return url;
    };
    return {
      lock: resolve('lockFileURL', this.options.lockFileURL, false),
      base: resolve('packageBaseUrl', this.options.packageBaseUrl, true),
    };
  }

  /** Resolves `packages` against the lock file, downloads their files and checks each against its sha256. */
  private async packageAssets(assets: Record<string, Uint8Array>) {
    const names = this.options.packages ?? [];
    const { lock, base } = this.packageSources();
    const extra: Record<string, Uint8Array> = {};
    if (lock !== undefined) extra['pyodide-lock.json'] = await downloadAllowed(lock, 'lockFileURL', this.policy);
    if (names.length === 0) return { assets: extra, files: [] };
    if (base === undefined) {
      throw new AgenticGenError('invalid-config', '[sandbox] packages need packageBaseUrl: the URL of their files');
    }
    const lockBytes = extra['pyodide-lock.json'] ?? assets['pyodide-lock.json'] ?? new Uint8Array(0);
    const files = resolvePackageFiles(new TextDecoder().decode(lockBytes), names);
    const downloaded = await downloadPackageFiles(files, base, this.policy);
    for (const [fileName, bytes] of Object.entries(downloaded)) extra[`packages/${fileName}`] = bytes;
    return { assets: extra, files: files.map(({ fileName, imports }) => ({ fileName, imports })) };
  }

  protected postCommand(command: WorkerCommand): void {
    this.port?.postMessage(command);
  }

  /** The frame's process died (out of memory, killed): every worker in it is gone; the next session restarts it. */
  private frameLost(): void {
    const reason =
      'the sandbox frame stopped answering (its renderer process ended, usually out of memory); all its sessions lost their state';
    this.close().catch(() => {});
    this.startFailed?.(new AgenticGenError('sandbox-start-failed', `[sandbox] ${reason}`));
    this.startFailed = undefined;
    this.crashListener?.(reason);
  }

  async close(): Promise<void> {
    clearInterval(this.watchdog);
    this.watchdog = undefined;
    this.port?.close();
    this.port = undefined;
    // Removing the iframe ends its workers with it.
    this.frame?.remove();
    this.frame = undefined;
  }
}
