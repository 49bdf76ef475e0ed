import { createAgent } from '@agenticgen/core';
import { MockChatModel } from '@agenticgen/core/testing';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { createMcpClient, type McpClient, type McpTransportConfig } from '../index.js';

// The fixture server runs in Node (vitest global setup); in the browser project these calls leave Chromium.
const urls = inject('mcpFixtureUrls');
const clients: McpClient[] = [];
function connect(transport: McpTransportConfig): McpClient {
  const client = createMcpClient({ transport });
  clients.push(client);
  return client;
}
afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close()));
});

const transports: Array<[string, McpTransportConfig]> = [
  ['Streamable HTTP (stateful session)', { type: 'streamable-http', url: urls.streamable }],
  ['Streamable HTTP (stateless server)', { type: 'streamable-http', url: urls.stateless }],
  ['legacy HTTP+SSE', { type: 'sse', url: urls.sse }],
  [
    'Streamable HTTP with a bearer token',
    { type: 'streamable-http', url: urls.authenticated, bearerToken: 'fixture-token' },
  ],
];

describe.each(transports)('client over %s', (_label, transport) => {
  it('runs an agent that calls a served tool and a served agent', async () => {
    const client = connect(transport);
    const model = new MockChatModel({
      responses: [
        {
          toolCalls: [
            { toolName: 'add', input: { a: 20, b: 22 }, toolCallId: 'add' },
            { toolName: 'calculator', input: { input: 'sums?' }, toolCallId: 'agent' },
          ],
        },
        'done',
      ],
    });
    const agent = createAgent({ name: 'remote', instructions: '', model, tools: await client.tools() });
    const result = await agent.run('go');
    const calls = result.steps[0]?.toolCalls ?? [];
    expect(calls.find((call) => call.toolCallId === 'add')?.output).toBe('42');
    expect(calls.find((call) => call.toolCallId === 'agent')?.output).toBe('The sums are 3 and 7.');
  });
});

describe('client over HTTP: failures', () => {
  it('a missing bearer token fails the connect with mcp-connect-failed', async () => {
    const client = connect({ type: 'streamable-http', url: urls.authenticated });
    await expect(client.connect()).rejects.toMatchObject({ code: 'mcp-connect-failed' });
  });

  it('an unreachable server fails the connect with a retryable mcp-connect-failed', async () => {
    const client = connect({ type: 'streamable-http', url: 'http://127.0.0.1:9/mcp' });
    await expect(client.connect()).rejects.toMatchObject({ code: 'mcp-connect-failed', retryable: true });
  });
});
