import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.base.ts';

export default defineConfig(
  packageBuild({
    entry: { index: 'src/index.ts' },
    // Classes keep their names: esbuild renames a self-referencing class (`_AgenticGenError`), which is what
    // `console.log(error)` and stack traces would print.
    keepNames: true,
    // The provider SDKs are optional peers loaded with `await import()`; they must stay imports.
    external: ['openai', '@anthropic-ai/sdk', '@google/genai', '@agenticgen/core'],
  }),
);
