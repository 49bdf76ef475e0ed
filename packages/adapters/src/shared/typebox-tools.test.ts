import { defineTool } from '@agenticgen/core';
import { Type } from '@sinclair/typebox';
import { describe, expect, it } from 'vitest';
import { createAnthropicChatModel } from '../anthropic/index.js';
import { createGeminiChatModel } from '../gemini/index.js';
import { createOpenAIChatModel } from '../openai/index.js';
import { serverLog, uniqueKey } from '../testing/contract-suite.js';
import { browserOptIn, fakeServerUrls } from '../testing/fake-server-urls.js';

const urls = fakeServerUrls();

const weather = defineTool({
  name: 'get_weather',
  description: 'Weather for a city',
  parameters: Type.Object({
    city: Type.String({ minLength: 1 }),
    unit: Type.Optional(Type.Union([Type.Literal('c'), Type.Literal('f')])),
  }),
  strict: true,
  execute: ({ city }) => ({ city, celsius: 21 }),
});

describe('TypeBox tools on the wire', () => {
  it('reach OpenAI as strict JSON Schema, Anthropic as JSON Schema and Gemini as plain JSON Schema (parametersJsonSchema)', async () => {
    const messages = [{ role: 'user' as const, content: 'Weather in Paris?' }];
    const openaiKey = uniqueKey();
    await createOpenAIChatModel({
      modelId: `gpt-4.1-mini~tools~${openaiKey}`,
      apiKey: 'k',
      baseURL: `${urls.openai}/v1`,
      ...browserOptIn,
    }).generate({
      messages,
      tools: [weather.toSpec()],
    });
    const openaiTool = (
      (await serverLog(urls.openai, openaiKey)).bodies[0] as { tools: Array<{ function: Record<string, unknown> }> }
    ).tools[0]?.function;
    expect(openaiTool?.strict).toBe(true);
    expect(openaiTool?.parameters).toMatchObject({
      type: 'object',
      required: ['city', 'unit'],
      additionalProperties: false,
      properties: { city: { type: 'string' } },
    });

    const anthropicKey = uniqueKey();
    await createAnthropicChatModel({
      modelId: `claude-sonnet-4-0~tools~${anthropicKey}`,
      apiKey: 'k',
      baseURL: urls.anthropic,
      ...browserOptIn,
    }).generate({
      messages,
      tools: [weather.toSpec('json-schema')],
    });
    const anthropicTool = (
      (await serverLog(urls.anthropic, anthropicKey)).bodies[0] as { tools: Array<Record<string, unknown>> }
    ).tools[0];
    expect(anthropicTool?.input_schema).toMatchObject({ type: 'object', required: ['city'] });

    const geminiKey = uniqueKey();
    const response = await createGeminiChatModel({
      modelId: `gemini-2.5-flash~tools~${geminiKey}`,
      apiKey: 'k',
      baseURL: urls.gemini,
    }).generate({
      messages,
      tools: [weather.toSpec('json-schema')],
    });
    const declaration = (
      (await serverLog(urls.gemini, geminiKey)).bodies[0] as {
        tools: Array<{ functionDeclarations: Array<Record<string, unknown>> }>;
      }
    ).tools[0]?.functionDeclarations[0];
    // Gemini takes JSON Schema unchanged in `parametersJsonSchema` (no OpenAPI-subset rewrite, no `parameters`).
    expect(declaration?.parameters).toBeUndefined();
    expect(declaration?.parametersJsonSchema).toMatchObject({
      type: 'object',
      required: ['city'],
      properties: { city: { type: 'string', minLength: 1 } },
    });
    // The model's arguments validate against the same TypeBox schema the tool declared.
    const call = response.toolCalls.find((candidate) => candidate.toolName === 'get_weather');
    expect(weather.validator.validate(call?.input).ok).toBe(true);
  });
});
