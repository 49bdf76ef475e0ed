import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.base.ts';

const typedEntries = { index: 'src/index.ts', 'index.node': 'src/index.node.ts', testing: 'src/testing/index.ts' };

export default defineConfig(
  packageBuild({
    // index: the browser-safe entry (browser/default conditions); index.node: adds LanceDB and files (node).
    // hnsw-build-*: the worker entries `buildHnswIndex` starts by default (next to the entries that load them).
    entry: {
      ...typedEntries,
      'hnsw-build-thread': 'src/node/hnsw-build-thread.ts',
      'hnsw-build-web-worker': 'src/browser/hnsw-build-web-worker.ts',
    },
    // Declarations for the importable entries only: rolling the worker entries' (empty) declarations up
    // with them widened `vectorErrorCodes` to `ErrorCodeTable` in the shared declaration chunk.
    dts: { entry: typedEntries },
    // Peers load lazily at run time and never get bundled; Node built-ins only appear in the node entry.
    external: ['@agenticgen/core', '@lancedb/lancedb', 'apache-arrow', '@huggingface/transformers', /^node:/, 'vitest'],
  }),
);
