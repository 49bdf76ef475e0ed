import type { ToolSpec } from '@agenticgen/core';
import { describe, expect, it } from 'vitest';
import { ask, collectParts, uniqueKey } from '../testing/contract-suite.js';
import { scriptFakeServer } from '../testing/fake-server-script.js';
import { fakeServerUrls } from '../testing/fake-server-urls.js';
import { createGeminiChatModel } from './index.js';

const urls = fakeServerUrls();
const tools: ToolSpec[] = [
  { name: 'get_weather', description: 'Weather', parameters: { type: 'object', properties: {} } },
  { name: 'get_time', description: 'Time', parameters: { type: 'object', properties: {} } },
];

/** Gemini sends function calls without ids, after some text: the ids we make up must not depend on the API used. */
async function scriptedModel() {
  const key = uniqueKey();
  await scriptFakeServer(urls.gemini, key, [
    {
      text: ['Let me check ', 'both.'],
      toolCalls: [
        { id: 'ignored-by-gemini', name: 'get_weather', arguments: '{"city":"Paris"}' },
        { id: 'ignored-by-gemini', name: 'get_time', arguments: '{"timezone":"Europe/Paris"}' },
      ],
    },
  ]);
  return createGeminiChatModel({
    modelId: `gemini-2.5-flash~scripted~${key}`,
    apiKey: 'gemini-test',
    baseURL: urls.gemini,
  });
}

describe('Gemini tool-call ids', () => {
  it('are the same from stream and generate for the same answer', async () => {
    const generated = await (await scriptedModel()).generate({ ...ask, tools });
    const parts = await collectParts((await scriptedModel()).stream({ ...ask, tools }));
    const streamed = parts.flatMap((part) => (part.type === 'tool-call-end' ? [part.toolCallId] : []));
    expect(generated.text).toBe('Let me check both.');
    expect(generated.toolCalls.map((call) => call.toolCallId)).toEqual(streamed);
    expect(new Set(streamed).size).toBe(2);
  });
});
