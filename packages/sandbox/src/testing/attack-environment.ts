import type { PythonSandbox } from '../host/sandbox-core.js';
import type { SandboxOptions } from '../options.js';

/** What the attack suite runs against: one runtime's sandbox and the host probes it has. */
export interface AttackEnvironment {
  /** Creates the sandbox under test (shared by the whole suite); `options` override the suite's defaults. */
  createSandbox(options?: SandboxOptions): PythonSandbox;
  /** A secret present in the host's environment that must stay out of reach. */
  secret?: string;
  /** Opens a TCP listener on 127.0.0.1 that counts connections (Node only). */
  listen?: () => Promise<{ port: number; connections(): number; close(): Promise<void> }>;
  /** Whether a file exists on the host (Node only). */
  hostFileExists?: (path: string) => boolean;
  /** Whether this runtime caps and counts the JavaScript heap of each worker (Node; the browser's is issue 16 B4). */
  capsJavaScriptHeap?: boolean;
  /**
   * Whether promise jobs started during a run stay frozen after it (Node: the realm's own microtask queue;
   * browser: refused when they enter Python). Default true; false skips those cases.
   */
  freezesPromiseJobs?: boolean;
  /** Kills the isolated layer that holds the workers, as a crash would (Node: the sandbox process). */
  killWorkers?: ((sandbox: PythonSandbox) => Promise<void>) | undefined;
}
