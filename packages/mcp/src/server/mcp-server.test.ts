import { defineTool, executeTool, Type } from '@agenticgen/core';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createMcpClient, createMcpServer } from '../index.js';
import { linkedTransport } from '../testing/linked-transport.js';
import { createFixtureServer } from './fixture-server.js';

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

async function sdkClientFor() {
  const factory = await createFixtureServer();
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await factory.createServer().connect(serverSide);
  const client = new Client({ name: 'sdk-client', version: '1.0.0' });
  await client.connect(clientSide);
  closers.push(() => client.close());
  return client;
}

describe('createMcpServer driven by the SDK Client', () => {
  it('lists tools, agents and knowledge search with their JSON Schemas', async () => {
    const client = await sdkClientFor();
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name).sort()).toEqual(['add', 'calculator', 'search_docs']);
    expect(tools.find((tool) => tool.name === 'add')?.inputSchema).toMatchObject({
      type: 'object',
      properties: { a: { type: 'number' } },
      required: ['a', 'b'],
    });
  });

  it('calls a core tool; invalid arguments and unknown tools are isError results, not protocol errors', async () => {
    const client = await sdkClientFor();
    expect(await client.callTool({ name: 'add', arguments: { a: 2, b: 5 } })).toMatchObject({
      content: [{ type: 'text', text: '7' }],
    });
    const invalid = await client.callTool({ name: 'add', arguments: { a: 'two' } });
    expect(invalid.isError).toBe(true);
    expect(invalid.structuredContent).toEqual({ code: 'tool-invalid-arguments' });
    const unknown = await client.callTool({ name: 'nope', arguments: {} });
    expect(unknown.isError).toBe(true);
  });

  it('runs an agent as a tool and sends a progress notification per step', async () => {
    const client = await sdkClientFor();
    const progress: Array<{ progress: number; message?: string | undefined }> = [];
    const result = await client.callTool({ name: 'calculator', arguments: { input: 'sums?' } }, undefined, {
      onprogress: (event) => progress.push(event),
    });
    expect(result.content).toEqual([{ type: 'text', text: 'The sums are 3 and 7.' }]);
    expect(progress.map((event) => event.progress)).toEqual([1, 2, 3]);
    expect(progress[0]?.message).toBe('step 1: add');
  });

  it('answers knowledge search with sources as structured content', async () => {
    const client = await sdkClientFor();
    const result = await client.callTool({
      name: 'search_docs',
      arguments: { query: 'Model Context Protocol', topK: 1 },
    });
    expect(result.structuredContent).toMatchObject({ results: [{ source: 'docs/mcp.md' }] });
  });

  it('round-trips through our own client: an agent of one process uses the tools of another', async () => {
    const factory = await createFixtureServer();
    const client = createMcpClient({
      transport: linkedTransport(() => factory.createServer()),
    });
    closers.push(() => client.close());
    const add = (await client.tools()).find((tool) => tool.name === 'add');
    const context = { signal: new AbortController().signal, toolCallId: 'x', values: {} };
    expect(await add?.execute({ a: 1, b: 1 }, context)).toBe('2');
  });

  it('cancelling a call on the client aborts the tool on the server (notifications/cancelled → AbortSignal)', async () => {
    const seen: string[] = [];
    const wait = defineTool({
      name: 'wait',
      description: 'Waits until cancelled.',
      parameters: Type.Object({}),
      execute: (_args, context) =>
        new Promise((_resolve, reject) => {
          seen.push('started');
          context.signal.addEventListener('abort', () => {
            seen.push('aborted');
            reject(context.signal.reason);
          });
        }),
    });
    const factory = createMcpServer({ tools: [wait] });
    const client = createMcpClient({
      transport: linkedTransport(() => factory.createServer()),
    });
    closers.push(() => client.close());
    const [tool] = await client.tools();
    if (tool === undefined) throw new Error('no tool');
    const controller = new AbortController();
    const outcome = executeTool(tool, {}, { toolCallId: 'w', signal: controller.signal });
    await vi.waitFor(() => expect(seen).toEqual(['started']));
    controller.abort();
    expect(await outcome).toMatchObject({ ok: false, error: { code: 'aborted' } });
    await vi.waitFor(() => expect(seen).toEqual(['started', 'aborted']));
  });

  it('refuses an empty server and duplicate names with invalid-config', () => {
    expect(() => createMcpServer({})).toThrow(expect.objectContaining({ code: 'invalid-config' }));
  });
});
