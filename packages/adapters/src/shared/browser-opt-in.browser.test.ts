import { describe, expect, it } from 'vitest';
import { createAnthropicChatModel } from '../anthropic/index.js';
import { createOpenAIChatModel } from '../openai/index.js';
import { ask, rejection, serverLog, uniqueKey } from '../testing/contract-suite.js';
import { fakeServerUrls } from '../testing/fake-server-urls.js';

const urls = fakeServerUrls();

describe('browser opt-in', () => {
  it('refuses to send a key from the page without dangerouslyAllowBrowser, before any request', async () => {
    const key = uniqueKey();
    const openai = createOpenAIChatModel({
      modelId: `gpt-4.1-mini~text~${key}`,
      apiKey: 'sk-test',
      baseURL: `${urls.openai}/v1`,
    });
    const error = await rejection(openai.generate(ask));
    expect(error.code).toBe('invalid-config');
    expect(error.message).toContain('dangerouslyAllowBrowser');
    const anthropic = createAnthropicChatModel({
      modelId: `claude-sonnet-4-0~text~${key}`,
      apiKey: 'sk-ant',
      baseURL: urls.anthropic,
    });
    expect((await rejection(anthropic.generate(ask))).code).toBe('invalid-config');
    expect((await serverLog(urls.openai, key)).requests).toBe(0);
    expect((await serverLog(urls.anthropic, key)).requests).toBe(0);
  });

  it('works through a proxy base URL with a placeholder key once opted in', async () => {
    const key = uniqueKey();
    const model = createOpenAIChatModel({
      modelId: `gpt-4.1-mini~text~${key}`,
      apiKey: 'proxy',
      baseURL: `${urls.openai}/v1`,
      dangerouslyAllowBrowser: true,
    });
    expect((await model.generate(ask)).text).toContain('Hello');
    expect((await serverLog(urls.openai, key)).headers[0]?.authorization).toBe('Bearer proxy');
  });
});
