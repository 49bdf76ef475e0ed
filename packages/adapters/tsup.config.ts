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
  // The provider SDKs are optional peers loaded with `await import()`; they must stay imports.
  external: ['openai', '@anthropic-ai/sdk', '@google/genai', '@agenticgen/core'],
});
