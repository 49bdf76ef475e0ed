import { createRequire } from 'node:module';
import { createAgent, createHashingEmbedder, createKnowledgeBase, createMemoryVectorStore } from '@agenticgen/core';
import { MockChatModel } from '@agenticgen/core/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  addMcpResourcesToKnowledge,
  createMcpClient,
  type McpClient,
  type McpProgressEvent,
  mcpPromptAsInstructions,
} from '../index.node.js';

// The reference server from npm, spawned over stdio exactly as a user would configure it.
const everythingBin = createRequire(import.meta.url).resolve('@modelcontextprotocol/server-everything/dist/index.js');

describe('client against @modelcontextprotocol/server-everything over stdio', () => {
  let client: McpClient;
  const progress: McpProgressEvent[] = [];
  const samplingModel = new MockChatModel({ responses: ['sampled answer from our model'] });
  const sampled: string[] = [];

  beforeAll(async () => {
    client = createMcpClient({
      transport: { type: 'stdio', command: process.execPath, args: [everythingBin, 'stdio'], stderr: 'ignore' },
      onProgress: (event) => progress.push(event),
      sampling: {
        model: samplingModel,
        approve: (request) => {
          sampled.push(JSON.stringify(request.messages));
          return true;
        },
      },
      roots: () => [{ uri: 'file:///tmp/agenticgen-root', name: 'scratch' }],
    });
    await client.connect();
  });
  afterAll(() => client.close());

  it('runs an agent whose model calls the server tools; invalid arguments go back to the model, not the server', async () => {
    const model = new MockChatModel({
      responses: [
        {
          toolCalls: [
            { toolName: 'get-sum', input: { a: 2, b: 3 }, toolCallId: 'sum' },
            { toolName: 'get-sum', input: { a: 'two', b: 3 }, toolCallId: 'bad' },
            { toolName: 'echo', input: { message: 'hi' }, toolCallId: 'echo' },
          ],
        },
        'The sum is 5.',
      ],
    });
    const agent = createAgent({ name: 'mcp-user', instructions: 'Use the tools.', model, tools: await client.tools() });
    const result = await agent.run('2 + 3?');
    expect(result.text).toBe('The sum is 5.');
    const calls = result.steps[0]?.toolCalls ?? [];
    expect(calls.find((call) => call.toolCallId === 'sum')).toMatchObject({
      isError: false,
      output: 'The sum of 2 and 3 is 5.',
    });
    expect(calls.find((call) => call.toolCallId === 'echo')?.output).toBe('Echo: hi');
    // Core's validator answered (its code, its path): the server never saw the call.
    const bad = calls.find((call) => call.toolCallId === 'bad');
    expect(bad?.isError).toBe(true);
    expect(bad?.output).toMatchObject({ error: { code: 'tool-invalid-arguments' } });
    expect(JSON.stringify(bad?.output)).toContain('/a');
    // The model was offered the server's tools with their JSON Schemas.
    const offered = model.requests[0]?.tools?.find((tool) => tool.name === 'get-sum');
    expect(offered?.parameters).toMatchObject({ type: 'object', properties: { a: { type: 'number' } } });
  });

  it('maps images to data URLs and validates structuredContent against the outputSchema', async () => {
    const tools = await client.tools();
    const image = tools.find((tool) => tool.name === 'get-tiny-image');
    const weather = tools.find((tool) => tool.name === 'get-structured-content');
    const context = { signal: new AbortController().signal, toolCallId: 't', values: {} };
    const imageOutput = (await image?.execute({}, context)) as { content: Array<{ type: string; image?: string }> };
    const imagePart = imageOutput.content.find((part) => part.type === 'image');
    expect(imagePart?.image).toMatch(/^data:image\/png;base64,iVBOR/);
    const weatherOutput = (await weather?.execute({ location: 'Chicago' }, context)) as {
      structuredContent: { temperature: number; conditions: string };
    };
    expect(typeof weatherOutput.structuredContent.temperature).toBe('number');
    expect(typeof weatherOutput.structuredContent.conditions).toBe('string');
  });

  it('reports progress of a long-running tool as it happens', async () => {
    const tool = (await client.tools()).find((candidate) => candidate.name === 'trigger-long-running-operation');
    const context = { signal: new AbortController().signal, toolCallId: 'long', values: {} };
    const output = await tool?.execute({ duration: 0.3, steps: 3 }, context);
    expect(String(output)).toContain('completed');
    const own = progress.filter((event) => event.toolCallId === 'long');
    // The last notification races the result on the wire (the SDK drops progress after the answer): the
    // steps before it must all arrive, in order.
    expect(own.map((event) => event.progress).slice(0, 2)).toEqual([1, 2]);
    expect(own[0]).toMatchObject({ toolName: 'trigger-long-running-operation', total: 3 });
  });

  it('answers the server sampling request with a core ChatModel after the approval hook', async () => {
    const tool = (await client.tools()).find((candidate) => candidate.name === 'trigger-sampling-request');
    expect(tool).toBeDefined();
    const context = { signal: new AbortController().signal, toolCallId: 'sample', values: {} };
    const output = await tool?.execute({ prompt: 'What is MCP?', maxTokens: 50 }, context);
    expect(String(output)).toContain('sampled answer from our model');
    expect(sampled.join('')).toContain('What is MCP?');
    expect(samplingModel.requests[0]?.maxOutputTokens).toBe(50);
  });

  it('answers roots/list with the configured roots', async () => {
    const tool = (await client.tools()).find((candidate) => candidate.name === 'get-roots-list');
    const context = { signal: new AbortController().signal, toolCallId: 'roots', values: {} };
    expect(JSON.stringify(await tool?.execute({}, context))).toContain('file:///tmp/agenticgen-root');
  });

  it('lists and reads resources and prompts', async () => {
    const resources = await client.listResources();
    expect(resources.length).toBeGreaterThan(0);
    const first = resources[0];
    const read = await client.readResource(first?.uri ?? '');
    expect(read.contents[0]?.uri).toBe(first?.uri);
    const prompts = await client.listPrompts();
    const simple = prompts.find((prompt) => prompt.name === 'simple-prompt');
    expect(simple).toBeDefined();
    const prompt = await client.getPrompt('simple-prompt');
    expect(prompt.messages.length).toBeGreaterThan(0);
  });

  it('text resources become knowledge-base documents an agent can retrieve and cite', async () => {
    const knowledge = createKnowledgeBase({
      embedder: createHashingEmbedder({ dimensions: 128 }),
      vectorStore: createMemoryVectorStore({ dimensions: 128 }),
    });
    const report = await addMcpResourcesToKnowledge(client, knowledge, {
      filter: (resource) => resource.uri.startsWith('demo://resource/static/document/') && resource.uri.endsWith('.md'),
    });
    expect(report.added.length).toBeGreaterThan(0);
    const [best] = await knowledge.search('architecture of the everything server', { topK: 1 });
    expect(best?.source).toMatch(/^demo:\/\/resource\/static\/document\//);
    await expect(addMcpResourcesToKnowledge(client, knowledge, { maxDocuments: 1 })).rejects.toMatchObject({
      code: 'mcp-limit-exceeded',
    });
    const documents = (resource: { uri: string }) => resource.uri.startsWith('demo://resource/static/document/');
    await expect(
      addMcpResourcesToKnowledge(client, knowledge, { filter: documents, maxCharacters: 10 }),
    ).rejects.toMatchObject({ code: 'mcp-limit-exceeded', message: expect.stringContaining('maxCharacters (10)') });
    // The deprecated name still limits.
    await expect(
      addMcpResourcesToKnowledge(client, knowledge, { filter: documents, maxChars: 10 }),
    ).rejects.toMatchObject({ code: 'mcp-limit-exceeded' });
  });

  it('a prompt becomes agent instructions', async () => {
    const instructions = await mcpPromptAsInstructions(client, 'simple-prompt');
    expect(instructions).toBe('This is a simple prompt without arguments.');
    const model = new MockChatModel({ responses: ['ok'] });
    await createAgent({ name: 'prompted', instructions, model }).run('hi');
    expect(model.requests[0]?.messages[0]).toEqual({ role: 'system', content: instructions });
  });

  it('subscribes to a resource and hears its updates until it unsubscribes', async () => {
    const [resource] = await client.listResources();
    const uri = resource?.uri ?? '';
    const updates: string[] = [];
    const unsubscribe = await client.subscribeResource(uri, (updated) => updates.push(updated));
    const toggle = (await client.tools()).find((tool) => tool.name === 'toggle-subscriber-updates');
    const context = { signal: new AbortController().signal, toolCallId: 'toggle', values: {} };
    // Turning updates on makes the server send one update per subscription at once (then every 5 s).
    await toggle?.execute({}, context);
    await vi.waitFor(() => expect(updates).toContain(uri));
    await unsubscribe();
    await toggle?.execute({}, context); // and off again, so the server stops its 5-second timer
  });
});
