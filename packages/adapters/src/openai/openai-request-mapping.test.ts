import { describe, expect, it } from 'vitest';
import { serverLog, uniqueKey } from '../testing/contract-suite.js';
import { browserOptIn, fakeServerUrls } from '../testing/fake-server-urls.js';
import { pngBase64, richRequest } from '../testing/rich-request.js';
import { createOpenAIChatModel, createOpenAICompatibleChatModel, createOpenAIResponsesChatModel } from './index.js';

const urls = fakeServerUrls();
const connection = { apiKey: 'sk-test', baseURL: `${urls.openai}/v1`, ...browserOptIn };

describe('OpenAI request mapping on the wire', () => {
  it('Chat Completions: messages, images, tool history, strict tools, tool choice, sampling, headers', async () => {
    const key = uniqueKey();
    await createOpenAIChatModel({ modelId: `gpt-4.1-mini~text~${key}`, ...connection }).generate({
      ...richRequest,
      stopSequences: ['END'],
      providerOptions: { openai: { user: 'user-42' } },
    });
    const log = await serverLog(urls.openai, key);
    const body = log.bodies[0] as Record<string, unknown>;
    expect(body.messages).toEqual([
      { role: 'system', content: 'You are a weather bot.' },
      {
        role: 'user',
        content: [
          { type: 'text', text: 'What is in this picture, and the weather in Paris?' },
          { type: 'image_url', image_url: { url: `data:image/png;base64,${pngBase64}` } },
          { type: 'image_url', image_url: { url: 'https://example.com/cat.jpg' } },
        ],
      },
      {
        role: 'assistant',
        content: 'Checking.',
        tool_calls: [
          { id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
        ],
      },
      { role: 'tool', tool_call_id: 'call_1', content: '{"celsius":21}' },
    ]);
    expect(body.tools).toEqual([
      {
        type: 'function',
        function: {
          name: 'get_weather',
          description: 'Weather for a city',
          // Strict mode: every property required, optional ones nullable.
          parameters: {
            type: 'object',
            properties: { city: { type: 'string' }, unit: { type: ['string', 'null'], enum: ['c', 'f', null] } },
            required: ['city', 'unit'],
            additionalProperties: false,
          },
          strict: true,
        },
      },
    ]);
    expect(body).toMatchObject({
      model: `gpt-4.1-mini~text~${key}`,
      tool_choice: { type: 'function', function: { name: 'get_weather' } },
      parallel_tool_calls: false,
      temperature: 0.2,
      top_p: 0.9,
      max_completion_tokens: 256,
      seed: 7,
      stop: ['END'],
      user: 'user-42',
    });
    expect(body.stream).toBeUndefined();
    expect(log.headers[0]?.['x-trace-id']).toBe('trace-123');
    expect(log.headers[0]?.authorization).toBe('Bearer sk-test');
  });

  it('Chat Completions: JSON schema output and stream options', async () => {
    const key = uniqueKey();
    const model = createOpenAIChatModel({ modelId: `gpt-4.1-mini~json~${key}`, ...connection });
    for await (const _ of model.stream({
      messages: [{ role: 'user', content: 'Who?' }],
      responseFormat: {
        type: 'json',
        name: 'person',
        schema: { type: 'object', properties: { name: { type: 'string' } } },
      },
    })) {
      // drain
    }
    const body = (await serverLog(urls.openai, key)).bodies[0] as Record<string, unknown>;
    expect(body.stream).toBe(true);
    expect(body.stream_options).toEqual({ include_usage: true });
    expect(body.response_format).toEqual({
      type: 'json_schema',
      json_schema: {
        name: 'person',
        schema: {
          type: 'object',
          properties: { name: { type: ['string', 'null'] } },
          required: ['name'],
          additionalProperties: false,
        },
        strict: true,
      },
    });
  });

  it('OpenAI-compatible: max_tokens and plain JSON schema, no key needed', async () => {
    const key = uniqueKey();
    await createOpenAICompatibleChatModel({
      modelId: `llama3.2~text~${key}`,
      baseURL: `${urls.openai}/v1`,
      ...browserOptIn,
    }).generate({
      messages: [{ role: 'user', content: 'Hi' }],
      maxOutputTokens: 64,
      responseFormat: { type: 'json', schema: { type: 'object', properties: { a: { type: 'number' } } } },
    });
    const body = (await serverLog(urls.openai, key)).bodies[0] as Record<string, unknown>;
    expect(body.max_tokens).toBe(64);
    expect(body.max_completion_tokens).toBeUndefined();
    expect(body.response_format).toEqual({
      type: 'json_schema',
      json_schema: {
        name: 'response',
        schema: { type: 'object', properties: { a: { type: 'number' } } },
        strict: false,
      },
    });
  });

  it('Responses API: instructions, input items, function tools, tool choice, text format', async () => {
    const key = uniqueKey();
    await createOpenAIResponsesChatModel({ modelId: `gpt-4.1-mini~text~${key}`, ...connection }).generate({
      ...richRequest,
      responseFormat: {
        type: 'json',
        name: 'answer',
        schema: { type: 'object', properties: { ok: { type: 'boolean' } } },
      },
    });
    const body = (await serverLog(urls.openai, key)).bodies[0] as Record<string, unknown>;
    expect(body.instructions).toBe('You are a weather bot.');
    expect(body.input).toEqual([
      {
        role: 'user',
        content: [
          { type: 'input_text', text: 'What is in this picture, and the weather in Paris?' },
          { type: 'input_image', image_url: `data:image/png;base64,${pngBase64}`, detail: 'auto' },
          { type: 'input_image', image_url: 'https://example.com/cat.jpg', detail: 'auto' },
        ],
      },
      { role: 'assistant', content: 'Checking.' },
      { type: 'function_call', call_id: 'call_1', name: 'get_weather', arguments: '{"city":"Paris"}' },
      { type: 'function_call_output', call_id: 'call_1', output: '{"celsius":21}' },
    ]);
    expect(body.tools).toMatchObject([{ type: 'function', name: 'get_weather', strict: true }]);
    expect(body).toMatchObject({
      tool_choice: { type: 'function', name: 'get_weather' },
      parallel_tool_calls: false,
      max_output_tokens: 256,
      text: { format: { type: 'json_schema', name: 'answer', strict: true } },
    });
  });

  it('Responses API: rejects stop sequences with unsupported instead of ignoring them', async () => {
    const model = createOpenAIResponsesChatModel({ modelId: `gpt-4.1-mini~text~${uniqueKey()}`, ...connection });
    await expect(
      model.generate({ messages: [{ role: 'user', content: 'x' }], stopSequences: ['.'] }),
    ).rejects.toMatchObject({
      code: 'unsupported',
    });
  });
});
