import { createReadStream, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Plugin } from 'vite';

/**
 * Cross-origin isolation: `SharedArrayBuffer` (the sandbox's interrupt buffer) only exists on an isolated page.
 * Any host works if every response of the page carries these three headers.
 */
export const crossOriginIsolationHeaders: Readonly<Record<string, string>> = Object.freeze({
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
});

/** The files the browser sandbox asks for (`BrowserSandboxOptions.indexURL`/`loadFile`). */
export const pyodideFileNames: readonly string[] = Object.freeze([
  'pyodide.asm.wasm',
  'python_stdlib.zip',
  'pyodide-lock.json',
  'pyodide.mjs',
  'pyodide.asm.mjs',
]);

export interface SandboxVitePluginOptions {
  /** Folder under the app's `base` that serves Pyodide's files (dev) and receives them (build). Default `pyodide`. */
  directory?: string;
  /** Adds the three cross-origin isolation headers to `vite` and `vite preview`. Default true. */
  crossOriginIsolation?: boolean;
  /** Where the `pyodide` package is installed. Default: resolved from this package. */
  pyodideDirectory?: string;
}

const contentTypes: Record<string, string> = {
  wasm: 'application/wasm',
  zip: 'application/zip',
  json: 'application/json',
  mjs: 'text/javascript',
};

/**
 * Serves Pyodide's files unchanged under `<base><directory>/`: in `vite` dev from a middleware that runs before
 * Vite's transforms (an `?url` import of `pyodide.asm.mjs` is rewritten in dev and then fails in the sandbox with
 * `Failed to resolve module specifier "/@vite/client"`), in `vite build` as assets with fixed names. The page
 * passes `indexURL: \`${import.meta.env.BASE_URL}pyodide/\`` to `createSandbox`.
 */
export function createSandboxVitePlugin(options: SandboxVitePluginOptions = {}): Plugin {
  const directory = (options.directory ?? 'pyodide').replace(/^\/+|\/+$/g, '');
  const source = options.pyodideDirectory ?? dirname(createRequire(import.meta.url).resolve('pyodide/package.json'));
  const isolate = options.crossOriginIsolation !== false;
  let base = '/';
  return {
    name: 'agenticgen-sandbox',
    config() {
      if (!isolate) return;
      const headers = { ...crossOriginIsolationHeaders };
      return { server: { headers }, preview: { headers } };
    },
    configResolved(config) {
      base = config.base.startsWith('/') ? config.base : '/';
    },
    configureServer(server) {
      const prefix = `${base}${directory}/`;
      server.middlewares.use((request, response, next) => {
        const path = (request.url ?? '').split(/[?#]/)[0] ?? '';
        const name = path.startsWith(prefix) ? path.slice(prefix.length) : undefined;
        if (name === undefined || !pyodideFileNames.includes(name)) return next();
        response.setHeader('Content-Type', contentTypes[name.split('.').pop() ?? ''] ?? 'application/octet-stream');
        if (isolate)
          for (const [header, value] of Object.entries(crossOriginIsolationHeaders)) response.setHeader(header, value);
        createReadStream(join(source, name)).pipe(response);
      });
    },
    generateBundle() {
      for (const name of pyodideFileNames) {
        this.emitFile({ type: 'asset', fileName: `${directory}/${name}`, source: readFileSync(join(source, name)) });
      }
    },
  };
}

/** @deprecated Use `createSandboxVitePlugin` (factories are named `create*`); this alias is removed in the next minor release. */
export const sandboxVitePlugin = createSandboxVitePlugin;
