import type { AsyncResource } from './async-resource.js';

/**
 * The code sandbox contract: `@agenticgen/sandbox` implements it with Pyodide in isolated workers; the
 * coding agent preset and the Python/SQL tools consume it.
 */

/** A rich result, as Jupyter's display data: MIME type → content (text, or base64 for binary types). */
export type MimeBundle = Partial<Record<'text/plain' | 'text/html' | 'image/png' | 'application/json', string>> &
  Record<string, string>;

/** Options for one run. */
export interface RunOptions {
  /** Time limit in milliseconds for this run (the sandbox default otherwise). */
  timeoutMs?: number;
  /** Cancels the run (the worker is interrupted, and recycled if it does not stop). */
  signal?: AbortSignal;
  /** Receives stdout as it is produced. */
  onStdout?: (text: string) => void;
  /** Receives stderr as it is produced. */
  onStderr?: (text: string) => void;
}

/** A Python exception (or a sandbox failure such as a timeout) in plain data. */
export interface RunError {
  /** Exception type, e.g. `ZeroDivisionError`, `TimeoutError`, `MemoryError`. */
  type: string;
  /** The exception message. */
  message: string;
  /** The formatted traceback, user frames only. */
  traceback: string;
}

/** What one run produced. */
export interface RunResult {
  /** True when the code ran to completion without an exception. */
  ok: boolean;
  /** The value of the last expression, if any. */
  result?: {
    /** `repr()` of the value. */
    repr: string;
    /** Rich representations. */
    mime: MimeBundle;
  };
  /** Captured stdout (capped). */
  stdout: string;
  /** Captured stderr (capped). */
  stderr: string;
  /** The exception, when `ok` is false. */
  error?: RunError;
  /** Wall time of the run in milliseconds. */
  durationMs: number;
  /** True when output or the result was cut at the configured cap. */
  truncated: boolean;
}

/** A file in the session's in-memory file system. */
export interface SandboxFile {
  /** Absolute path inside the sandbox, e.g. `/home/pyodide/data.csv`. */
  path: string;
  /** Size in bytes. */
  size: number;
}

/** One isolated interpreter with state that persists across runs (`await using` releases it). */
export interface CodeSession extends AsyncResource {
  /** Session id. */
  readonly id: string;
  /** Runs code; never rejects for errors in the code (they are in `RunResult.error`). */
  run(code: string, options?: RunOptions): Promise<RunResult>;
  /** Writes a file into the session. */
  writeFile(path: string, data: Uint8Array | string): Promise<void>;
  /** Reads a file from the session. */
  readFile(path: string): Promise<Uint8Array>;
  /** Lists files under a directory (default: the working directory), recursively. */
  listFiles(directory?: string): Promise<SandboxFile[]>;
  /** Drops all state, as a fresh session. */
  reset(): Promise<void>;
  /** Releases the session's worker. */
  dispose(): Promise<void>;
}

/** A pool of interpreters; `await using` stops every worker. */
export interface CodeSandbox extends AsyncResource {
  /** The language the sandbox runs. */
  readonly language: 'python';
  /** Opens a new isolated session; `signal` cancels the wait for a worker (rejects with `aborted`). */
  createSession(options?: { signal?: AbortSignal }): Promise<CodeSession>;
  /** Stops all workers. */
  dispose(): Promise<void>;
}
