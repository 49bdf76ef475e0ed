import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { index: 'src/index.ts', 'index.node': 'src/index.node.ts', testing: 'src/testing.ts' },
  format: ['esm'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'es2023',
  platform: 'neutral',
  treeshake: true,
  removeNodeProtocol: false,
  // Node built-ins and the optional Redis peer stay imports; the node entry is the only one that reaches them.
  // vitest is the test runner of the driver contract suite (the testing entry).
  external: [/^node:/, 'ioredis', '@agenticgen/core', 'quick-lru', 'idb-keyval', 'vitest'],
});
