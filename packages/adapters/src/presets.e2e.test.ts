import {
  type AgentEvent,
  type AgentRun,
  citationsOf,
  createCodingAgent,
  createCreativeAgent,
  createHashingEmbedder,
  createKnowledgeBase,
  createMemoryVectorStore,
  createResearchAgent,
  hasToolCall,
} from '@agenticgen/core';
import { createArithmeticSandbox } from '@agenticgen/core/testing';
import { describe, expect, it } from 'vitest';
import { createOpenAIChatModel } from './openai/index.js';
import { serverLog, uniqueKey } from './testing/contract-suite.js';
import { type ScriptedTurn, scriptFakeServer } from './testing/fake-server-script.js';
import { browserOptIn, fakeServerUrls } from './testing/fake-server-urls.js';

/**
 * End-to-end runs of each agent preset through the real OpenAI SDK against the fake OpenAI server (Node and
 * Chromium): the server answers from a script, and the tests read back the Chat Completions bodies it received.
 */
const urls = fakeServerUrls();

/** The parts of a Chat Completions request body the assertions look at. */
interface WireMessage {
  role: string;
  content: string | null;
  tool_calls?: Array<{ id: string; type: string; function: { name: string; arguments: string } }>;
  tool_call_id?: string;
}
interface WireBody extends Record<string, unknown> {
  messages: WireMessage[];
  tools?: Array<{ type: string; function: { name: string; parameters: unknown } }>;
}

/** A Chat Completions model whose answers are `turns`, plus the request bodies the server received so far. */
async function scriptedModel(turns: ScriptedTurn[]) {
  const key = uniqueKey();
  await scriptFakeServer(urls.openai, key, turns);
  const model = createOpenAIChatModel({
    modelId: `gpt-4.1-mini~scripted~${key}`,
    apiKey: 'sk-test',
    baseURL: `${urls.openai}/v1`,
    retry: false,
    ...browserOptIn,
  });
  const requests = async () => (await serverLog(urls.openai, key)).bodies as WireBody[];
  return { model, requests };
}

const toolCall = (id: string, name: string, input: unknown) => ({ id, name, arguments: JSON.stringify(input) });

/** The tool messages of a request, with their JSON content parsed. */
const toolResults = (body: WireBody | undefined) =>
  (body?.messages ?? [])
    .filter((message) => message.role === 'tool')
    .map((message) => ({ toolCallId: message.tool_call_id, output: JSON.parse(message.content ?? 'null') as unknown }));

async function drain(run: AgentRun) {
  const events: AgentEvent[] = [];
  for await (const event of run) events.push(event);
  return { events, result: await run.result };
}

/** Event types in order, steps numbered, so the sequence reads like the run. */
const outline = (events: readonly AgentEvent[]) =>
  events.map((event) =>
    event.type === 'step-start' || event.type === 'step-finish' ? `${event.type}:${event.step}` : event.type,
  );

