import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serverLog, uniqueKey } from '../../../packages/adapters/src/testing/contract-suite.ts';
import { scriptFakeServer } from '../../../packages/adapters/src/testing/fake-server-script.ts';
import { fakeServerUrls } from '../../../packages/adapters/src/testing/fake-server-urls.ts';
import { askAboutBees, readSse, startTestServer, type TestServer } from './harness.ts';

/**
 * Anthropic and Gemini chosen from the environment, end to end: the server's agent talks through the official
 * SDKs (`@anthropic-ai/sdk`, `@google/genai`) to the adapters package's fake provider servers, which speak each
 * provider's wire protocol (Messages SSE events; Gemini's streamGenerateContent chunks) and answer from a script:
 * first a `search_knowledge` tool call, then a streamed answer.
 */
const urls = fakeServerUrls();

const providers = [
  {
    name: 'Anthropic',
    provider: 'anthropic',
    model: 'claude-sonnet-4-0',
    environment: (modelId: string) => ({
      ANTHROPIC_API_KEY: 'sk-ant-test',
      ANTHROPIC_BASE_URL: urls.anthropic,
      AGENTICGEN_MODEL: modelId,
    }),
    serverUrl: () => urls.anthropic,
    /** The tool result as the second request carries it: a `tool_result` block answering `toolu_1`. */
    toolResultOf: (body: Record<string, unknown>) =>
      (body.messages as Array<{ content: unknown }>)
        .flatMap((message) => (Array.isArray(message.content) ? message.content : []))
        .find((block: { type?: string }) => block.type === 'tool_result'),
    expectedToolResult: { type: 'tool_result', tool_use_id: 'toolu_1' },
  },
  {
    name: 'Gemini',
    provider: 'gemini',
    model: 'gemini-2.5-flash',
    environment: (modelId: string) => ({
      GEMINI_API_KEY: 'gemini-test',
      GEMINI_BASE_URL: urls.gemini,
      AGENTICGEN_MODEL: modelId,
    }),
    serverUrl: () => urls.gemini,
    /** The tool result as the second request carries it: a `functionResponse` part for the call. */
    toolResultOf: (body: Record<string, unknown>) =>
      (body.contents as Array<{ parts?: Array<{ functionResponse?: unknown }> }>)
        .flatMap((content) => content.parts ?? [])
        .find((part) => part.functionResponse !== undefined),
    expectedToolResult: { functionResponse: { name: 'search_knowledge' } },
  },
];

describe.each(providers)('$name chosen from the environment', (target) => {
  const { provider, model, environment, serverUrl } = target;
  const key = uniqueKey();
  const modelId = `${model}~scripted~${key}`;
  let server: TestServer;
  beforeAll(async () => {
    await scriptFakeServer(serverUrl(), key, [
      {
        text: ['Let me look that up.'],
        toolCalls: [{ id: 'toolu_1', name: 'search_knowledge', arguments: JSON.stringify({ query: 'bee dance' }) }],
      },
      { text: ['Bees share it ', 'with a waggle dance.'] },
    ]);
    server = await startTestServer({ environment: environment(modelId) });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('labels the provider model instead of the demo model', async () => {
    const info = (await (await fetch(`${server.url}/api/info`)).json()) as { model: Record<string, unknown> };
    expect(info.model).toMatchObject({ offlineDemo: false, provider, modelId });
    expect(String(info.model.label)).toContain(serverUrl());
  });

  it('streams a chat over SSE: the SDK’s streamed tool call runs search_knowledge, then the answer streams', async () => {
    const response = await askAboutBees(server, { accept: 'text/event-stream' });
    expect(response.status).toBe(200);
    const events = await readSse(response);
    const call = events.find((event) => event.event === 'tool-call');
    expect(call?.data).toMatchObject({ toolName: 'search_knowledge', input: { query: 'bee dance' } });
    const result = events.find((event) => event.event === 'tool-result');
    expect(JSON.stringify(result?.data)).toContain('waggle dance');
    const text = events
      .filter((event) => event.event === 'text-delta')
      .map((event) => event.data.delta)
      .join('');
    expect(text).toBe('Let me look that up.Bees share it with a waggle dance.');
    expect(events.at(-1)?.event).toBe('run-finish');
    const bodies = (await serverLog(serverUrl(), key)).bodies;
    expect(bodies).toHaveLength(2);
    const toolResult = target.toolResultOf(bodies[1] as Record<string, unknown>);
    expect(toolResult).toMatchObject(target.expectedToolResult);
    expect(JSON.stringify(toolResult)).toContain('waggle dance');
  });
});
