import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.base.ts';

export default defineConfig(
  packageBuild({
    entry: { index: 'src/index.ts', 'index.node': 'src/index.node.ts', testing: 'src/testing.ts' },
    removeNodeProtocol: false,
    // Node built-ins and the optional Redis peer stay imports; the node entry is the only one that reaches them.
    // vitest is the test runner of the driver contract suite (the testing entry).
    external: [/^node:/, 'ioredis', '@agenticgen/core', 'quick-lru', 'idb-keyval', 'vitest'],
  }),
);
