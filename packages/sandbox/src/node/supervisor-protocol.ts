import type { WorkerCommand } from '../host/command-transport.js';

/** Messages between the host process and the sandbox child process (types only: both sides import it). */
import type { PythonHarness } from '../runtime/sandbox-runtime.js';

/** Host → child. */
export type SupervisorRequest =
  | {
      t: 'configure';
      /** Directory holding Pyodide's files (read once by the child). */
      pyodideDirectory: string;
      /** URL prefix Pyodide sees for its own files (served from memory). */
      indexURL: string;
      /** Worker-thread entry override (absolute file URL). */
      workerUrl?: string;
      /** Limits the runtime enforces inside each worker. */
      limits: Record<string, number>;
      /** The runtime's Python code (its host inlines it at build time; the child only passes it on). */
      harness: PythonHarness;
      /** Packages to load into the snapshot. */
      packages?: string[];
      /** Lock file to serve instead of Pyodide's own (absolute path). */
      lockFile?: string;
      /** Lock file downloaded by the host from an allowed host (instead of `lockFile`). */
      lockBytes?: Uint8Array;
      /** Directory with the package files, and the files with their sha256 (checked when read). */
      packageDirectory?: string;
      /** `bytes`: downloaded by the host from an allowed host (the sandbox process has no network of its own). */
      packageFiles?: { fileName: string; sha256: string; imports: string[]; bytes?: Uint8Array }[];
      /** A stored memory snapshot the host has verified: workers restore it, Pyodide never boots in full. */
      snapshot?: Uint8Array;
    }
  /** Send the snapshot made here (in `snapshot-chunk` messages, then `snapshot-end`), for the host to store. */
  | { t: 'snapshot-send' }
  | WorkerCommand;
