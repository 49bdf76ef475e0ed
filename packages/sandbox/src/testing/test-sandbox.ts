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

/** A fixture file's location: a path in Node, a URL of the Vite dev server in Chromium. */
const here = import.meta.url; // a variable, so Vite does not rewrite `new URL(…, import.meta.url)` as an asset

export function fixtureUrl(name: string): string {
  const url = new URL(`./fixtures/${name}`, here);
  return typeof document !== 'undefined' ? url.href : decodeURIComponent(url.pathname);
}
