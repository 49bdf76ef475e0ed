import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { defineConfig } from 'tsup';

/** `import text from './x.py?raw'` (what Vite and Vitest read natively): the file's text, inlined. */
const rawText = {
  name: 'raw-text',
  setup(build: {
    onResolve(options: { filter: RegExp }, callback: (args: { path: string; resolveDir: string }) => object): void;
    onLoad(options: { filter: RegExp; namespace: string }, callback: (args: { path: string }) => Promise<object>): void;
  }) {
    build.onResolve({ filter: /\?raw$/ }, (args) => ({
      path: resolve(args.resolveDir, args.path.replace(/\?raw$/, '')),
      namespace: 'raw-text',
    }));
    build.onLoad({ filter: /.*/, namespace: 'raw-text' }, async (args) => ({
      contents: await readFile(args.path, 'utf8'),
      loader: 'text',
    }));
  },
};

export default defineConfig([
  {
    // testing: the attack suite (imports vitest, an optional peer).
    entry: { index: 'src/index.ts', 'index.node': 'src/index.node.ts', testing: 'src/testing/index.ts' },
    format: ['esm'],
    dts: true,
    sourcemap: true,
    clean: false,
    target: 'es2023',
    platform: 'neutral',
    treeshake: true,
    external: [/^node:/, '@agenticgen/core', 'pyodide'],
    esbuildPlugins: [rawText],
  },
  {
    // The Vite plugin (`@agenticgen/sandbox/vite`): runs in the build tool, in Node.
    entry: { vite: 'src/vite/index.ts' },
    format: ['esm'],
    dts: true,
    sourcemap: true,
    clean: false,
    target: 'es2023',
    platform: 'node',
    external: [/^node:/, 'vite', 'pyodide'],
  },
  {
    // Entries of the sandbox child process and its worker threads: self-contained files next to index.node.js,
    // found with `new URL('./supervisor.js' | './worker.js', import.meta.url)`.
    entry: { supervisor: 'src/node/supervisor.ts', worker: 'src/node/worker.ts' },
    format: ['esm'],
    dts: false,
    sourcemap: true,
    clean: false,
    target: 'es2023',
    platform: 'node',
    treeshake: true,
    external: [/^node:/],
  },
]);
