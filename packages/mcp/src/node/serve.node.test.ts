import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { defineTool, Type } from '@agenticgen/core';
import { checkAsyncResource } from '@agenticgen/core/testing';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterEach, describe, expect, it } from 'vitest';
import { createMcpHttpHandler, createMcpServer, type McpHttpHandlerOptions } from '../index.node.js';

const echo = defineTool({
  name: 'echo',
  description: 'Echoes.',
  parameters: Type.Object({ text: Type.String() }),
  execute: ({ text }) => text,
});
const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()));
});

async function serve(options: McpHttpHandlerOptions, maxResultChars?: number) {
  const factory = createMcpServer(
    maxResultChars === undefined ? { tools: [echo] } : { tools: [echo], maxResultCharacters: maxResultChars },
  );
  const handler = createMcpHttpHandler(factory, options);
  const server = createServer((request, response) => void handler(request, response));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(async () => {
    await handler.close();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  return { handler, url: new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp`) };
}

async function sdkClient(url: URL): Promise<Client> {
  const client = new Client({ name: 'sdk', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(url));
  cleanups.push(() => client.close());
  return client;
}

describe('createMcpHttpHandler', () => {
  it('`await using` closes every session; close and dispose again resolve', async () => {
    const { handler, url } = await serve({});
    await sdkClient(url);
    expect(handler.sessions).toBe(1);
    await checkAsyncResource(
      () => handler,
      () => expect(handler.sessions).toBe(0),
    );
  });

  it('keeps one session per client and refuses sessions beyond maxSessions with HTTP 503', async () => {
    const { handler, url } = await serve({ maxSessions: 2 });
    await sdkClient(url);
    await sdkClient(url);
    expect(handler.sessions).toBe(2);
    await expect(sdkClient(url)).rejects.toThrow(/503|Too many sessions/);
    expect(handler.sessions).toBe(2);
  });

  it('stateless mode answers every request without keeping a session', async () => {
    const { handler, url } = await serve({ stateless: true });
    const client = await sdkClient(url);
    expect(await client.callTool({ name: 'echo', arguments: { text: 'a' } })).toMatchObject({
      content: [{ type: 'text', text: 'a' }],
    });
    expect(handler.sessions).toBe(0);
  });

  it('refuses a Host outside allowedHosts with HTTP 403', async () => {
    const { url } = await serve({ allowedHosts: ['example.test'] });
    await expect(sdkClient(url)).rejects.toThrow(/403|Host not allowed/);
  });

  it('cuts a tool answer longer than maxResultChars and says so', async () => {
    const { url } = await serve({}, 10);
    const client = await sdkClient(url);
    const result = await client.callTool({ name: 'echo', arguments: { text: 'x'.repeat(50) } });
    expect(result.content).toEqual([{ type: 'text', text: `${'x'.repeat(10)}\n[cut: 40 more characters]` }]);
  });
});
