import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { index: 'src/index.ts', 'index.node': 'src/index.node.ts' },
  format: ['esm'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'es2023',
  platform: 'neutral',
  treeshake: true,
  external: ['@agenticgen/core', '@opentelemetry/api', /^node:/],
  // Keep `node:zlib` as written: the prefix marks Node built-ins unambiguously for bundlers and Deno.
  removeNodeProtocol: false,
});
