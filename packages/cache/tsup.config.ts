import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.base.ts';

export default defineConfig(
  packageBuild({
    entry: { index: 'src/index.ts', 'index.node': 'src/index.node.ts' },
    removeNodeProtocol: false,
    // Node built-ins and the optional Redis peer stay imports; the node entry is the only one that reaches them.
    external: [/^node:/, 'ioredis', '@agenticgen/core', 'quick-lru', 'idb-keyval'],
  }),
);
