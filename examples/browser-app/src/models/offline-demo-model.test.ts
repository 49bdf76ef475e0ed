import {
  type ChatStreamPart,
  citationsOf,
  createHashingEmbedder,
  createKnowledgeBase,
  createMemoryVectorStore,
  createResearchAgent,
  defineTool,
  Type,
} from '@agenticgen/core';
import { describe, expect, it } from 'vitest';
import { createOfflineDemoModel } from './offline-demo-model.js';

async function knowledgeBase() {
  const embedder = createHashingEmbedder({ dimensions: 256 });
  const knowledge = createKnowledgeBase({ vectorStore: createMemoryVectorStore({ dimensions: 256 }), embedder });
  await knowledge.add([
    {
      id: 'tides',
      source: 'Ocean tides',
      content: 'Ocean tides are caused by the gravitational pull of the Moon and the Sun.',
    },
    {
      id: 'bread',
      source: 'Sourdough',
      content: 'Sourdough bread rises thanks to wild yeast and lactic acid bacteria.',
    },
  ]);
  return knowledge;
}

/** A stand-in for @agenticgen/sandbox's run_python tool with the same name and output shape. */
const fakePython = defineTool({
  name: 'run_python',
  description: 'Runs Python.',
  parameters: Type.Object({ code: Type.String() }),
  execute: async ({ code }) => ({
    ok: true,
    stdout: `ran ${code.trim().length} characters\n`,
    stderr: '',
    result: '42',
    files: [],
    truncated: false,
  }),
});

describe('offline demo model', () => {
  it('answers a question by quoting the matching passage with a ref that citationsOf verifies', async () => {
    const agent = createResearchAgent({
      model: createOfflineDemoModel({ wordDelayMs: 0 }),
      knowledgeBase: await knowledgeBase(),
      topK: 3,
    });
    const result = await agent.run('What causes ocean tides?');
    expect(result.text).toContain('Offline demo model');
    expect(result.text).toContain(
      '> Ocean tides are caused by the gravitational pull of the Moon and the Sun. [tides#0]',
    );
    // Both documents were retrieved, but the unrelated one is not quoted.
    expect(result.steps[0]?.toolCalls[0]?.output).toMatchObject({ results: [{ ref: 'tides#0' }, { ref: 'bread#0' }] });
    expect(result.text).not.toContain('Sourdough');
    expect(citationsOf(result).map((citation) => [citation.ref, citation.source])).toEqual([
      ['tides#0', 'Ocean tides'],
    ]);
    expect(result.steps.map((step) => step.finishReason)).toEqual(['tool-calls', 'stop']);
    expect(result.usage.totalTokens).toBeGreaterThan(0);
  });

  it('says the knowledge base has nothing when no passage matches, instead of quoting the nearest ones', async () => {
    const agent = createResearchAgent({
      model: createOfflineDemoModel({ wordDelayMs: 0 }),
      knowledgeBase: await knowledgeBase(),
    });
    const result = await agent.run('How do volcanoes erupt?');
    expect(result.text).toContain('The knowledge base has nothing on that yet');
    expect(citationsOf(result)).toEqual([]);
  });

  it('sends Python in a fenced block to run_python and reports its output', async () => {
    const agent = createResearchAgent({
      model: createOfflineDemoModel({ wordDelayMs: 0 }),
      knowledgeBase: await knowledgeBase(),
      tools: [fakePython],
    });
    const result = await agent.run('Please run this:\n```python\nprint(6 * 7)\n```');
    expect(result.steps[0]?.toolCalls[0]).toMatchObject({ toolName: 'run_python', input: { code: 'print(6 * 7)\n' } });
    expect(result.text).toContain('ran 12 characters');
    expect(result.text).toContain('Result: 42');
  });

  it('reports a failed tool with its error code', async () => {
    const failing = defineTool({
      name: 'run_python',
      description: 'Runs Python.',
      parameters: Type.Object({ code: Type.String() }),
      execute: async () => {
        throw new Error('the sandbox is down');
      },
    });
    const agent = createResearchAgent({
      model: createOfflineDemoModel({ wordDelayMs: 0 }),
      knowledgeBase: await knowledgeBase(),
      tools: [failing],
    });
    const result = await agent.run('```python\n1\n```');
    expect(result.text).toMatch(/^The run_python tool failed \(tool-execution-failed\): .*the sandbox is down/);
  });

  it('streams the same answer generate() returns, with the same deterministic tool call ids', async () => {
    const model = createOfflineDemoModel({ wordDelayMs: 0 });
    const tools = [{ name: 'search_knowledge', description: 'Search.', parameters: { type: 'object' } }];
    const request = { messages: [{ role: 'user' as const, content: 'What causes ocean tides?' }], tools };
    const parts: ChatStreamPart[] = [];
    for await (const part of model.stream(request)) parts.push(part);
    const response = await model.generate(request);
    const end = parts.find((part) => part.type === 'tool-call-end');
    expect(end).toMatchObject({ toolName: 'search_knowledge', input: { query: 'What causes ocean tides?' } });
    expect(response.toolCalls).toEqual([
      {
        type: 'tool-call',
        toolCallId: end?.type === 'tool-call-end' ? end.toolCallId : '',
        toolName: 'search_knowledge',
        input: { query: 'What causes ocean tides?' },
      },
    ]);
    expect(parts.at(-1)).toMatchObject({ type: 'finish', finishReason: 'tool-calls' });
    expect(response.finishReason).toBe('tool-calls');
  });

  it('without tools says what it cannot do', async () => {
    const response = await createOfflineDemoModel({ wordDelayMs: 0 }).generate({
      messages: [{ role: 'user', content: 'Hello' }],
    });
    expect(response.text).toContain('no tools are available');
    expect(response.finishReason).toBe('stop');
  });
});
