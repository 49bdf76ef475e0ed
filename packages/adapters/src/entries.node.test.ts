/**
 * The main entry must never make a bundler resolve an optional provider SDK (esbuild stops on an unresolvable
 * `import('openai')` even in code nobody calls); only the provider entries name theirs. The deprecated provider
 * factories of the main entry still work where the runtime resolves the SDK by name (here: Node).
 */
import { fileURLToPath } from 'node:url';
import type Anthropic from '@anthropic-ai/sdk';
import type { GoogleGenAI } from '@google/genai';
import { build, type Plugin } from 'esbuild';
import type OpenAI from 'openai';
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { AnthropicClient } from './anthropic/index.js';
import type { GeminiClient } from './gemini/index.js';
import type { OpenAIClient } from './openai/index.js';
import { fakeServerUrls } from './testing/fake-server-urls.js';

const providerSdks = /^(openai|@anthropic-ai\/sdk|@google\/genai)(\/|$)/;

/** Bundles `entry` (a file of src/) and returns every provider SDK its module graph names, with the importer. */
async function sdkImportsOf(entry: string): Promise<string[]> {
  const named: string[] = [];
  const recordBareImports: Plugin = {
    name: 'record-bare-imports',
    setup(build) {
      build.onResolve({ filter: /^[^./]/ }, (args) => {
        if (providerSdks.test(args.path)) named.push(`${args.path} from ${args.importer.split('/src/')[1]}`);
        return { path: args.path, external: true };
      });
    },
  };
  await build({
    entryPoints: [fileURLToPath(new URL(entry, import.meta.url))],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'neutral',
    logLevel: 'silent',
    plugins: [recordBareImports],
  });
  return named;
}

describe('adapters entries', () => {
  it('the main entry names no provider SDK, so bundling it never needs one installed', async () => {
    expect(await sdkImportsOf('./index.ts')).toEqual([]);
  });

  it('each provider entry names its own SDK and no other', async () => {
    expect(await sdkImportsOf('./openai/index.ts')).toEqual(['openai from openai/index.ts']);
    expect(await sdkImportsOf('./anthropic/index.ts')).toEqual(['@anthropic-ai/sdk from anthropic/index.ts']);
    expect(await sdkImportsOf('./gemini/index.ts')).toEqual(['@google/genai from gemini/index.ts']);
  });

  it('the structural client types take the SDK clients (checked by the typecheck)', () => {
    expectTypeOf<OpenAI>().toExtend<OpenAIClient>();
    expectTypeOf<Anthropic>().toExtend<AnthropicClient>();
    expectTypeOf<GoogleGenAI>().toExtend<GeminiClient>();
    expectTypeOf<{ chat: object }>().not.toExtend<OpenAIClient>();
  });

  it("the main entry's deprecated factories load the SDK by name and answer", async () => {
    const { createAnthropicModel, createGeminiModel, createOpenAIChatModel } = await import('./index.js');
    const urls = fakeServerUrls();
    const models = [
      createOpenAIChatModel({ modelId: 'gpt-4.1-mini', apiKey: 'sk-test', baseURL: `${urls.openai}/v1` }),
      createAnthropicModel({ modelId: 'claude-sonnet-4-20250514', apiKey: 'sk-test', baseURL: urls.anthropic }),
      createGeminiModel({ modelId: 'gemini-2.5-flash', apiKey: 'test', baseURL: urls.gemini }),
    ];
    for (const model of models) {
      const response = await model.generate({ messages: [{ role: 'user', content: 'Hello' }] });
      expect(response.text.length, model.provider).toBeGreaterThan(0);
    }
  });
});
