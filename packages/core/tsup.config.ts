import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.base.ts';

export default defineConfig(
  packageBuild({
    entry: {
      index: 'src/index.ts',
      testing: 'src/testing/index.ts',
      'redis-queue': 'src/redis-queue.ts',
      ui: 'src/ui/index.ts',
      internal: 'src/internal/index.ts',
    },
    // Classes keep their names: esbuild renames a self-referencing class (`_AgenticGenError`), which is what
    // `console.log(error)` and stack traces would print.
    keepNames: true,
  }),
);
