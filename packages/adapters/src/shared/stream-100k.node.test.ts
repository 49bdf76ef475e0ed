import type { ChatModel } from '@agenticgen/core';
import { describe, expect, it } from 'vitest';
import { createAnthropicChatModel } from '../anthropic/index.js';
import { createGeminiChatModel } from '../gemini/index.js';
import { createOpenAIChatModel, createOpenAIResponsesChatModel } from '../openai/index.js';
import { ask, uniqueKey } from '../testing/contract-suite.js';
import { fakeServerUrls } from '../testing/fake-server-urls.js';

const urls = fakeServerUrls();
const chunks = 100_000;

/**
 * Every one of 100,000 chunks (15–25 MB on the wire) arrives, in order, with the finish. The heap retained while
 * streaming is a performance figure, measured side by side with the SDKs in bench/run.ts (`stream-100k-heap`).
 */
describe('100,000-chunk streams', () => {
  const models: Array<[string, (key: string) => ChatModel]> = [
    [
      'openai chat',
      (key) =>
        createOpenAIChatModel({
          modelId: `gpt-4.1-mini~many-${chunks}~${key}`,
          apiKey: 'k',
          baseURL: `${urls.openai}/v1`,
        }),
    ],
    [
      'openai responses',
      (key) =>
        createOpenAIResponsesChatModel({
          modelId: `gpt-4.1-mini~many-${chunks}~${key}`,
          apiKey: 'k',
          baseURL: `${urls.openai}/v1`,
        }),
    ],
    [
      'anthropic',
      (key) =>
        createAnthropicChatModel({
          modelId: `claude-sonnet-4-0~many-${chunks}~${key}`,
          apiKey: 'k',
          baseURL: urls.anthropic,
        }),
    ],
    [
      'gemini',
      (key) =>
        createGeminiChatModel({ modelId: `gemini-2.5-flash~many-${chunks}~${key}`, apiKey: 'k', baseURL: urls.gemini }),
    ],
  ];
  for (const [name, create] of models) {
    it(`${name}: delivers every chunk`, async () => {
      const model = create(uniqueKey());
      let deltas = 0;
      let finish = false;
      for await (const part of model.stream(ask)) {
        if (part.type === 'text-delta') deltas++;
        if (part.type === 'finish') finish = true;
      }
      expect(deltas).toBe(chunks);
      expect(finish).toBe(true);
    }, 120_000);
  }
});
