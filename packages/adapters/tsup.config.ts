import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { index: 'src/index.ts' },
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
  // The provider SDKs are optional peers loaded with `await import()`; they must stay imports.
  external: ['openai', '@anthropic-ai/sdk', '@google/genai', '@agenticgen/core'],
});