describe('coding agent preset over the OpenAI wire', () => {
  it('calls run_python, sends the sandbox result back as a tool message and streams events in order', async () => {
    const { sandbox, log } = createArithmeticSandbox();
    const { model, requests } = await scriptedModel([
      {
        text: ['Let me compute that.'],
        toolCalls: [toolCall('call_py_1', 'run_python', { code: 'x = 6\nprint(x * 7)' })],
      },
      { text: ['6 × 7 ', 'is 42.'] },
    ]);
    const agent = createCodingAgent({ model, sandbox });
    const { events, result } = await drain(agent.stream('What is 6 times 7? Check with Python.'));

    expect(log.runs).toEqual(['x = 6\nprint(x * 7)']);
    expect(result.text).toBe('6 × 7 is 42.');
    expect(result.stopReason).toBe('stop');
    // Usage of both model calls, as the server reported it.
    expect(result.usage).toMatchObject({ inputTokens: 24, outputTokens: 14 });
    expect(outline(events)).toEqual([
      'run-start',
      'step-start:1',
      'text-delta',
      // The tool's arguments stream in (the fake server sends them in two pieces) before the call runs.
      'tool-input-start',
      'tool-input-delta',
      'tool-input-delta',
      'tool-call',
      'tool-result',
      'step-finish:1',
      'step-start:2',
      'text-delta',
      'text-delta',
      'step-finish:2',
      'run-finish',
    ]);
    expect(events.flatMap((event) => (event.type === 'text-delta' ? [event.delta] : []))).toEqual([
      'Let me compute that.',
      '6 × 7 ',
      'is 42.',
    ]);
    expect(events.find((event) => event.type === 'tool-call')).toMatchObject({
      toolCallId: 'call_py_1',
      toolName: 'run_python',
      input: { code: 'x = 6\nprint(x * 7)' },
    });
    expect(events.at(-1)).toMatchObject({ type: 'run-finish', result: { text: '6 × 7 is 42.' } });

    const [first, second, ...rest] = await requests();
    expect(rest).toEqual([]);
    expect(first).toMatchObject({ stream: true, tool_choice: 'auto' });
    expect(first?.tools).toEqual([
      expect.objectContaining({
        type: 'function',
        function: expect.objectContaining({
          name: 'run_python',
          parameters: expect.objectContaining({ properties: { code: expect.objectContaining({ type: 'string' }) } }),
        }),
      }),
    ]);
    expect(first?.messages[0]).toMatchObject({ role: 'system', content: expect.stringContaining('run_python') });
    expect(first?.messages[1]).toEqual({ role: 'user', content: 'What is 6 times 7? Check with Python.' });
    // The second request replays the assistant's call and answers it with the sandbox's result.
    expect(second?.messages.slice(2)).toEqual([
      {
        role: 'assistant',
        content: 'Let me compute that.',
        tool_calls: [
          {
            id: 'call_py_1',
            type: 'function',
            function: { name: 'run_python', arguments: JSON.stringify({ code: 'x = 6\nprint(x * 7)' }) },
          },
        ],
      },
      { role: 'tool', tool_call_id: 'call_py_1', content: expect.any(String) },
    ]);
    expect(toolResults(second)).toEqual([
      { toolCallId: 'call_py_1', output: { ok: true, stdout: '42\n', stderr: '', truncated: false } },
    ]);

    await agent.dispose();
    expect(log).toMatchObject({ sessions: 1, disposed: 1 });
  });

  it('returns Python exceptions, invalid or broken arguments and unknown tools to the model as structured errors', async () => {
    const { sandbox, log } = createArithmeticSandbox();
    const { model, requests } = await scriptedModel([
      {
        toolCalls: [
          toolCall('call_div', 'run_python', { code: 'print(1 // 0)' }),
          toolCall('call_bad', 'run_python', { script: 'print(1)' }),
          toolCall('call_shell', 'run_shell', { command: 'ls' }),
          // Arguments cut mid-JSON, as a model hitting its token limit produces them.
          { id: 'call_cut', name: 'run_python', arguments: '{"code": "print(2' },
        ],
      },
      { toolCalls: [toolCall('call_fixed', 'run_python', { code: '7 // 2' })] },
      { text: ['1 // 0 raises ZeroDivisionError; 7 // 2 is 3.'] },
    ]);
    const agent = createCodingAgent({ model, sandbox });
    const result = await agent.run('Divide 1 by 0, then 7 by 2.');

    expect(result.text).toBe('1 // 0 raises ZeroDivisionError; 7 // 2 is 3.');
    // Only well-formed calls of known tools reach the sandbox; its session persists across steps.
    expect(log.runs).toEqual(['print(1 // 0)', '7 // 2']);
    expect(log.sessions).toBe(1);
    const bodies = await requests();
    expect(bodies).toHaveLength(3);
    expect(toolResults(bodies[1])).toEqual([
      {
        toolCallId: 'call_div',
        output: {
          ok: false,
          stdout: '',
          stderr: '',
          truncated: false,
          error: {
            type: 'ZeroDivisionError',
            message: 'integer division or modulo by zero',
            traceback: expect.stringContaining('ZeroDivisionError'),
          },
        },
      },
      {
        toolCallId: 'call_bad',
        output: {
          error: {
            code: 'tool-invalid-arguments',
            message: expect.stringContaining('run_python'),
            issues: expect.any(Array),
          },
        },
      },
      {
        toolCallId: 'call_shell',
        output: { error: { code: 'tool-not-found', message: expect.stringContaining('run_python') } },
      },
      {
        toolCallId: 'call_cut',
        output: {
          error: {
            code: 'tool-invalid-arguments',
            message: expect.stringContaining('run_python'),
            issues: expect.any(Array),
          },
        },
      },
    ]);
    expect(toolResults(bodies[2]).at(-1)).toEqual({
      toolCallId: 'call_fixed',
      output: { ok: true, stdout: '', stderr: '', result: '3', truncated: false },
    });
    // The model sees its own calls replayed as it made them: the cut-off arguments are not re-encoded.
    const replayed = bodies[1]?.messages.find((message) => message.tool_calls !== undefined)?.tool_calls;
    expect(replayed?.map((call) => call.function.arguments)).toEqual([
      JSON.stringify({ code: 'print(1 // 0)' }),
      JSON.stringify({ script: 'print(1)' }),
      JSON.stringify({ command: 'ls' }),
      '{"code": "print(2',
    ]);
    expect(result.steps[0]?.toolCalls.map((call) => call.isError)).toEqual([false, true, true, true]);
    await agent.dispose();
  });

  it('ends the run on a stop condition or the step limit without another model call', async () => {
    const stopping = await scriptedModel([{ toolCalls: [toolCall('call_1', 'run_python', { code: '2 ** 10' })] }]);
    const byCondition = await createCodingAgent({
      model: stopping.model,
      sandbox: createArithmeticSandbox().sandbox,
      stopWhen: hasToolCall('run_python'),
    }).run('Compute 2 ** 10.');
    expect(byCondition.stopReason).toBe('stop-condition');
    expect(byCondition.steps[0]?.toolCalls[0]?.output).toMatchObject({ ok: true, result: '1024' });
    expect(await stopping.requests()).toHaveLength(1);

    const limited = await scriptedModel([{ toolCalls: [toolCall('call_1', 'run_python', { code: '1 + 1' })] }]);
    const byLimit = await createCodingAgent({
      model: limited.model,
      sandbox: createArithmeticSandbox().sandbox,
      maxSteps: 1,
    }).run('Compute 1 + 1.');
    expect(byLimit.stopReason).toBe('max-steps');
    expect(await limited.requests()).toHaveLength(1);
  });

  it('suspends before running code that needs approval and resumes from serialized state', async () => {
    const { sandbox, log } = createArithmeticSandbox();
    const { model, requests } = await scriptedModel([
      { toolCalls: [toolCall('call_py_1', 'run_python', { code: 'print(3 * 3)' })] },
      { text: ['It is 9.'] },
    ]);
    const agent = createCodingAgent({ model, sandbox, approveCode: true });
    const suspended = await agent.run('What is 3 * 3?');
    expect(suspended.status).toBe('suspended');
    expect(suspended.pendingApprovals).toEqual([
      { toolCallId: 'call_py_1', toolName: 'run_python', input: { code: 'print(3 * 3)' } },
    ]);
    expect(log.runs).toEqual([]);
    expect(await requests()).toHaveLength(1);

    const state = JSON.parse(JSON.stringify(suspended.state));
    const resumed = await agent.resume(state, { call_py_1: { approved: true } });
    expect(resumed).toMatchObject({ status: 'completed', text: 'It is 9.' });
    expect(log.runs).toEqual(['print(3 * 3)']);
    const bodies = await requests();
    expect(bodies).toHaveLength(2);
    expect(toolResults(bodies[1])).toEqual([
      { toolCallId: 'call_py_1', output: { ok: true, stdout: '9\n', stderr: '', truncated: false } },
    ]);
    await agent.dispose();
  });
});

