import {
  type ChatRequest,
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

const tool = (name: string) => ({ name, description: name, parameters: { type: 'object' } });

async function streamed(request: ChatRequest, model = createOfflineDemoModel({ wordDelayMs: 0 })) {
  const parts: ChatStreamPart[] = [];
  for await (const part of model.stream(request)) parts.push(part);
  return parts;
}

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
const createPythonTool = defineTool({
  name: 'run_python',
  description: 'Runs Python.',
  parameters: Type.Object({ code: Type.String() }),
  execute: async ({ code }) => ({
    ok: true,
    stdout: `ran ${code.trim().length} characters\n`,
    stderr: '',
    result: { repr: '42', mime: { 'text/plain': '42' } },
    durationMs: 3.2,
    truncated: false,
  }),
});

/** A search_knowledge result message, as the agent loop sends it back. */
const searchResult = (results: unknown[]): ChatRequest['messages'] => [
  { role: 'user', content: 'Why is the sky blue?' },
  { role: 'assistant', content: [{ type: 'tool-call', toolCallId: 'c1', toolName: 'search_knowledge', input: {} }] },
  {
    role: 'tool',
    content: [{ type: 'tool-result', toolCallId: 'c1', toolName: 'search_knowledge', output: { results } }],
  },
];

describe('offline demo model', () => {
  it('looks a question up with search_knowledge as a streamed tool call, with the topK it was given', async () => {
    const parts = await streamed(
      { messages: [{ role: 'user', content: 'Why is the sky blue?' }], tools: [tool('search_knowledge')] },
      createOfflineDemoModel({ wordDelayMs: 0, searchTopK: 3 }),
    );
    expect(parts.map((part) => part.type)).toEqual([
      'response-start',
      'tool-call-start',
      'tool-call-delta',
      'tool-call-end',
      'finish',
    ]);
    expect(parts[3]).toMatchObject({ toolName: 'search_knowledge', input: { query: 'Why is the sky blue?', topK: 3 } });
    expect(parts[4]).toMatchObject({ finishReason: 'tool-calls' });
  });

  it('answers through a research agent by quoting the matching passage with a ref that citationsOf verifies', async () => {
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

  it('cites numbered passages with a source list, leaving Markdown headings out of quotes', async () => {
    const model = createOfflineDemoModel({ wordDelayMs: 0, citations: 'numbered', onlyMatchingPassages: false });
    const response = await model.generate({
      messages: searchResult([
        { source: 'optics.md', chunk: 2, text: '## Scattering\nShort wavelengths scatter more.', score: 0.9 },
        { source: 'air.txt', chunkIndex: 0, text: 'Air is mostly nitrogen.', score: 0.4 },
      ]),
    });
    expect(response.text).toContain('> Short wavelengths scatter more. [1]');
    expect(response.text).not.toContain('## Scattering');
    expect(response.text).toContain('Sources:\n[1] optics.md (passage 3)\n[2] air.txt (passage 1)');
    expect(response.finishReason).toBe('stop');
    expect(response.usage.outputTokens).toBeGreaterThan(0);
  });

  it('sends Python in a fenced block to run_python and reports its output, result and duration', async () => {
    const agent = createResearchAgent({
      model: createOfflineDemoModel({ wordDelayMs: 0 }),
      knowledgeBase: await knowledgeBase(),
      tools: [createPythonTool],
    });
    const result = await agent.run('Please run this:\n```python\nprint(6 * 7)\n```');
    expect(result.steps[0]?.toolCalls[0]).toMatchObject({ toolName: 'run_python', input: { code: 'print(6 * 7)\n' } });
    expect(result.text).toContain('Ran your Python in the sandbox (3 ms).');
    expect(result.text).toContain('ran 12 characters');
    expect(result.text).toContain('Result: `42`');
  });

  it('reports a flattened Python error as well as a structured one', async () => {
    const model = createOfflineDemoModel({ wordDelayMs: 0 });
    const answer = async (output: unknown) =>
      (
        await model.generate({
          messages: [
            {
              role: 'tool',
              content: [{ type: 'tool-result', toolCallId: 'c', toolName: 'run_python', output }],
            },
          ],
        })
      ).text;
    expect(await answer({ ok: false, error: { type: 'ZeroDivisionError', message: 'division by zero' } })).toContain(
      'ZeroDivisionError: division by zero',
    );
    expect(await answer({ ok: false, error: 'Traceback …\nNameError: x' })).toContain('NameError: x');
  });

  it('reports failed tools with their error code, whichever shape the tool used', async () => {
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
    const flat = await createOfflineDemoModel({ wordDelayMs: 0 }).generate({
      messages: [
        {
          role: 'tool',
          content: [
            {
              type: 'tool-result',
              toolCallId: 'c',
              toolName: 'run_python',
              output: { code: 'timeout', message: 'too slow' },
              isError: true,
            },
          ],
        },
      ],
    });
    expect(flat.text).toBe('The run_python tool failed (timeout): too slow');
  });

  it('delegates both parts of a mixed task to a supervisor’s researcher and coder', async () => {
    const parts = await streamed({
      messages: [{ role: 'user', content: 'What is pi?\n```python\nimport math; math.pi\n```' }],
      tools: [tool('researcher'), tool('coder')],
    });
    const calls = parts.flatMap((part) => (part.type === 'tool-call-end' ? [part] : []));
    expect(calls.map((call) => [call.toolName, call.input])).toEqual([
      ['researcher', { input: 'What is pi?' }],
      ['coder', { input: '```python\nimport math; math.pi\n```' }],
    ]);
    expect(new Set(calls.map((call) => call.toolCallId)).size).toBe(2);
  });

  it('streams the same answer generate() returns, with the same deterministic tool call ids', async () => {
    const model = createOfflineDemoModel({ wordDelayMs: 0 });
    const request = {
      messages: [{ role: 'user' as const, content: 'What causes ocean tides?' }],
      tools: [tool('search_knowledge')],
    };
    const parts = await streamed(request, model);
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
    expect(response.finishReason).toBe('tool-calls');
  });

  it('streams word by word and stops when the request is aborted', async () => {
    const controller = new AbortController();
    const model = createOfflineDemoModel({ wordDelayMs: 5 });
    const words: string[] = [];
    const run = (async () => {
      for await (const part of model.stream({
        messages: [{ role: 'user', content: 'Hello' }],
        signal: controller.signal,
      })) {
        if (part.type === 'text-delta') {
          words.push(part.delta);
          if (words.length === 3) controller.abort();
        }
      }
    })();
    await expect(run).rejects.toMatchObject({ code: 'aborted' });
    expect(words).toHaveLength(3);
  });

  it('without tools says what it cannot do, plus the hint it was given', async () => {
    const response = await createOfflineDemoModel({ wordDelayMs: 0, noToolsHint: 'Set OPENAI_API_KEY.' }).generate({
      messages: [{ role: 'user', content: 'Hello' }],
    });
    expect(response.text).toBe(
      'Offline demo model: no tools are available, so I can neither search the knowledge base nor run code. Set OPENAI_API_KEY.',
    );
    expect(response.finishReason).toBe('stop');
  });
});
