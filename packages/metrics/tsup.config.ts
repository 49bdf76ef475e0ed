import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.base.ts';

export default defineConfig(
  packageBuild({
    entry: { index: 'src/index.ts', 'index.node': 'src/index.node.ts' },
    external: ['@agenticgen/core', '@opentelemetry/api', /^node:/],
    // Keep `node:zlib` as written: the prefix marks Node built-ins unambiguously for bundlers and Deno.
    removeNodeProtocol: false,
  }),
);