describe('research agent preset over the OpenAI wire', () => {
  const documents = [
    {
      id: 'tides',
      source: 'https://example.org/tides',
      content: 'Ocean tides are caused by the gravitational pull of the Moon and the Sun on the oceans.',
    },
    {
      id: 'bread',
      source: 'https://example.org/bread',
      content: 'Sourdough bread rises because a wild yeast starter ferments the dough.',
    },
    {
      id: 'volcanoes',
      source: 'https://example.org/volcanoes',
      content: 'Volcanoes erupt when magma rises through cracks in the crust of the Earth.',
    },
  ];

  it('retrieves from the knowledge base over a real tool call and cites exactly the chunks it retrieved', async () => {
    const embedder = createHashingEmbedder({ dimensions: 256 });
    const knowledgeBase = createKnowledgeBase({ vectorStore: createMemoryVectorStore({ dimensions: 256 }), embedder });
    await knowledgeBase.add(documents);
    const { model, requests } = await scriptedModel([
      { toolCalls: [toolCall('call_search', 'search_knowledge', { query: 'what causes ocean tides' })] },
      {
        text: [
          'Tides come from the pull of the Moon and the Sun ',
          '[tides#0]. ',
          'Some say the wind does it [blog#4].',
        ],
      },
    ]);
    const agent = createResearchAgent({ model, knowledgeBase, topK: 2 });
    const result = await agent.run('What causes tides?');

    const [first, second] = await requests();
    expect(first?.tools?.map((tool) => tool.function.name)).toEqual(['search_knowledge']);
    expect(first?.messages[0]).toMatchObject({ role: 'system', content: expect.stringContaining('cite') });
    // What the model read over the wire is exactly what the agent retrieved and recorded.
    const [sent] = toolResults(second);
    expect(sent?.toolCallId).toBe('call_search');
    expect(sent?.output).toEqual(result.steps[0]?.toolCalls[0]?.output);
    const passages = (sent?.output as { results?: Array<Record<string, unknown>> } | undefined)?.results ?? [];
    expect(passages).toHaveLength(2);
    expect(passages[0]).toMatchObject({
      ref: 'tides#0',
      source: 'https://example.org/tides',
      documentId: 'tides',
      chunkIndex: 0,
      text: documents[0]?.content,
    });

    expect(result.text).toBe(
      'Tides come from the pull of the Moon and the Sun [tides#0]. Some say the wind does it [blog#4].',
    );
    // Only refs that match a retrieved chunk become citations; the invented one is dropped.
    const citations = citationsOf(result);
    expect(citations).toEqual([
      {
        ref: 'tides#0',
        source: 'https://example.org/tides',
        documentId: 'tides',
        chunkIndex: 0,
        text: documents[0]?.content,
      },
    ]);
    for (const citation of citations) {
      expect(passages).toContainEqual(expect.objectContaining(citation));
    }
  });
});

