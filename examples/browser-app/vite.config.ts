import { createReadStream, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { defineConfig, type Plugin } from 'vite';

/**
 * Cross-origin isolation: SharedArrayBuffer (the sandbox's interrupt buffer) only exists on an isolated page.
 * Any static host works as long as it sends these three headers.
 */
export const crossOriginIsolationHeaders = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

/** The files @agenticgen/sandbox asks for (see `BrowserSandboxOptions.indexURL` in docs/sandbox). */
const pyodideFiles = ['pyodide.asm.wasm', 'python_stdlib.zip', 'pyodide-lock.json', 'pyodide.mjs', 'pyodide.asm.mjs'];

const pyodideDirectory = dirname(createRequire(import.meta.url).resolve('pyodide/package.json'));

const contentTypes: Record<string, string> = {
  wasm: 'application/wasm',
  zip: 'application/zip',
  json: 'application/json',
  mjs: 'text/javascript',
};

/**
 * Serves Pyodide's files under `<base>/pyodide/` from node_modules, unchanged: in dev from a middleware, in the
 * build as assets with fixed names. They are fetched by the page and handed to the sandbox as bytes, so Vite
 * must neither transform nor hash them.
 */
function servePyodide(): Plugin {
  return {
    name: 'agenticgen-serve-pyodide',
    configureServer(server) {
      server.middlewares.use((request, response, next) => {
        const name = /\/pyodide\/([^/?#]+)(?:[?#].*)?$/.exec(request.url ?? '')?.[1];
        if (name === undefined || !pyodideFiles.includes(name)) return next();
        response.setHeader('Content-Type', contentTypes[name.split('.').pop() ?? ''] ?? 'application/octet-stream');
        for (const [header, value] of Object.entries(crossOriginIsolationHeaders)) response.setHeader(header, value);
        createReadStream(join(pyodideDirectory, name)).pipe(response);
      });
    },
    generateBundle() {
      for (const name of pyodideFiles) {
        this.emitFile({
          type: 'asset',
          fileName: `pyodide/${name}`,
          source: readFileSync(join(pyodideDirectory, name)),
        });
      }
    },
  };
}

export default defineConfig({
  // Relative asset URLs: the built app works from any folder of a static host.
  base: './',
  plugins: [servePyodide()],
  server: { headers: crossOriginIsolationHeaders },
  preview: { headers: crossOriginIsolationHeaders },
  build: { target: 'es2023', chunkSizeWarningLimit: 1500 },
});
