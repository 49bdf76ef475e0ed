import {
  createHashingEmbedder,
  createKnowledgeBase,
  createMemoryVectorStore,
  defineTool,
  Type,
} from '@agenticgen/core';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import {
  CreateMessageRequestSchema,
  ElicitRequestSchema,
  LoggingMessageNotificationSchema,
  ResourceUpdatedNotificationSchema,
} from '@modelcontextprotocol/sdk/types.js';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createMcpServer, type McpServerOptions, mcpContent, mcpToolContext } from '../index.js';

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

async function connect(options: McpServerOptions, capabilities: Record<string, object> = {}) {
  const factory = createMcpServer(options);
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await factory.createServer().connect(serverSide);
  const client = new Client({ name: 'sdk-client', version: '1.0.0' }, { capabilities });
  await client.connect(clientSide);
  closers.push(() => client.close());
  return { client, factory };
}

const pixel = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==';

describe('createMcpServer: tool context', () => {
  it('a core tool answers image, audio and embedded resource blocks with mcpContent', async () => {
    const picture = defineTool({
      name: 'picture',
      description: 'A picture.',
      parameters: Type.Object({}),
      execute: () =>
        mcpContent([
          { type: 'image', data: pixel, mimeType: 'image/png' },
          { type: 'audio', data: 'UklGRg==', mimeType: 'audio/wav' },
          { type: 'resource', resource: { uri: 'test://r', mimeType: 'text/plain', text: 'inside' } },
        ]),
    });
    const { client } = await connect({ tools: [picture] });
    const result = await client.callTool({ name: 'picture', arguments: {} });
    expect(result.content).toEqual([
      { type: 'image', data: pixel, mimeType: 'image/png' },
      { type: 'audio', data: 'UklGRg==', mimeType: 'audio/wav' },
      { type: 'resource', resource: { uri: 'test://r', mimeType: 'text/plain', text: 'inside' } },
    ]);
  });

  it('content over maxResultCharacters is an isError result (maxResultChars: its deprecated alias)', async () => {
    const big = defineTool({
      name: 'big',
      description: 'Too big.',
      parameters: Type.Object({}),
      execute: () => mcpContent([{ type: 'image', data: 'A'.repeat(200), mimeType: 'image/png' }]),
    });
    const { client } = await connect({ tools: [big], maxResultCharacters: 100 });
    const result = await client.callTool({ name: 'big', arguments: {} });
    expect(result.isError).toBe(true);
    expect(JSON.stringify(result.content)).toContain('more than 100');
    // The deprecated name still works; the new one wins when both are given.
    const legacy = await connect({ tools: [big], maxResultChars: 100 });
    expect((await legacy.client.callTool({ name: 'big', arguments: {} })).isError).toBe(true);
    const both = await connect({ tools: [big], maxResultChars: 100, maxResultCharacters: 1_000 });
    expect((await both.client.callTool({ name: 'big', arguments: {} })).isError).toBeFalsy();
  });

  it('sends progress with total, and log messages filtered by logging/setLevel', async () => {
    const work = defineTool({
      name: 'work',
      description: 'Works.',
      parameters: Type.Object({}),
      async execute(_args, context) {
        const mcp = mcpToolContext(context);
        await mcp?.log('debug', 'hidden');
        await mcp?.progress(50, { total: 100 });
        await mcp?.log('warning', { step: 'half' }, 'worker');
        return 'done';
      },
    });
    const { client } = await connect({ tools: [work] });
    const logs: unknown[] = [];
    client.setNotificationHandler(LoggingMessageNotificationSchema, (notification) => {
      logs.push(notification.params);
    });
    await client.setLoggingLevel('info');
    const progress: unknown[] = [];
    await client.callTool({ name: 'work', arguments: {} }, undefined, { onprogress: (event) => progress.push(event) });
    expect(progress).toEqual([{ progress: 50, total: 100 }]);
    await vi.waitFor(() => expect(logs).toEqual([{ level: 'warning', data: { step: 'half' }, logger: 'worker' }]));
  });

  it('asks the client for sampling and elicitation; a client without them gets an unsupported tool error', async () => {
    const ask = defineTool({
      name: 'ask',
      description: 'Asks.',
      parameters: Type.Object({}),
      async execute(_args, context) {
        const mcp = mcpToolContext(context);
        if (mcp === undefined) throw new Error('no MCP context');
        const sampled = await mcp.sample({
          messages: [{ role: 'user', content: { type: 'text', text: 'hi' } }],
          maxTokens: 10,
        });
        const answer = await mcp.elicit({
          message: 'Name?',
          requestedSchema: { type: 'object', properties: { name: { type: 'string' } } },
        });
        return `${sampled.content.type === 'text' ? sampled.content.text : ''} / ${answer.action} ${JSON.stringify(answer.content)}`;
      },
    });
    const { client } = await connect({ tools: [ask] }, { sampling: {}, elicitation: {} });
    client.setRequestHandler(CreateMessageRequestSchema, () => ({
      role: 'assistant',
      content: { type: 'text', text: 'sampled' },
      model: 'm',
    }));
    client.setRequestHandler(ElicitRequestSchema, () => ({ action: 'accept', content: { name: 'Ada' } }));
    const result = await client.callTool({ name: 'ask', arguments: {} });
    expect(result.content).toEqual([{ type: 'text', text: 'sampled / accept {"name":"Ada"}' }]);

    const { client: plain } = await connect({ tools: [ask] });
    const refused = await plain.callTool({ name: 'ask', arguments: {} });
    expect(refused.isError).toBe(true);
    expect(refused.structuredContent).toEqual({ code: 'unsupported' });
  });
});

