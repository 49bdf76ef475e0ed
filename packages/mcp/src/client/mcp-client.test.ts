import { AgenticGenError, createAgent, executeTool, ToolRegistry, uncancellableSignal } from '@agenticgen/core';
import { checkAsyncResource, MockChatModel } from '@agenticgen/core/testing';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import {
  CallToolRequestSchema,
  type CallToolResult,
  CancelledNotificationSchema,
  ListToolsRequestSchema,
  type Tool,
} from '@modelcontextprotocol/sdk/types.js';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { SamplingOptions } from '../index.js';
import { createMcpClient, type McpClient } from '../index.js';
import { linkedTransport } from '../testing/linked-transport.js';

/** An SDK server whose tool list and answers the test changes while the client is connected. */
function sdkServer(tools: Tool[], answer: (name: string, args: unknown) => CallToolResult | Promise<CallToolResult>) {
  const server = new Server({ name: 'test', version: '1.0.0' }, { capabilities: { tools: { listChanged: true } } });
  server.setRequestHandler(ListToolsRequestSchema, () => ({ tools }));
  server.setRequestHandler(CallToolRequestSchema, (request) => answer(request.params.name, request.params.arguments));
  return server;
}

const clients: McpClient[] = [];
function connectTo(
  server: Server,
  options: {
    maxResultCharacters?: number;
    maxResultChars?: number;
    toolNamePrefix?: string;
    maxTools?: number;
    approveTools?: boolean;
  } = {},
) {
  const client = createMcpClient({
    ...options,
    transport: linkedTransport(() => server),
  });
  clients.push(client);
  return client;
}
afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close()));
});

const echo: Tool = {
  name: 'files.read',
  inputSchema: { type: 'object', properties: { path: { type: 'string', minLength: 1 } }, required: ['path'] },
};

