import { AgenticGenError } from '@agenticgen/core';
import { describe, expect, it } from 'vitest';
import { createAnthropicChatModel } from '../anthropic/index.js';
import { createGeminiChatModel } from '../gemini/index.js';
import { createOpenAIChatModel } from '../openai/index.js';
import { uniqueKey } from '../testing/contract-suite.js';
import { browserOptIn, fakeServerUrls } from '../testing/fake-server-urls.js';
import { createScriptedModel, textResponse } from '../testing/scripted-model.js';
import { compareModels } from './compare-models.js';

describe('compareModels', () => {
  it('compares real adapters against the fake servers and renders a table and JSON', async () => {
    const urls = fakeServerUrls();
    const key = uniqueKey();
    const comparison = await compareModels({
      models: {
        'gpt-4.1-mini': createOpenAIChatModel({
          modelId: `gpt-4.1-mini~text~${key}`,
          apiKey: 'k',
          baseURL: `${urls.openai}/v1`,
          ...browserOptIn,
        }),
        claude: createAnthropicChatModel({
          modelId: `claude-sonnet-4-0~text~${key}`,
          apiKey: 'k',
          baseURL: urls.anthropic,
          ...browserOptIn,
        }),
        gemini: createGeminiChatModel({
          modelId: `gemini-2.5-flash~unauthorized~${key}`,
          apiKey: 'k',
          baseURL: urls.gemini,
        }),
      },
      prompt: 'Say hello.',
      request: { temperature: 0 },
    });
    const [openai, claude, gemini] = comparison.results;
    expect(openai).toMatchObject({
      model: 'gpt-4.1-mini',
      provider: 'openai',
      modelId: 'gpt-4.1-mini',
      output: 'Hello, wörld! 👋 Streaming works.',
    });
    expect(openai?.inputTokens).toBe(12);
    expect(openai?.outputTokens).toBe(7);
    expect(openai?.costUsd).toBeGreaterThan(0);
    expect(openai?.ttftMs).toBeGreaterThanOrEqual(0);
    expect(openai?.latencyMs).toBeGreaterThanOrEqual(openai?.ttftMs ?? 0);
    expect(claude?.output).toBe('Hello, wörld! 👋 Streaming works.');
    expect(gemini?.error?.code).toBe('authentication');
    expect(gemini?.output).toBe('');
    const markdown = comparison.toMarkdown();
    const lines = markdown.split('\n');
    expect(lines[0]).toBe(
      '| Model | TTFT (ms) | Latency (ms) | Tokens in | Tokens out | Cost (USD) | Output | Error |',
    );
    expect(lines).toHaveLength(5);
    expect(lines[4]).toMatch(/^\| gemini \| – \| [\d.]+ \| – \| – \| – \| {2}\| authentication: /);
    expect(JSON.parse(JSON.stringify(comparison))).toEqual({ results: comparison.results });
  });

  it('measures with the injected clock and escapes table cells', async () => {
    let time = 0;
    const model = createScriptedModel({
      modelId: 'scripted',
      answer: () => {
        time += 40;
        return textResponse('a | b\nnext line', 'scripted');
      },
    });
    const comparison = await compareModels({
      models: [model],
      messages: [{ role: 'user', content: 'x' }],
      now: () => time,
    });
    expect(comparison.results[0]).toMatchObject({
      model: 'scripted:scripted',
      ttftMs: 40,
      latencyMs: 40,
      inputTokens: 10,
    });
    expect(comparison.toMarkdown()).toContain('| a \\| b next line |');
    expect(comparison.toMarkdown({ maxOutputCharacters: 3 })).toContain('| a … |');
    // The deprecated `maxOutputChars` still works; the new name wins when both are given.
    expect(comparison.toMarkdown({ maxOutputChars: 3 })).toContain('| a … |');
    expect(comparison.toMarkdown({ maxOutputChars: 3, maxOutputCharacters: 80 })).toContain('| a \\| b next line |');
  });

  it('rejects a comparison without a prompt or models', async () => {
    await expect(compareModels({ models: [], prompt: 'x' })).rejects.toSatisfy((error) =>
      AgenticGenError.hasCode(error, 'invalid-argument'),
    );
    await expect(compareModels({ models: {} })).rejects.toSatisfy((error) =>
      AgenticGenError.hasCode(error, 'invalid-argument'),
    );
  });
});
