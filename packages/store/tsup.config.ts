import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.base.ts';

export default defineConfig(
  packageBuild({
    entry: { index: 'src/index.ts', 'index.node': 'src/index.node.ts', testing: 'src/testing.ts' },
    removeNodeProtocol: false,
    // The database libraries are optional peers loaded lazily; vitest is the test runner of the contract suite.
    external: [/^node:/, '@agenticgen/core', '@electric-sql/pglite', 'pg', 'vitest'],
  }),
);
