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
  // The database libraries are optional peers loaded lazily; vitest is the test runner of the contract suite.
  external: [/^node:/, '@agenticgen/core', '@electric-sql/pglite', 'pg', 'vitest'],
});
