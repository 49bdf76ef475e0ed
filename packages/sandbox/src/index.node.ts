/**
 * @agenticgen/sandbox for Node: Python (Pyodide) in worker threads of a separate, locked-down child process.
 * This file only re-exports the public surface.
 */

export { type SandboxErrorCode, sandboxErrorCodes } from './error-codes.js';
export type {
  PythonSandbox,
  PythonSessionOptions,
  SandboxEvents,
  SessionRestartEvent,
  SessionRestartReason,
  SnapshotCacheEvent,
} from './host/sandbox-core.js';
export { createSandbox, type NodeSandboxOptions } from './node/node-sandbox.js';
export type { SnapshotCacheOptions } from './node/snapshot-cache.js';
export type {
  SandboxFairnessOptions,
  SandboxLimits,
  SandboxNetworkOptions,
  SandboxOptions,
  SandboxPoolOptions,
} from './options.js';
export { pyodideVersion } from './pyodide-version.js';
export {
  createPythonTool,
  type PythonTool,
  type PythonToolOptions,
  type PythonToolOutput,
  pythonTool,
} from './tools/python-tool.js';
export type { SessionSource } from './tools/session-source.js';
export {
  createSqlTool,
  type SqlData,
  type SqlTool,
  type SqlToolOptions,
  type SqlToolOutput,
  sqlTool,
} from './tools/sql-tool.js';
