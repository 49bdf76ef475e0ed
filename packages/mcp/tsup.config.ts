import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { index: 'src/index.ts', 'index.node': 'src/index.node.ts', bin: 'src/node/bin.ts' },
  format: ['esm'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'es2023',
  platform: 'neutral',
  treeshake: true,
  removeNodeProtocol: false,
  // The SDK stays a dependency (its subpaths are imports); Node built-ins are reached only from the node entry.
  external: [/^node:/, /^@modelcontextprotocol\/sdk/, '@agenticgen/core'],
});
