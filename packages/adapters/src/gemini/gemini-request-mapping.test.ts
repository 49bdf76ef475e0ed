import { describe, expect, it } from 'vitest';
import { serverLog, uniqueKey } from '../testing/contract-suite.js';
import { fakeServerUrls } from '../testing/fake-server-urls.js';
import { pngBase64, richRequest } from '../testing/rich-request.js';
import { createGeminiChatModel } from './index.js';

const urls = fakeServerUrls();

/** A Gemini model on the fake server, answering by `scenario`; `key` tags its requests in the server's log. */
const fakeGemini = (scenario: string, key: string) =>
  createGeminiChatModel({
    modelId: `gemini-2.5-flash~${scenario}~${key}`,
    apiKey: 'gemini-test',
    baseURL: urls.gemini,
  });

describe('Gemini request mapping on the wire', () => {
  it('systemInstruction, inline and file images, function calls and responses, tool config, generation config', async () => {
    const key = uniqueKey();
    const model = fakeGemini('text', key);
    await model.generate({
      ...richRequest,
      stopSequences: ['END'],
      responseFormat: { type: 'json', schema: { type: 'object', properties: { ok: { type: 'boolean' } } } },
    });
    const log = await serverLog(urls.gemini, key);
    const body = log.bodies[0] as Record<string, unknown>;
    expect(body.systemInstruction).toMatchObject({ parts: [{ text: 'You are a weather bot.' }] });
    expect(body.contents).toEqual([
      {
        role: 'user',
        parts: [
          { text: 'What is in this picture, and the weather in Paris?' },
          { inlineData: { mimeType: 'image/png', data: pngBase64 } },
          { fileData: { fileUri: 'https://example.com/cat.jpg', mimeType: 'image/jpeg' } },
        ],
      },
      {
        role: 'model',
        parts: [
          { text: 'Checking.' },
          { functionCall: { id: 'call_1', name: 'get_weather', args: { city: 'Paris' } } },
        ],
      },
      {
        role: 'user',
        parts: [{ functionResponse: { id: 'call_1', name: 'get_weather', response: { output: { celsius: 21 } } } }],
      },
    ]);
    const declaration = (body.tools as Array<{ functionDeclarations: Array<Record<string, unknown>> }>)[0]
      ?.functionDeclarations[0];
    expect(declaration?.name).toBe('get_weather');
    // Plain JSON Schema goes in `parametersJsonSchema` (the SDK's JSON Schema field); no OpenAPI-subset rewrite.
    expect(declaration?.parametersJsonSchema).toEqual(richRequest.tools?.[0]?.parameters);
    expect(declaration).not.toHaveProperty('parameters');
    expect(body.toolConfig).toEqual({ functionCallingConfig: { mode: 'ANY', allowedFunctionNames: ['get_weather'] } });
    expect(body.generationConfig).toMatchObject({
      temperature: 0.2,
      topP: 0.9,
      maxOutputTokens: 256,
      seed: 7,
      stopSequences: ['END'],
      responseMimeType: 'application/json',
      responseJsonSchema: { type: 'object', properties: { ok: { type: 'boolean' } } },
    });
    expect(log.headers[0]?.['x-goog-api-key']).toBe('gemini-test');
    expect(log.headers[0]?.['x-trace-id']).toBe('trace-123');
  });

  it('round-trips id-less function calls without inventing ids on the wire', async () => {
    const key = uniqueKey();
    const model = fakeGemini('tools', key);
    const first = await model.generate({ messages: [{ role: 'user', content: 'Weather and time in Paris?' }] });
    expect(first.toolCalls.map((call) => call.toolName)).toEqual(['get_weather', 'get_time']);
    expect(new Set(first.toolCalls.map((call) => call.toolCallId)).size).toBe(2);
    await model.generate({
      messages: [
        { role: 'user', content: 'Weather and time in Paris?' },
        { role: 'assistant', content: first.toolCalls },
        {
          role: 'tool',
          content: first.toolCalls.map((call) => ({
            type: 'tool-result' as const,
            toolCallId: call.toolCallId,
            toolName: call.toolName,
            output: 'ok',
          })),
        },
      ],
    });
    const body = (await serverLog(urls.gemini, key)).bodies[1] as { contents: Array<{ parts: unknown[] }> };
    expect(body.contents[1]?.parts[0]).toEqual({ functionCall: { name: 'get_weather', args: { city: 'Paris' } } });
    expect(body.contents[2]?.parts[1]).toEqual({ functionResponse: { name: 'get_time', response: { output: 'ok' } } });
  });

  it('sends schemas the OpenAPI subset could not express (references, type unions) as they are', async () => {
    const key = uniqueKey();
    const model = fakeGemini('text', key);
    const tree = {
      type: 'object',
      properties: { root: { $ref: '#/$defs/node' }, label: { type: ['string', 'integer'] } },
      required: ['root'],
      $defs: { node: { type: 'object', properties: { children: { type: 'array', items: { $ref: '#/$defs/node' } } } } },
    };
    await model.generate({
      messages: [{ role: 'user', content: 'Draw a tree.' }],
      tools: [{ name: 'draw_tree', description: 'Draws a tree.', parameters: tree }],
    });
    const body = (await serverLog(urls.gemini, key)).bodies[0] as {
      tools: Array<{ functionDeclarations: Array<Record<string, unknown>> }>;
    };
    expect(body.tools[0]?.functionDeclarations[0]?.parametersJsonSchema).toEqual(tree);
  });

  it('leaves out a turn with nothing Gemini can take and merges the user turns around it', async () => {
    const key = uniqueKey();
    const model = fakeGemini('text', key);
    await model.generate({
      messages: [
        { role: 'user', content: 'First.' },
        // Unsigned reasoning and empty text are not sent back: this assistant turn has no parts.
        {
          role: 'assistant',
          content: [
            { type: 'reasoning', text: 'thinking' },
            { type: 'text', text: '' },
          ],
        },
        { role: 'user', content: 'Second.' },
      ],
    });
    const body = (await serverLog(urls.gemini, key)).bodies[0] as { contents: unknown };
    expect(body.contents).toEqual([{ role: 'user', parts: [{ text: 'First.' }, { text: 'Second.' }] }]);
  });
});
