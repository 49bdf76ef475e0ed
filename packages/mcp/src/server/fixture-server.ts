import {
  createAgent,
  createHashingEmbedder,
  createKnowledgeBase,
  createMemoryVectorStore,
  defineTool,
  Type,
} from '@agenticgen/core';
import { MockChatModel } from '@agenticgen/core/testing';
import { createMcpServer, type McpServerFactory, type McpServerOptions } from '../index.js';

/** A server with one plain tool, one agent that takes two tool steps, and one knowledge base (tests only). */
export async function createFixtureServer(): Promise<McpServerFactory> {
  return createMcpServer(await createFixtureOptions());
}

/** The fixture server's options, for servers that add to it. */
export async function createFixtureOptions(): Promise<McpServerOptions> {
  const add = defineTool({
    name: 'add',
    description: 'Adds two numbers.',
    parameters: Type.Object({ a: Type.Number(), b: Type.Number() }),
    execute: ({ a, b }) => a + b,
  });
  // Answers by the number of tool results so far, so every run (every MCP call) takes the same two tool steps.
  const model = new MockChatModel({
    repeatLast: true,
    responses: [
      (request) => {
        const done = request.messages.filter((message) => message.role === 'tool').length;
        if (done === 0) return { toolCalls: [{ toolName: 'add', input: { a: 1, b: 2 } }] };
        if (done === 1) return { toolCalls: [{ toolName: 'add', input: { a: 3, b: 4 } }] };
        return 'The sums are 3 and 7.';
      },
    ],
  });
  const calculator = createAgent({
    name: 'calculator',
    description: 'Answers arithmetic questions.',
    instructions: 'Use add.',
    model,
    tools: [add],
  });
  const knowledge = createKnowledgeBase({
    embedder: createHashingEmbedder({ dimensions: 64 }),
    vectorStore: createMemoryVectorStore({ dimensions: 64 }),
  });
  await knowledge.add([
    { id: 'mcp', source: 'docs/mcp.md', content: 'The Model Context Protocol connects agents to tools and data.' },
    { id: 'cats', source: 'docs/cats.md', content: 'Cats sleep for most of the day.' },
  ]);
  return { name: 'fixture', tools: [add], agents: [calculator], knowledge: { docs: knowledge } };
}
