import { fileURLToPath } from 'node:url';
import { AgenticGenError, createAgent, executeTool } from '@agenticgen/core';
import { MockChatModel } from '@agenticgen/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { createMcpClient, type McpClient } from '../index.node.js';

const fixture = fileURLToPath(new URL('./fixtures/misbehaving-server.mjs', import.meta.url));
const clients: McpClient[] = [];

function connect(mode: string, timeoutMs = 60_000): McpClient {
  const client = createMcpClient({
    transport: { type: 'stdio', command: process.execPath, args: [fixture, mode], stderr: 'ignore' },
    timeoutMs,
  });
  clients.push(client);
  return client;
}

async function callWeather(client: McpClient, timeoutMs?: number) {
  const [tool] = await client.tools();
  if (tool === undefined) throw new Error('no tool');
  const options = timeoutMs === undefined ? { toolCallId: 'w' } : { toolCallId: 'w', timeoutMs };
  return executeTool(tool, { city: 'Oslo' }, options);
}

afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close()));
});

describe('client against misbehaving servers', () => {
  it('a server that never answers: timeout within the call time limit', async () => {
    const outcome = await callWeather(connect('silent'), 300);
    expect(outcome).toMatchObject({ ok: false, error: { code: 'timeout' } });
  });

  it("a server that never answers: the client's own request time limit applies too", async () => {
    const outcome = await callWeather(connect('silent', 300));
    expect(outcome).toMatchObject({ ok: false, error: { code: 'timeout' } });
  });

  it('a server that crashes mid-call: mcp-connection-closed, retryable, and the client can report it', async () => {
    const client = connect('crash');
    const disconnected = new Promise<AgenticGenError>((resolve) => client.onDisconnect(resolve));
    const outcome = await callWeather(client);
    expect(outcome).toMatchObject({ ok: false, error: { code: 'mcp-connection-closed' } });
    expect(outcome.ok === false && outcome.cause.retryable).toBe(true);
    expect((await disconnected).code).toBe('mcp-connection-closed');
    expect(client.connected).toBe(false);
  });

  it('a server that prints invalid JSON-RPC and never answers: a typed error within the time limit', async () => {
    const outcome = await callWeather(connect('garbage'), 300);
    expect(outcome).toMatchObject({ ok: false, error: { code: 'timeout' } });
  });

  it('a result of the wrong shape: mcp-protocol-error, without echoing the whole answer', async () => {
    const outcome = await callWeather(connect('malformed'));
    expect(outcome).toMatchObject({ ok: false, error: { code: 'mcp-protocol-error' } });
  });

  it('a result that fails its own outputSchema: mcp-invalid-result, and the agent keeps running', async () => {
    const client = connect('bad-output');
    const model = new MockChatModel({
      responses: [{ toolCalls: [{ toolName: 'weather', input: { city: 'Oslo' } }] }, 'Sorry, no weather today.'],
    });
    const agent = createAgent({ name: 'w', instructions: '', model, tools: await client.tools() });
    const result = await agent.run('weather?');
    expect(result.text).toBe('Sorry, no weather today.');
    expect(result.steps[0]?.toolCalls[0]).toMatchObject({
      isError: true,
      output: { error: { code: 'mcp-invalid-result' } },
    });
  });

  it('stdio is unsupported without the Node entry, and a bad config is invalid-config', async () => {
    const { createMcpClient: browserSafe } = await import('../index.js');
    const client = browserSafe({ transport: { type: 'stdio', command: 'node' } });
    await expect(client.connect()).rejects.toMatchObject({ code: 'unsupported' });
    expect(() => createMcpClient({ transport: { type: 'sse', url: 'x' }, timeoutMs: -1 })).toThrow(AgenticGenError);
    const badUrl = createMcpClient({ transport: { type: 'streamable-http', url: 'not a url' } });
    await expect(badUrl.connect()).rejects.toMatchObject({ code: 'invalid-config' });
  });
});