describe('createMcpClient tools', () => {
  it('names tools for core (prefix, invalid characters replaced) and calls them with the original name', async () => {
    const seen: string[] = [];
    const server = sdkServer([echo], (name) => {
      seen.push(name);
      return { content: [{ type: 'text', text: 'contents' }] };
    });
    const client = connectTo(server, { toolNamePrefix: 'disk_' });
    const [tool] = await client.tools();
    expect(tool?.name).toBe('disk_files_read');
    const context = { signal: new AbortController().signal, toolCallId: 'c', values: {} };
    expect(await tool?.execute({ path: 'a.txt' }, context)).toBe('contents');
    expect(seen).toEqual(['files.read']);
  });

  it('isError results reach the model as mcp-tool-error tool errors carrying the server text', async () => {
    const server = sdkServer([echo], () => ({ isError: true, content: [{ type: 'text', text: 'no such file' }] }));
    const client = connectTo(server);
    const model = new MockChatModel({
      responses: [{ toolCalls: [{ toolName: 'files_read', input: { path: 'x' } }] }, 'It does not exist.'],
    });
    const agent = createAgent({ name: 'a', instructions: '', model, tools: await client.tools() });
    const result = await agent.run('read x');
    expect(result.steps[0]?.toolCalls[0]).toMatchObject({
      isError: true,
      output: { error: { code: 'mcp-tool-error' } },
    });
    expect(JSON.stringify(result.steps[0]?.toolCalls[0]?.output)).toContain('no such file');
  });

  it('a result larger than maxResultCharacters is mcp-limit-exceeded, not passed to the model', async () => {
    const server = sdkServer([echo], () => ({ content: [{ type: 'text', text: 'x'.repeat(2_000) }] }));
    const client = connectTo(server, { maxResultCharacters: 1_000 });
    const [tool] = await client.tools();
    const context = { signal: new AbortController().signal, toolCallId: 'c', values: {} };
    await expect(tool?.execute({ path: 'big' }, context)).rejects.toMatchObject({ code: 'mcp-limit-exceeded' });
  });

  it('accepts the deprecated maxResultChars as an alias of maxResultCharacters, the new name winning', async () => {
    const context = { signal: new AbortController().signal, toolCallId: 'c', values: {} };
    const call = async (options: { maxResultCharacters?: number; maxResultChars?: number }) => {
      const server = sdkServer([echo], () => ({ content: [{ type: 'text', text: 'x'.repeat(2_000) }] }));
      const [tool] = await connectTo(server, options).tools();
      return Promise.resolve(tool?.execute({ path: 'big' }, context)).then(
        () => 'ok',
        (error: unknown) => (error as { code?: string }).code,
      );
    };
    expect(await call({ maxResultChars: 1_000 })).toBe('mcp-limit-exceeded');
    expect(await call({ maxResultChars: 1_000, maxResultCharacters: 5_000 })).toBe('ok');
  });

  it('notifications/tools/list_changed refreshes an agent tool registry between steps', async () => {
    const tools: Tool[] = [echo];
    const server = sdkServer(tools, (name) => ({ content: [{ type: 'text', text: `ran ${name}` }] }));
    const client = connectTo(server);
    const registry = new ToolRegistry();
    const stop = await client.syncTools(registry);
    expect(registry.list().map((tool) => tool.name)).toEqual(['files_read']);
    tools.push({ name: 'files.write', inputSchema: { type: 'object' } });
    await server.sendToolListChanged();
    await vi.waitFor(() => expect(registry.has('files_write')).toBe(true));
    stop();
    expect(registry.size).toBe(0);
  });

  it('an agent sees a tool the server added between two of its steps', async () => {
    const tools: Tool[] = [echo];
    let server: Server;
    const added: Tool = { name: 'files.write', inputSchema: { type: 'object' } };
    server = sdkServer(tools, (name) => {
      // The first call changes the server's tool list, as an "enable plugin" tool would.
      if (!tools.includes(added)) {
        tools.push(added);
        void server.sendToolListChanged();
      }
      return { content: [{ type: 'text', text: `ran ${name}` }] };
    });
    const client = connectTo(server);
    const model = new MockChatModel({
      responses: [
        { toolCalls: [{ toolName: 'files_read', input: { path: 'a' } }] },
        { toolCalls: [{ toolName: 'files_write', input: {} }] },
        'done',
      ],
    });
    const agent = createAgent({ name: 'a', instructions: '', model });
    await client.syncTools(agent.tools);
    const result = await agent.run('go');
    expect(model.requests[1]?.tools?.map((tool) => tool.name)).toContain('files_write');
    expect(result.steps[1]?.toolCalls[0]).toMatchObject({ toolName: 'files_write', output: 'ran files.write' });
  });

  it("a caller's abort ends a running call at once as aborted (not a timeout) and cancels it on the server", async () => {
    let started!: () => void;
    const running = new Promise<void>((resolve) => {
      started = resolve;
    });
    const server = sdkServer([echo], () => {
      started();
      return new Promise<never>(() => undefined); // never answers on its own
    });
    const cancelled = new Promise<unknown>((resolve) => {
      server.setNotificationHandler(CancelledNotificationSchema, (notification) => resolve(notification.params));
    });
    const [tool] = await connectTo(server).tools();
    const controller = new AbortController();
    const outcome = executeTool(tool as never, { path: 'a' }, { toolCallId: 'c1', signal: controller.signal });
    await running;
    controller.abort();
    expect(await outcome).toMatchObject({ ok: false, error: { code: 'aborted' } });
    expect(await cancelled).toMatchObject({ requestId: expect.any(Number) });
  });

  it('calls made without a signal hand the SDK none (no listener per call), and still time out', async () => {
    const addListener = vi.spyOn(uncancellableSignal, 'addEventListener');
    try {
      const server = sdkServer([echo], () => ({ content: [{ type: 'text', text: 'ok' }] }));
      const [tool] = await connectTo(server).tools();
      const outcomes = await Promise.all(
        Array.from({ length: 20 }, (_, index) =>
          executeTool(tool as never, { path: 'a' }, { toolCallId: `c${index}` }),
        ),
      );
      expect(outcomes.every((outcome) => outcome.ok)).toBe(true);
      expect(addListener).not.toHaveBeenCalled();
    } finally {
      addListener.mockRestore();
    }
    // The time limit is the SDK request's own: a silent server still ends the call as a timeout.
    const silent = sdkServer([echo], () => new Promise<never>(() => undefined));
    const client = createMcpClient({ transport: linkedTransport(() => silent), timeoutMs: 50 });
    clients.push(client);
    const [slow] = await client.tools();
    expect(await executeTool(slow as never, { path: 'a' }, { toolCallId: 'late' })).toMatchObject({
      ok: false,
      error: { code: 'timeout' },
    });
  });

  it('a server listing more than maxTools tools is mcp-limit-exceeded', async () => {
    const many: Tool[] = Array.from({ length: 3 }, (_, index) => ({
      name: `t${index}`,
      inputSchema: { type: 'object' },
    }));
    const client = connectTo(
      sdkServer(many, () => ({ content: [] })),
      { maxTools: 2 },
    );
    await expect(client.tools()).rejects.toMatchObject({ code: 'mcp-limit-exceeded' });
  });

  it('approveTools marks every tool that is not read-only as needing approval', async () => {
    const readOnly: Tool = { ...echo, name: 'peek', annotations: { readOnlyHint: true } };
    const client = connectTo(
      sdkServer([echo, readOnly], () => ({ content: [] })),
      { approveTools: true },
    );
    const tools = await client.tools();
    expect(tools.map((tool) => [tool.name, tool.needsApproval])).toEqual([
      ['files_read', true],
      ['peek', false],
    ]);
  });

  it('sampling: the approval hook can refuse, and requests beyond maxMessages never reach the model', async () => {
    const model = new MockChatModel({ responses: ['sampled'], repeatLast: true });
    const asks: number[] = [];
    let server: Server;
    server = sdkServer([echo], async (_name, args): Promise<CallToolResult> => {
      const count = Number((args as { path: string }).path);
      asks.push(count);
      const messages = Array.from({ length: count }, () => ({
        role: 'user' as const,
        content: { type: 'text' as const, text: 'question' },
      }));
      try {
        const answer = await server.createMessage({ messages, maxTokens: 100 });
        return { content: [{ type: 'text', text: JSON.stringify(answer.content) }] };
      } catch (error) {
        return { isError: true, content: [{ type: 'text', text: (error as Error).message }] };
      }
    });
    const sampling: SamplingOptions = { model, approve: (request) => request.messages.length !== 2, maxMessages: 3 };
    const client = createMcpClient({
      sampling,
      transport: linkedTransport(() => server),
    });
    clients.push(client);
    const [tool] = await client.tools();
    const context = { signal: new AbortController().signal, toolCallId: 'c', values: {} };
    expect(await tool?.execute({ path: '1' }, context)).toContain('sampled');
    await expect(tool?.execute({ path: '2' }, context)).rejects.toThrow(/refused/);
    await expect(tool?.execute({ path: '4' }, context)).rejects.toThrow(/4 messages \(max 3\)/);
    expect(model.requests).toHaveLength(1);
  });
});

describe('createMcpClient disposal', () => {
  it('`await using` closes the connection; dispose, close and Symbol.asyncDispose share one close', async () => {
    const server = sdkServer([echo], () => ({ content: [{ type: 'text', text: 'ok' }] }));
    await checkAsyncResource(
      async () => {
        const client = connectTo(server);
        await client.tools();
        return client;
      },
      async (client) => {
        expect(client.connected).toBe(false);
        await expect(client.connect()).rejects.toSatisfy((error) => AgenticGenError.hasCode(error, 'disposed'));
        await client.close();
      },
    );
  });
});
