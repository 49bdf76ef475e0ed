/**
 * @agenticgen/sandbox for browsers: Python (Pyodide) in workers inside an opaque-origin sandboxed iframe.
 * This file only re-exports the public surface.
 */
export { type BrowserSandboxOptions, createSandbox } from './browser/browser-sandbox.js';
export type { BrowserSnapshotCacheOptions } from './browser/snapshot-store.js';
export { type SandboxErrorCode, sandboxErrorCodes } from './error-codes.js';
export type {
  PythonSandbox,
  PythonSessionOptions,
  SandboxEvents,
  SessionRestartEvent,
  SessionRestartReason,
  SnapshotCacheEvent,
} from './host/sandbox-core.js';
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
