import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeOpenAI } from './fake-openai.ts';
import { askAboutBees, startTestServer, type TestServer } from './harness.ts';

describe('a provider model chosen from the environment (OpenAI-compatible server)', () => {
  let fake: Awaited<ReturnType<typeof startFakeOpenAI>>;
  let server: TestServer;
  beforeAll(async () => {
    fake = await startFakeOpenAI();
    server = await startTestServer({
      environment: { OPENAI_BASE_URL: fake.baseURL, AGENTICGEN_MODEL: 'fake-llm' },
    });
  });
  afterAll(async () => {
    await server.close();
    await new Promise((resolve) => fake.server.close(resolve));
  });

  it('labels the provider model instead of the demo model', async () => {
    const info = (await (await fetch(`${server.url}/api/info`)).json()) as { model: Record<string, unknown> };
    expect(info.model).toMatchObject({
      offlineDemo: false,
      provider: 'openai-compatible',
      modelId: 'fake-llm',
      label: `OpenAI-compatible fake-llm at ${fake.baseURL}`,
    });
  });

  it('runs the tool loop through the official SDK: search_knowledge, then a streamed answer', async () => {
    const response = await askAboutBees(server);
    const body = (await response.json()) as { result: { text: string; steps: number; usage: { totalTokens: number } } };
    expect(body.result.steps).toBe(2);
    expect(body.result.text).toMatch(/^The fake LLM read: .*waggle/);
    expect(body.result.usage.totalTokens).toBe(60);
    const toolTurn = fake.requests.at(-1)?.messages.at(-1);
    expect(toolTurn?.role).toBe('tool');
  });

  it('compares the provider model with the demo model', async () => {
    const response = await server.api('/api/models/compare', { method: 'POST', json: { prompt: 'Say hello' } });
    expect(response.status).toBe(200);
    const body = (await response.json()) as {
      results: Array<{ model: string; output: string; latencyMs: number }>;
      markdown: string;
    };
    expect(body.results.map((result) => result.model)).toEqual([
      `OpenAI-compatible fake-llm at ${fake.baseURL}`,
      'offline demo model',
    ]);
    expect(body.results[0]?.output).toBe('Hello from the fake LLM.');
    expect(body.results.every((result) => result.latencyMs >= 0)).toBe(true);
    expect(body.markdown).toContain('fake-llm');
    const unknown = await server.api('/api/models/compare', {
      method: 'POST',
      json: { prompt: 'x', models: ['nope'] },
    });
    expect(unknown.status).toBe(400);
  });
});
