import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.base.ts';

export default defineConfig(
  packageBuild({
    // One entry per provider: only `openai`, `anthropic` and `gemini` name their optional SDK (see src/index.ts).
    entry: {
      index: 'src/index.ts',
      openai: 'src/openai/index.ts',
      anthropic: 'src/anthropic/index.ts',
      gemini: 'src/gemini/index.ts',
      // The contract suites (vitest) and the fake provider servers (Node) for adapters written elsewhere.
      testing: 'src/testing/index.ts',
      'testing-fake-servers': 'src/testing/fake-servers/index.ts',
    },
    // The fake servers import each other with `.ts` specifiers (they also run directly under Node).
    dts: { compilerOptions: { allowImportingTsExtensions: true } },
    removeNodeProtocol: false,
    // Classes keep their names: esbuild renames a self-referencing class (`_AgenticGenError`), which is what
    // `console.log(error)` and stack traces would print.
    keepNames: true,
    // The provider SDKs are optional peers loaded with `await import()` by their provider entry; they stay imports.
    external: ['openai', '@anthropic-ai/sdk', '@google/genai', '@agenticgen/core', 'vitest', /^node:/],
  }),
);