describe('creative agent preset over the OpenAI wire', () => {
  it('sends no tools, sends its sampling defaults and streams the text in order', async () => {
    const chunks = ['Moon', 'light on ', 'the tide, ', 'silver and slow.'];
    const { model, requests } = await scriptedModel([{ text: chunks }]);
    const { events, result } = await drain(createCreativeAgent({ model }).stream('A line about the sea.'));

    expect(outline(events)).toEqual([
      'run-start',
      'step-start:1',
      ...chunks.map(() => 'text-delta'),
      'step-finish:1',
      'run-finish',
    ]);
    expect(events.flatMap((event) => (event.type === 'text-delta' ? [event.delta] : []))).toEqual(chunks);
    expect(result.text).toBe(chunks.join(''));
    const [body, ...rest] = await requests();
    expect(rest).toEqual([]);
    expect(body).toMatchObject({ stream: true, temperature: 0.9, top_p: 0.95 });
    expect(body).not.toHaveProperty('tools');
    expect(body).not.toHaveProperty('tool_choice');
    expect(body).not.toHaveProperty('parallel_tool_calls');
  });

  it('sends the caller’s sampling settings over its defaults', async () => {
    const { model, requests } = await scriptedModel([{ text: ['Waves.'] }]);
    await createCreativeAgent({
      model,
      temperature: 1.2,
      seed: 7,
      maxOutputTokens: 64,
      stopSequences: ['THE END'],
    }).run('One word about the sea.');
    const [body] = await requests();
    expect(body).toMatchObject({
      temperature: 1.2,
      top_p: 0.95,
      seed: 7,
      max_completion_tokens: 64,
      stop: ['THE END'],
    });
  });
});
