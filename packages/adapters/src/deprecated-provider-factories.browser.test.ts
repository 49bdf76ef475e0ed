import { AgenticGenError } from '@agenticgen/core';
import { describe, expect, it } from 'vitest';
import { createAnthropicModel, createGeminiModel, createOpenAIChatModel } from './index.js';
import { browserOptIn, fakeServerUrls } from './testing/fake-server-urls.js';

// The main entry's deprecated factories import the SDK by a name the bundler never sees, so in a bundled page
// the import fails; the error must say what to do instead (docs/adapters.md, "Entries").
describe("the main entry's deprecated provider factories in a bundled page", () => {
  it('fail with dependency-missing that names the provider entry to import', async () => {
    const urls = fakeServerUrls();
    const models = [
      [
        createOpenAIChatModel({
          modelId: 'gpt-4.1-mini',
          apiKey: 'sk-test',
          baseURL: `${urls.openai}/v1`,
          ...browserOptIn,
        }),
        'openai',
      ],
      [
        createAnthropicModel({
          modelId: 'claude-sonnet-4-20250514',
          apiKey: 'sk-test',
          baseURL: urls.anthropic,
          ...browserOptIn,
        }),
        'anthropic',
      ],
      [createGeminiModel({ modelId: 'gemini-2.5-flash', apiKey: 'test', baseURL: urls.gemini }), 'gemini'],
    ] as const;
    for (const [model, entry] of models) {
      const error = await model.generate({ messages: [{ role: 'user', content: 'Hello' }] }).catch((caught) => caught);
      expect(AgenticGenError.hasCode(error, 'dependency-missing'), entry).toBe(true);
      expect((error as Error).message).toContain(`"@agenticgen/adapters/${entry}"`);
    }
  });
});
