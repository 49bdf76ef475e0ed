/**
 * @agenticgen/sandbox for Node: Python (Pyodide) in worker threads of a separate, locked-down child process.
 * This file only re-exports the public surface.
 */
export type { PythonSandbox } from './host/sandbox-core.js';
export { createSandbox, type NodeSandboxOptions } from './node/node-sandbox.js';
export type { SandboxLimits, SandboxOptions, SandboxPoolOptions } from './options.js';
