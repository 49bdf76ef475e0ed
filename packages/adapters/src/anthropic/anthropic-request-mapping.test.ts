import { describe, expect, it } from 'vitest';
import { serverLog, uniqueKey } from '../testing/contract-suite.js';
import { browserOptIn, fakeServerUrls } from '../testing/fake-server-urls.js';
import { pngBase64, richRequest } from '../testing/rich-request.js';
import { createAnthropicChatModel } from './index.js';

const urls = fakeServerUrls();

describe('Anthropic request mapping on the wire', () => {
  it('system, image sources, tool_use history, tool_result in a user turn, tool choice, sampling', async () => {
    const key = uniqueKey();
    const model = createAnthropicChatModel({
      modelId: `claude-sonnet-4-20250514~text~${key}`,
      apiKey: 'sk-ant-test',
      baseURL: urls.anthropic,
      ...browserOptIn,
    });
    await model.generate({
      ...richRequest,
      stopSequences: ['END'],
      responseFormat: { type: 'json', schema: { type: 'object' } },
    });
    const log = await serverLog(urls.anthropic, key);
    const body = log.bodies[0] as Record<string, unknown>;
    expect(body.system).toBe('You are a weather bot.');
    expect(body.messages).toEqual([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'What is in this picture, and the weather in Paris?' },
          { type: 'image', source: { type: 'base64', media_type: 'image/png', data: pngBase64 } },
          { type: 'image', source: { type: 'url', url: 'https://example.com/cat.jpg' } },
        ],
      },
      {
        role: 'assistant',
        content: [
          { type: 'text', text: 'Checking.' },
          { type: 'tool_use', id: 'call_1', name: 'get_weather', input: { city: 'Paris' } },
        ],
      },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'call_1', content: '{"celsius":21}' }] },
    ]);
    expect(body.tools).toMatchObject([{ name: 'get_weather', input_schema: { required: ['city'] } }]);
    expect(body).toMatchObject({
      max_tokens: 256,
      tool_choice: { type: 'tool', name: 'get_weather', disable_parallel_tool_use: true },
      temperature: 0.2,
      top_p: 0.9,
      stop_sequences: ['END'],
      output_config: { format: { type: 'json_schema', schema: { type: 'object' } } },
    });
    // SDK 1.x sends the key as a bearer token; older versions used x-api-key.
    const headers = log.headers[0] ?? {};
    expect(`${headers['x-api-key'] ?? ''} ${headers.authorization ?? ''}`).toContain('sk-ant-test');
    expect(log.headers[0]?.['anthropic-version']).toBeDefined();
    expect(log.headers[0]?.['x-trace-id']).toBe('trace-123');
  });

  it('sends a default max_tokens and signed thinking back unchanged', async () => {
    const key = uniqueKey();
    const model = createAnthropicChatModel({
      modelId: `claude-sonnet-4-20250514~text~${key}`,
      apiKey: 'sk-ant-test',
      baseURL: urls.anthropic,
      defaultMaxOutputTokens: 1000,
      ...browserOptIn,
    });
    await model.generate({
      messages: [
        { role: 'user', content: 'Think.' },
        {
          role: 'assistant',
          content: [
            { type: 'reasoning', text: 'hmm', signature: 'sig-1' },
            { type: 'reasoning', text: 'unsigned, dropped' },
            { type: 'text', text: 'Done.' },
          ],
        },
        { role: 'user', content: 'Again.' },
      ],
    });
    const body = (await serverLog(urls.anthropic, key)).bodies[0] as Record<string, unknown>;
    expect(body.max_tokens).toBe(1000);
    expect((body.messages as Array<{ content: unknown }>)[1]?.content).toEqual([
      { type: 'thinking', thinking: 'hmm', signature: 'sig-1' },
      { type: 'text', text: 'Done.' },
    ]);
  });

  it('keeps the thinking signature from a streamed answer', async () => {
    const model = createAnthropicChatModel({
      modelId: `claude-sonnet-4-20250514~reasoning~${uniqueKey()}`,
      apiKey: 'sk-ant-test',
      baseURL: urls.anthropic,
      ...browserOptIn,
    });
    const response = await model.generate({ messages: [{ role: 'user', content: 'Think.' }] });
    expect(response.content[0]).toEqual({ type: 'reasoning', text: 'Let me think.', signature: 'sig-fake' });
    const signatures: string[] = [];
    for await (const part of model.stream({ messages: [{ role: 'user', content: 'Think.' }] })) {
      if (part.type === 'reasoning-delta' && part.signature !== undefined) signatures.push(part.signature);
    }
    expect(signatures).toEqual(['sig-fake']);
  });
});
