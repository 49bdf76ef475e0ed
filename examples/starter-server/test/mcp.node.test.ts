/**
 * Issue 22 in the starter: `/mcp` serves the server's tools and agents over MCP (Streamable HTTP) behind its
 * bearer token, driven here by the official SDK's own client.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './harness.ts';

const initialize = {
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'test', version: '1.0.0' } },
};

describe('/mcp (Model Context Protocol over Streamable HTTP)', () => {
  let server: TestServer;
  const clients: Client[] = [];
  const connect = async (token: string) => {
    const client = new Client({ name: 'starter-test', version: '1.0.0' });
    const transport = new StreamableHTTPClientTransport(new URL(`${server.url}/mcp`), {
      requestInit: { headers: { authorization: `Bearer ${token}` } },
    });
    await client.connect(transport);
    clients.push(client);
    return client;
  };

  beforeAll(async () => {
    server = await startTestServer();
    const upload = await server.api('/api/knowledge/documents', {
      method: 'POST',
      json: {
        name: 'wickies.md',
        content: '# Lighthouse keeping\n\nKeepers trimmed the lamp wick every four hours; they were called wickies.',
      },
    });
    expect(upload.status).toBe(201);
  });
  afterAll(async () => {
    for (const client of clients) await client.close().catch(() => undefined);
    await server?.close();
  });

  it('answers 401 without the token, or with a wrong one, before any MCP handling', async () => {
    const post = (headers: Record<string, string>) =>
      fetch(`${server.url}/mcp`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers },
        body: JSON.stringify(initialize),
      });
    const missing = await post({});
    expect(missing.status).toBe(401);
    expect(((await missing.json()) as { error: { code: string } }).error.code).toBe('authentication');
    expect((await post({ authorization: 'Bearer not-a-token-of-this-server' })).status).toBe(401);
    await expect(connect('not-a-token-of-this-server')).rejects.toThrow();
  });

  it('lists the tools and agents, and calls the knowledge search through the SDK client', async () => {
    const client = await connect(server.token);
    expect(client.getServerVersion()?.name).toBe('agenticgen-starter');
    const { tools } = await client.listTools();
    const names = tools.map((tool) => tool.name);
    expect(names).toEqual(expect.arrayContaining(['search_knowledge', 'assistant', 'researcher']));
    const search = tools.find((tool) => tool.name === 'search_knowledge');
    expect(search?.inputSchema).toMatchObject({ type: 'object', properties: { query: { type: 'string' } } });

    const found = await client.callTool({ name: 'search_knowledge', arguments: { query: 'wickies lamp wick' } });
    expect(found.isError).not.toBe(true);
    expect(JSON.stringify(found.content)).toContain('wickies.md');

    const invalid = await client.callTool({ name: 'search_knowledge', arguments: { query: 42 } });
    expect(invalid.isError).toBe(true);
  });

  it('runs an agent as a tool: its final answer comes back as text', async () => {
    const client = await connect(server.token);
    const answer = await client.callTool({
      name: 'assistant',
      arguments: { input: 'Why were keepers called wickies?' },
    });
    expect(answer.isError).not.toBe(true);
    const text = (answer.content as Array<{ type: string; text?: string }>).map((part) => part.text ?? '').join('');
    expect(text).toContain('wickies');
  });
});
