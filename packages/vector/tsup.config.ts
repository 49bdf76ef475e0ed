import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.base.ts';

export default defineConfig(
  packageBuild({
    // index: the browser-safe entry (browser/default conditions); index.node: adds LanceDB and files (node).
    entry: { index: 'src/index.ts', 'index.node': 'src/index.node.ts', testing: 'src/testing/index.ts' },
    // Peers load lazily at run time and never get bundled; Node built-ins only appear in the node entry.
    external: ['@agenticgen/core', '@lancedb/lancedb', 'apache-arrow', '@huggingface/transformers', /^node:/, 'vitest'],
  }),
);
