/// <reference types="vite/client" />
/**
 * Pyodide's files for the Chromium tests, served by the Vite dev server: the two modules as raw text (Vite
 * would otherwise transform them), the binaries straight from node_modules.
 */
import asmSource from 'pyodide/pyodide.asm.mjs?raw';
import loaderSource from 'pyodide/pyodide.mjs?raw';

export async function loadPyodideFile(name: string): Promise<string | ArrayBuffer> {
  if (name === 'pyodide.mjs') return loaderSource;
  if (name === 'pyodide.asm.mjs') return asmSource;
  const response = await fetch(`/node_modules/pyodide/${name}`);
  if (!response.ok) throw new Error(`cannot load ${name}: HTTP ${response.status}`);
  return response.arrayBuffer();
}
