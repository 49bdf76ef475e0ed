import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { ChatModel } from '@agenticgen/core';
import { describe, expect, it } from 'vitest';
import { createAnthropicModel } from '../anthropic/index.js';
import { createGeminiModel } from '../gemini/index.js';
import { createOpenAIChatModel, createOpenAIResponsesModel } from '../openai/index.js';
import { ask, uniqueKey } from '../testing/contract-suite.js';
import { fakeServerUrls } from '../testing/fake-server-urls.js';

const urls = fakeServerUrls();
const chunks = 100_000;

// A forced collection makes "retained" measurable; the flag can be set at run time.
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;
const retainedHeap = () => {
  collectGarbage();
  return process.memoryUsage().heapUsed;
};

/**
 * Streaming must not retain what it already delivered: the fake server sends 100,000 chunks (15–25 MB on
 * the wire) and the heap that survives a full collection must not grow between the 10,000th and the
 * 100,000th chunk (retaining each chunk would add tens of megabytes). Side-by-side figures live in bench/.
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
        createOpenAIResponsesModel({
          modelId: `gpt-4.1-mini~many-${chunks}~${key}`,
          apiKey: 'k',
          baseURL: `${urls.openai}/v1`,
        }),
    ],
    [
      'anthropic',
      (key) =>
        createAnthropicModel({
          modelId: `claude-sonnet-4-0~many-${chunks}~${key}`,
          apiKey: 'k',
          baseURL: urls.anthropic,
        }),
    ],
    [
      'gemini',
      (key) =>
        createGeminiModel({ modelId: `gemini-2.5-flash~many-${chunks}~${key}`, apiKey: 'k', baseURL: urls.gemini }),
    ],
  ];
  for (const [name, create] of models) {
    it(`${name}: delivers every chunk with bounded heap`, async () => {
      const model = create(uniqueKey());
      let early = 0;
      let late = 0;
      let deltas = 0;
      let finish = false;
      for await (const part of model.stream(ask)) {
        if (part.type === 'text-delta') {
          deltas++;
          if (deltas === 10_000) early = retainedHeap();
          if (deltas === chunks - 1) late = retainedHeap();
        }
        if (part.type === 'finish') finish = true;
      }
      expect(deltas).toBe(chunks);
      expect(finish).toBe(true);
      const growthMb = (late - early) / 1024 / 1024;
      expect(growthMb).toBeLessThan(4);
    }, 120_000);
  }
});
