/** Messages between the host process and the sandbox child process (types only: both sides import it). */

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
      /** Packages to load into the snapshot. */
      packages?: string[];
      /** Lock file to serve instead of Pyodide's own (absolute path). */
      lockFile?: string;
      /** Directory with the package files, and the files with their sha256 (checked when read). */
      packageDirectory?: string;
      packageFiles?: { fileName: string; sha256: string; imports: string[] }[];
    }
  | { t: 'spawn'; w: number }
  | { t: 'send'; w: number; json: string; payload?: Uint8Array }
  | { t: 'interrupt'; w: number }
  | { t: 'terminate'; w: number };
