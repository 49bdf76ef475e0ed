import { defineConfig } from 'tsup';

export default defineConfig({
  // index: the browser-safe entry (browser/default conditions); index.node: adds LanceDB and files (node).
  entry: { index: 'src/index.ts', 'index.node': 'src/index.node.ts', testing: 'src/testing/index.ts' },
  format: ['esm'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'es2023',
  platform: 'neutral',
  treeshake: true,
  // Peers load lazily at run time and never get bundled; Node built-ins only appear in the node entry. vitest is
  // the test runner of the contract suite (the testing entry).
  external: ['@agenticgen/core', '@lancedb/lancedb', 'apache-arrow', '@huggingface/transformers', /^node:/, 'vitest'],
});