describe('createMcpServer: resources, prompts, completion', () => {
  it('lists and reads fixed and templated resources; an unknown URI is -32002', async () => {
    const { client } = await connect({
      resources: [{ uri: 'test://a', name: 'a', mimeType: 'text/plain', read: () => ({ text: 'A' }) }],
      resourceTemplates: [
        {
          uriTemplate: 'test://item/{id}',
          name: 'items',
          mimeType: 'application/json',
          read: (_uri, { id }) => ({ text: JSON.stringify({ id }) }),
          complete: { id: (value) => ['10', '11', '20'].filter((id) => id.startsWith(value)) },
        },
      ],
    });
    expect((await client.listResources()).resources).toEqual([{ uri: 'test://a', name: 'a', mimeType: 'text/plain' }]);
    expect((await client.listResourceTemplates()).resourceTemplates).toEqual([
      { uriTemplate: 'test://item/{id}', name: 'items', mimeType: 'application/json' },
    ]);
    expect(await client.readResource({ uri: 'test://item/42' })).toEqual({
      contents: [{ uri: 'test://item/42', mimeType: 'application/json', text: '{"id":"42"}' }],
    });
    await expect(client.readResource({ uri: 'test://nope' })).rejects.toMatchObject({ code: -32002 });
    const completion = await client.complete({
      ref: { type: 'ref/resource', uri: 'test://item/{id}' },
      argument: { name: 'id', value: '1' },
    });
    expect(completion.completion).toEqual({ values: ['10', '11'], total: 2, hasMore: false });
  });

  it('serves knowledge documents as resources', async () => {
    const knowledge = createKnowledgeBase({
      embedder: createHashingEmbedder({ dimensions: 32 }),
      vectorStore: createMemoryVectorStore({ dimensions: 32 }),
    });
    await knowledge.add([{ id: 'cats', source: 'docs/cats.md', content: 'Cats sleep for most of the day.' }]);
    const { client } = await connect({ knowledge: { docs: knowledge } });
    expect((await client.listResources()).resources).toEqual([
      expect.objectContaining({ uri: 'knowledge://docs/cats', name: 'docs/cats.md', mimeType: 'text/plain' }),
    ]);
    const read = await client.readResource({ uri: 'knowledge://docs/cats' });
    expect(read.contents[0]).toMatchObject({ text: 'Cats sleep for most of the day.' });
    await expect(client.readResource({ uri: 'knowledge://docs/dogs' })).rejects.toMatchObject({ code: -32002 });
  });

  it('subscriptions: updates reach subscribers until they unsubscribe; a connection holds at most 1,000', async () => {
    const { client, factory } = await connect({
      resourceTemplates: [{ uriTemplate: 'test://n/{n}', name: 'n', read: (uri) => ({ text: uri }) }],
    });
    const updates: string[] = [];
    client.setNotificationHandler(ResourceUpdatedNotificationSchema, (notification) => {
      updates.push(notification.params.uri);
    });
    await client.subscribeResource({ uri: 'test://n/1' });
    await factory.notifyResourceUpdated('test://n/1');
    await factory.notifyResourceUpdated('test://n/2');
    await vi.waitFor(() => expect(updates).toEqual(['test://n/1']));
    await client.unsubscribeResource({ uri: 'test://n/1' });
    await factory.notifyResourceUpdated('test://n/1');
    await client.ping(); // the notification, if any, would arrive before this answer
    expect(updates).toEqual(['test://n/1']);
    await expect(client.subscribeResource({ uri: 'other://x' })).rejects.toMatchObject({ code: -32002 });
    for (let index = 0; index < 1_000; index++) await client.subscribeResource({ uri: `test://n/${index}` });
    await expect(client.subscribeResource({ uri: 'test://n/1000' })).rejects.toMatchObject({ code: -32602 });
  });

  it('prompts: arguments, images and embedded resources; a missing required argument is -32602', async () => {
    const { client } = await connect({
      prompts: [
        {
          name: 'greet',
          description: 'Greets.',
          arguments: [{ name: 'who', required: true }],
          get: ({ who }) => `Hello ${who}`,
          complete: { who: (value) => ['Ada', 'Alan'].filter((name) => name.startsWith(value)) },
        },
        {
          name: 'look',
          description: 'Looks.',
          get: () => [
            { role: 'user', content: { type: 'image', data: pixel, mimeType: 'image/png' } },
            { role: 'user', content: { type: 'resource', resource: { uri: 'test://a', text: 'A' } } },
          ],
        },
      ],
    });
    expect((await client.listPrompts()).prompts.map((prompt) => prompt.name)).toEqual(['greet', 'look']);
    expect((await client.getPrompt({ name: 'greet', arguments: { who: 'Ada' } })).messages).toEqual([
      { role: 'user', content: { type: 'text', text: 'Hello Ada' } },
    ]);
    const look = await client.getPrompt({ name: 'look' });
    expect(look.messages.map((message) => message.content.type)).toEqual(['image', 'resource']);
    await expect(client.getPrompt({ name: 'greet' })).rejects.toMatchObject({ code: -32602 });
    await expect(client.getPrompt({ name: 'nope' })).rejects.toMatchObject({ code: -32002 });
    const completion = await client.complete({
      ref: { type: 'ref/prompt', name: 'greet' },
      argument: { name: 'who', value: 'Al' },
    });
    expect(completion.completion.values).toEqual(['Alan']);
  });
});
