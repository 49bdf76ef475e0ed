import { createRuntime } from '@agenticgen/core';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { CallToolRequestSchema, ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { describe, expect, it, vi } from 'vitest';
import { createMcpPlugin } from '../index.js';

/** Each connection gets a fresh SDK server; `servers` lets the test make the current one go away. */
function inMemoryServers() {
  const servers: Server[] = [];
  const create = () => {
    const server = new Server({ name: 'mem', version: '1.0.0' }, { capabilities: { tools: {} } });
    server.setRequestHandler(ListToolsRequestSchema, () => ({
      tools: [{ name: 'ping', inputSchema: { type: 'object' } }],
    }));
    server.setRequestHandler(CallToolRequestSchema, () => ({
      content: [{ type: 'text', text: `pong from connection ${servers.indexOf(server) + 1}` }],
    }));
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    servers.push(server);
    void server.connect(serverSide);
    return clientSide;
  };
  return { servers, create };
}

describe('createMcpPlugin', () => {
  it('reconnects with backoff after the server went away, without waiting for a tool call', async () => {
    const { servers, create } = inMemoryServers();
    const errors: string[] = [];
    const runtime = await createRuntime({
      plugins: [
        createMcpPlugin({
          servers: { mem: { transport: { type: 'custom', create } } },
          reconnect: { initialDelayMs: 5, jitter: false },
          onConnectionError: (server, error) => errors.push(`${server}: ${(error as { code: string }).code}`),
        }),
      ],
    });
    expect(await runtime.callTool({ toolName: 'mem_ping', toolCallId: '1', arguments: {} })).toMatchObject({
      ok: true,
      output: 'pong from connection 1',
    });
    await servers[0]?.close();
    await vi.waitFor(() => expect(servers).toHaveLength(2));
    expect(errors).toEqual(['mem: mcp-connection-closed']);
    expect(await runtime.callTool({ toolName: 'mem_ping', toolCallId: '2', arguments: {} })).toMatchObject({
      ok: true,
      output: 'pong from connection 2',
    });
    await runtime.dispose();
  });

  it('refuses a config without servers or with a bad server name', () => {
    expect(() => createMcpPlugin({ servers: {} })).toThrow(expect.objectContaining({ code: 'invalid-config' }));
    expect(() =>
      createMcpPlugin({
        servers: { 'a b': { transport: { type: 'custom', create: () => inMemoryServers().create() } } },
      }),
    ).toThrow(expect.objectContaining({ code: 'invalid-config' }));
  });
});
