/**
 * The Node half of the persisted memory snapshot: a file in a cache directory, with a JSON record beside it
 * (what the snapshot was made from, its size and sha256). This runs in the host process: the sandbox process
 * cannot write anything (permission model), so it only receives verified bytes or sends fresh ones back.
 */
import { createHash, randomBytes } from 'node:crypto';
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { AgenticGenError } from '@agenticgen/core';
import type { SnapshotCacheEvent } from '../host/sandbox-events.js';
import { checkSnapshotBytes, judgeRecord, type SnapshotKey, type SnapshotRecord } from '../host/snapshot-record.js';
import { pythonHarness } from '../runtime/python-harness.js';
import { sandboxRuntime } from '../runtime/sandbox-runtime.js';
import { fixSignalCheckRace } from '../runtime/signal-check-patch.js';
import { restoreSnapshotSparsely } from '../runtime/sparse-restore-patch.js';
import { nodeRealmPrelude } from './realm-prelude.js';
import type { SupervisorRequest } from './supervisor-protocol.js';

export type { SnapshotKey } from '../host/snapshot-record.js';

/** `snapshotCache` of the Node sandbox. */
export interface SnapshotCacheOptions {
  /** Where snapshots are kept (default: `node_modules/.cache/agenticgen/sandbox` of the working directory if it has a `node_modules`, else the OS cache directory). */
  directory?: string;
  /** Largest snapshot read or written, in bytes (default 512 MiB); a larger one is neither loaded nor stored. */
  maxBytes?: number;
}

const defaultMaxBytes = 512 * 1024 * 1024;

export interface ResolvedSnapshotCache {
  directory: string;
  maxBytes: number;
}

export function resolveSnapshotCache(
  option: SnapshotCacheOptions | false | undefined,
): ResolvedSnapshotCache | undefined {
  if (option === false) return undefined;
  const maxBytes = option?.maxBytes ?? defaultMaxBytes;
  if (!Number.isSafeInteger(maxBytes) || maxBytes <= 0) {
    throw new AgenticGenError('invalid-config', '[sandbox] snapshotCache.maxBytes must be a positive integer');
  }
  if (option?.directory !== undefined && (typeof option.directory !== 'string' || option.directory.length === 0)) {
    throw new AgenticGenError('invalid-config', '[sandbox] snapshotCache.directory must be a non-empty path');
  }
  return { directory: option?.directory ?? defaultDirectory(), maxBytes };
}

/** The default place, following the conventions of build tools (find-cache-dir) and of each OS. */
export function defaultDirectory(): string {
  const local = join(process.cwd(), 'node_modules');
  if (existsSync(local)) return join(local, '.cache', 'agenticgen', 'sandbox');
  const env = process.env;
  const base =
    process.platform === 'win32'
      ? (env.LOCALAPPDATA ?? join(homedir(), 'AppData', 'Local'))
      : process.platform === 'darwin'
        ? join(homedir(), 'Library', 'Caches')
        : (env.XDG_CACHE_HOME ?? join(homedir(), '.cache'));
  return join(base, 'agenticgen', 'sandbox');
}

/** The hash of a key's parts (separated, so that no two lists of parts hash alike by concatenation). */
export function keyHash(...parts: (string | Uint8Array)[]): string {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part).update('\0');
  return hash.digest('hex');
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function files(cache: ResolvedSnapshotCache, key: SnapshotKey): { data: string; record: string } {
  return { data: join(cache.directory, `${key.slot}.snapshot`), record: join(cache.directory, `${key.slot}.json`) };
}

export type LoadedSnapshot = { bytes: Uint8Array } | { reason: NonNullable<SnapshotCacheEvent['reason']> };

/** Reads the stored snapshot if, and only if, it matches the key, its recorded size and its sha256. */
export function loadSnapshot(cache: ResolvedSnapshotCache, key: SnapshotKey): LoadedSnapshot {
  const paths = files(cache, key);
  let record: Partial<SnapshotRecord>;
  let size: number;
  try {
    size = statSync(paths.data).size;
    record = JSON.parse(readFileSync(paths.record, 'utf8'));
  } catch {
    return { reason: 'missing' };
  }
  const refused = judgeRecord(record, key, size, cache.maxBytes);
  if (refused !== undefined) return { reason: refused };
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(paths.data);
  } catch {
    return { reason: 'missing' };
  }
  const damaged = checkSnapshotBytes(record as SnapshotRecord, bytes.length, sha256(bytes));
  if (damaged !== undefined) return { reason: damaged };
  return { bytes };
}

