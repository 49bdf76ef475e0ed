import { defineConfig } from 'tsup';

export default defineConfig({
  entry: {
    index: 'src/index.ts',
    testing: 'src/testing/index.ts',
    'redis-queue': 'src/redis-queue.ts',
    ui: 'src/ui/index.ts',
    internal: 'src/internal/index.ts',
  },
  format: ['esm'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'es2023',
  platform: 'neutral',
  treeshake: true,
  // Classes keep their names: esbuild renames a self-referencing class (`_AgenticGenError`), which is what
  // `console.log(error)` and stack traces would print.
  keepNames: true,
});
