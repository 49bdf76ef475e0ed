/**
 * Creates a sandbox for tests that run in both runtimes: in Chromium, Pyodide's files come from the Vite dev
 * server (see browser-files.ts); in Node from the installed package.
 */
import { createSandbox, type PythonSandbox, type SandboxOptions } from '@agenticgen/sandbox';
import { loadPyodideFile } from './browser-files.js';

export function createTestSandbox(options: SandboxOptions = {}): PythonSandbox {
  const inBrowser = typeof document !== 'undefined';
  return createSandbox((inBrowser ? { ...options, loadFile: loadPyodideFile } : options) as never);
}