/** A snapshot arriving in chunks (`openSnapshotWriter`). */
export interface SnapshotWriter {
  /** Appends one chunk; false once the writer gave up (more bytes than announced, or a failed write). */
  append(chunk: Uint8Array): boolean;
  /**
   * Stores the snapshot if it has exactly the announced length and the given sha256 (taken by the sandbox
   * process before any session started), under its final name; otherwise removes what was written. Returns
   * whether it was stored.
   */
  finish(sha256: string | undefined): boolean;
  /** Removes what was written; nothing is left that a later process would read. */
  abort(): void;
}

/**
 * Stores a snapshot that arrives in chunks, in the background of the first session: the chunks go to a
 * temporary file (never read by `loadSnapshot`), which gets its final name only once complete and matching the
 * sha256 announced before any session ran. An aborted or failed writer leaves no file behind. Returns
 * undefined (and writes nothing) when `bytes` exceeds `maxBytes` or the directory is not writable.
 */
export function openSnapshotWriter(
  cache: ResolvedSnapshotCache,
  key: SnapshotKey,
  bytes: number,
): SnapshotWriter | undefined {
  if (!Number.isSafeInteger(bytes) || bytes <= 0 || bytes > cache.maxBytes) return undefined;
  const paths = files(cache, key);
  const temporary = `${paths.data}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  let fd: number | undefined;
  try {
    mkdirSync(cache.directory, { recursive: true });
    fd = openSync(temporary, 'wx', 0o600);
  } catch {
    return undefined;
  }
  const hash = createHash('sha256');
  let written = 0;
  let failed = false;
  let done = false;
  const close = () => {
    if (fd === undefined) return;
    try {
      closeSync(fd);
    } catch {
      // Already closed by the system: nothing more to release.
    }
    fd = undefined;
  };
  const abort = () => {
    done = true;
    close();
    rmSync(temporary, { force: true });
  };
  return {
    append(chunk) {
      if (done || failed) return false;
      if (written + chunk.length > bytes) failed = true;
      else {
        try {
          for (let at = 0; at < chunk.length; ) at += writeSync(fd as number, chunk, at, chunk.length - at);
          hash.update(chunk);
          written += chunk.length;
        } catch {
          failed = true;
        }
      }
      if (failed) abort();
      return !failed;
    },
    finish(sha256) {
      if (done || failed) return false;
      const digest = hash.digest('hex');
      if (written !== bytes || sha256 === undefined || digest !== sha256) {
        abort();
        return false;
      }
      done = true;
      close();
      const record: SnapshotRecord = { format: 1, pyodide: key.pyodide, harness: key.harness, bytes, sha256: digest };
      const recordTemporary = `${paths.record}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
      try {
        renameSync(temporary, paths.data);
        writeFileSync(recordTemporary, JSON.stringify(record), { mode: 0o600 });
        renameSync(recordTemporary, paths.record);
        return true;
      } catch {
        rmSync(temporary, { force: true });
        rmSync(recordTemporary, { force: true });
        return false;
      }
    },
    abort,
  };
}

/** Hash of the code that shapes the interpreter a snapshot holds: a change to it makes stored snapshots stale. */
const harnessHash = keyHash(
  String(sandboxRuntime),
  String(nodeRealmPrelude),
  String(fixSignalCheckRace),
  String(restoreSnapshotSparsely),
  ...Object.values(pythonHarness),
);

/**
 * What a snapshot depends on. `slot` names the file per configuration (lock file, packages, limits); `pyodide`
 * (version and the size and time of its files) and `harness` make an older snapshot stale when they change.
 */
export function snapshotKey(
  pyodideDirectory: string,
  setup: Partial<Extract<SupervisorRequest, { t: 'configure' }>>,
  limits: Record<string, number>,
): SnapshotKey {
  const lock = setup.lockBytes ?? readFileSync(setup.lockFile ?? join(pyodideDirectory, 'pyodide-lock.json'));
  const packages = (setup.packageFiles ?? []).map(({ fileName, sha256, imports }) => ({ fileName, sha256, imports }));
  const slot = keyHash(
    lock,
    JSON.stringify(packages),
    JSON.stringify(Object.entries(limits).sort(([a], [b]) => (a < b ? -1 : 1))),
  ).slice(0, 32);
  const pyodideFiles = ['package.json', 'pyodide.asm.wasm', 'pyodide.asm.mjs', 'pyodide.mjs', 'python_stdlib.zip'].map(
    (name) => {
      try {
        const stat = statSync(join(pyodideDirectory, name));
        return `${name}:${stat.size}:${stat.mtimeMs}`;
      } catch {
        return `${name}:none`;
      }
    },
  );
  let version = 'unknown';
  try {
    version = String(JSON.parse(readFileSync(join(pyodideDirectory, 'package.json'), 'utf8')).version);
  } catch {
    // A directory of Pyodide's files without its package.json: the files' sizes and times still key it.
  }
  return { slot, pyodide: `${version} ${keyHash(...pyodideFiles)}`, harness: harnessHash };
}
