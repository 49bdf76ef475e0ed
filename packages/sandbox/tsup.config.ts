import { defineConfig } from 'tsup';

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
