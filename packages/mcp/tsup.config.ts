import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.base.ts';

export default defineConfig(
  packageBuild({
    entry: { index: 'src/index.ts', 'index.node': 'src/index.node.ts', bin: 'src/node/bin.ts' },
    removeNodeProtocol: false,
    // The SDK stays a dependency (its subpaths are imports); Node built-ins are reached only from the node entry.
    external: [/^node:/, /^@modelcontextprotocol\/sdk/, '@agenticgen/core'],
  }),
);
