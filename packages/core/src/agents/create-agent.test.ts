import { Type } from '@sinclair/typebox';
import { describe, expect, it } from 'vitest';
import type { ChatMessage, ToolResultPart } from '../contracts/chat-model.js';
import { AgenticGenError } from '../errors/agenticgen-error.js';
import { createEventBus } from '../events/event-bus.js';
import type { RuntimeEvents } from '../events/runtime-events.js';
import { MockChatModel } from '../testing/mock-chat-model.js';
import { defineTool } from '../tools/define-tool.js';
import { createAgent } from './create-agent.js';
import { hasToolCall, stepCountIs } from './stop-conditions.js';
import type { AgentEvent } from './types.js';

const add = defineTool({
  name: 'add',
  description: 'Adds two numbers.',
  parameters: Type.Object({ a: Type.Number(), b: Type.Number() }),
  execute: ({ a, b }) => a + b,
});

function toolResults(messages: readonly ChatMessage[]): ToolResultPart[] {
  return messages.flatMap((message) => (message.role === 'tool' ? message.content : []));
}

async function collect(events: AsyncIterable<AgentEvent>): Promise<AgentEvent[]> {
  const list: AgentEvent[] = [];
  for await (const event of events) list.push(event);
  return list;
}

describe('createAgent tool loop', () => {
  it('streams text deltas and ordered lifecycle events, and sends instructions as the system message', async () => {
    const model = new MockChatModel({ responses: [{ text: 'Hello there, friend', chunkSize: 5 }] });
    const agent = createAgent({ name: 'greeter', instructions: 'Be kind.', model });
    const run = agent.stream('hi');
    const events = await collect(run);
    const result = await run.result;
    expect(result.text).toBe('Hello there, friend');
    expect(result.status).toBe('completed');
    expect(result.stopReason).toBe('stop');
    const types = events.map((event) => event.type);
    expect(types[0]).toBe('run-start');
    expect(types[1]).toBe('step-start');
    expect(types.filter((type) => type === 'text-delta').length).toBeGreaterThan(1);
    expect(types.slice(-2)).toEqual(['step-finish', 'run-finish']);
    expect(events.flatMap((event) => (event.type === 'text-delta' ? [event.delta] : [])).join('')).toBe(
      'Hello there, friend',
    );
    expect(model.requests[0]?.messages[0]).toEqual({ role: 'system', content: 'Be kind.' });
    expect(result.messages).toEqual([
      { role: 'user', content: 'hi' },
      { role: 'assistant', content: [{ type: 'text', text: 'Hello there, friend' }] },
    ]);
  });

  it('executes tool calls, feeds results back and finishes with the model answer; usage adds up', async () => {
    const model = new MockChatModel({
      responses: [
        {
          toolCalls: [{ toolName: 'add', input: { a: 2, b: 3 }, toolCallId: 'c1' }],
          usage: { inputTokens: 10, outputTokens: 5 },
        },
        { text: 'The sum is 5.', usage: { inputTokens: 20, outputTokens: 4 } },
      ],
    });
    const agent = createAgent({ name: 'calc', instructions: 'Use tools.', model, tools: [add] });
    const result = await agent.run('2+3?');
    expect(result.text).toBe('The sum is 5.');
    expect(result.steps).toHaveLength(2);
    expect(result.steps[0]?.toolCalls[0]).toMatchObject({ toolName: 'add', output: 5, isError: false });
    expect(result.usage).toEqual({ inputTokens: 30, outputTokens: 9, totalTokens: 39 });
    expect(toolResults(model.requests[1]?.messages ?? [])).toEqual([
      { type: 'tool-result', toolCallId: 'c1', toolName: 'add', output: 5 },
    ]);
    expect(model.requests[0]?.tools?.map((tool) => tool.name)).toEqual(['add']);
  });

  it('runs the tool calls of one step concurrently, or one by one when parallelToolCalls is false', async () => {
    const started: string[] = [];
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const wait = defineTool({
      name: 'wait',
      description: 'Waits for the other call to start.',
      parameters: Type.Object({ id: Type.String() }),
      async execute({ id }) {
        started.push(id);
        if (started.length === 2) release();
        await gate; // Both calls must be running at once, or this never resolves and the tool times out.
        return id;
      },
      timeoutMs: 2_000,
    });
    const script = () => [
      {
        toolCalls: [
          { toolName: 'wait', input: { id: 'a' } },
          { toolName: 'wait', input: { id: 'b' } },
        ],
      },
      'done',
    ];
    const parallel = createAgent({
      name: 'p',
      instructions: '',
      model: new MockChatModel({ responses: script() }),
      tools: [wait],
    });
    const result = await parallel.run('go');
    expect(result.steps[0]?.toolCalls.map((call) => [call.output, call.isError])).toEqual([
      ['a', false],
      ['b', false],
    ]);

    const order: string[] = [];
    const ordered = defineTool({
      name: 'wait',
      description: 'Records order.',
      parameters: Type.Object({ id: Type.String() }),
      async execute({ id }) {
        order.push(`start ${id}`);
        await new Promise((resolve) => setTimeout(resolve, 5));
        order.push(`end ${id}`);
        return id;
      },
    });
    const sequential = createAgent({
      name: 's',
      instructions: '',
      model: new MockChatModel({ responses: script() }),
      tools: [ordered],
      parallelToolCalls: false,
    });
    await sequential.run('go');
    expect(order).toEqual(['start a', 'end a', 'start b', 'end b']);
  });

  it('returns invalid and unknown tool calls to the model as structured errors and lets it recover', async () => {
    const model = new MockChatModel({
      responses: [
        {
          toolCalls: [
            { toolName: 'add', input: { a: 'two', b: 3 }, toolCallId: 'bad' },
            { toolName: 'multiply', input: { a: 1 }, toolCallId: 'unknown' },
            { toolName: 'add', input: '{not json', toolCallId: 'broken' },
          ],
        },
        { toolCalls: [{ toolName: 'add', input: { a: 2, b: 3 }, toolCallId: 'good' }] },
        'It is 5.',
      ],
    });
    const agent = createAgent({ name: 'calc', instructions: '', model, tools: [add] });
    const result = await agent.run('2+3?');
    expect(result.text).toBe('It is 5.');
    const sent = toolResults(model.requests[1]?.messages ?? []);
    expect(sent.map((part) => [part.toolCallId, part.isError])).toEqual([
      ['bad', true],
      ['unknown', true],
      ['broken', true],
    ]);
    const codes = sent.map((part) => (part.output as { error: { code: string } }).error.code);
    expect(codes).toEqual(['tool-invalid-arguments', 'tool-not-found', 'tool-invalid-arguments']);
    expect(sent[0]?.output).toMatchObject({ error: { issues: [{ path: '/a' }] } });
  });

  it('stops on stop conditions: a named tool was called, a step count, a custom predicate, maxSteps', async () => {
    const finish = defineTool({
      name: 'finish',
      description: 'Ends the task.',
      parameters: Type.Object({ answer: Type.String() }),
      execute: ({ answer }) => answer,
    });
    const looping = () =>
      new MockChatModel({ responses: [{ toolCalls: [{ toolName: 'add', input: { a: 1, b: 1 } }] }], repeatLast: true });

    const byTool = createAgent({
      name: 'a',
      instructions: '',
      model: new MockChatModel({
        responses: [
          { toolCalls: [{ toolName: 'add', input: { a: 1, b: 1 } }] },
          { toolCalls: [{ toolName: 'finish', input: { answer: '42' } }] },
          'never reached',
        ],
      }),
      tools: [add, finish],
      stopWhen: hasToolCall('finish'),
    });
    const first = await byTool.run('go');
    expect(first.stopReason).toBe('stop-condition');
    expect(first.steps).toHaveLength(2);
    expect(first.steps[1]?.toolCalls[0]?.output).toBe('42');

    const byCount = await createAgent({
      name: 'b',
      instructions: '',
      model: looping(),
      tools: [add],
      stopWhen: stepCountIs(3),
    }).run('go');
    expect([byCount.stopReason, byCount.steps.length]).toEqual(['stop-condition', 3]);

    const custom = await createAgent({
      name: 'c',
      instructions: '',
      model: looping(),
      tools: [add],
      stopWhen: ({ steps }) => steps.reduce((sum, step) => sum + step.usage.totalTokens, 0) > 0 && steps.length === 2,
    }).run('go');
    expect(custom.steps).toHaveLength(2);

    const capped = await createAgent({ name: 'd', instructions: '', model: looping(), tools: [add], maxSteps: 4 }).run(
      'go',
    );
    expect([capped.stopReason, capped.steps.length]).toEqual(['max-steps', 4]);
  });

  it('enforces the per-step timeout, the total timeout and the caller AbortSignal with distinct codes', async () => {
    const slow = () => new MockChatModel({ responses: [{ text: 'late', delayMs: 10_000 }] });
    const stepTimeout = createAgent({ name: 'a', instructions: '', model: slow(), stepTimeoutMs: 30 }).run('x');
    await expect(stepTimeout).rejects.toMatchObject({ code: 'timeout', message: expect.stringContaining('step 1') });

    const total = createAgent({ name: 'b', instructions: '', model: slow(), timeoutMs: 30 }).run('x');
    await expect(total).rejects.toMatchObject({ code: 'timeout' });

    const controller = new AbortController();
    const aborted = createAgent({ name: 'c', instructions: '', model: slow() }).run('x', { signal: controller.signal });
    setTimeout(() => controller.abort(), 10);
    await expect(aborted).rejects.toMatchObject({ code: 'aborted' });

    // A tool that hangs is bounded by the step timeout too, and the run fails rather than feeding the model.
    const hang = defineTool({
      name: 'hang',
      description: 'Never returns.',
      parameters: Type.Object({}),
      execute: () => new Promise(() => {}),
    });
    const model = new MockChatModel({ responses: [{ toolCalls: [{ toolName: 'hang', input: {} }] }, 'unreachable'] });
    const hung = createAgent({ name: 'd', instructions: '', model, tools: [hang], stepTimeoutMs: 40 }).run('x');
    await expect(hung).rejects.toMatchObject({ code: 'timeout' });
    expect(model.calls).toHaveLength(1);
  });

  it('emits runtime events with tokens, latency and error codes for metrics', async () => {
    const events = createEventBus<RuntimeEvents>();
    const seen: Array<{ name: string; payload: Record<string, unknown> }> = [];
    for (const name of [
      'run-start',
      'run-finish',
      'model-call-start',
      'model-call-finish',
      'tool-call-start',
      'tool-call-finish',
    ] as const) {
      events.on(name, (payload) => {
        seen.push({ name, payload: payload as unknown as Record<string, unknown> });
      });
    }
    const model = new MockChatModel({
      responses: [
        { toolCalls: [{ toolName: 'add', input: { a: 'x' } }], usage: { inputTokens: 7, outputTokens: 3 } },
        { text: 'ok', usage: { inputTokens: 9, outputTokens: 1 } },
      ],
    });
    await createAgent({ name: 'm', instructions: '', model, tools: [add], events }).run('go');
    expect(seen.map((event) => event.name)).toEqual([
      'run-start',
      'model-call-start',
      'model-call-finish',
      'tool-call-start',
      'tool-call-finish',
      'model-call-start',
      'model-call-finish',
      'run-finish',
    ]);
    expect(seen[2]?.payload).toMatchObject({
      status: 'success',
      usage: { inputTokens: 7, outputTokens: 3 },
      provider: 'mock',
    });
    expect(typeof seen[2]?.payload.durationMs).toBe('number');
    expect(seen[4]?.payload).toMatchObject({ status: 'error', errorCode: 'tool-invalid-arguments', toolName: 'add' });
    expect(seen[7]?.payload).toMatchObject({ status: 'success', steps: 2, usage: { totalTokens: 20 } });

    const failing = new MockChatModel({
      responses: [{ error: new AgenticGenError('rate-limit', '[mock] slow down') }],
    });
    await expect(createAgent({ name: 'f', instructions: '', model: failing, events }).run('x')).rejects.toMatchObject({
      code: 'rate-limit',
    });
    expect(seen.at(-1)).toMatchObject({ name: 'run-finish', payload: { status: 'error', errorCode: 'rate-limit' } });
    expect(seen.at(-2)).toMatchObject({
      name: 'model-call-finish',
      payload: { status: 'error', errorCode: 'rate-limit' },
    });
  });

  it('rejects bad options with invalid-config and empty input with invalid-argument', async () => {
    const model = new MockChatModel({ responses: ['x'] });
    expect(() => createAgent({ name: 'bad name!', instructions: '', model })).toThrow(
      expect.objectContaining({ code: 'invalid-config' }),
    );
    expect(() => createAgent({ name: 'a', instructions: '', model, maxSteps: 0 })).toThrow(/maxSteps/);
    await expect(createAgent({ name: 'a', instructions: '', model }).run([])).rejects.toMatchObject({
      code: 'invalid-argument',
    });
    await expect(
      createAgent({ name: 'a', instructions: '', model }).run([{ role: 'robot', content: 'x' }] as never),
    ).rejects.toMatchObject({ code: 'invalid-argument', message: expect.stringContaining('input message 0') });
    expect(model.calls).toHaveLength(0);
  });

  it('closing the event stream early cancels the run', async () => {
    const model = new MockChatModel({
      responses: [{ text: 'a long answer that streams slowly', chunkSize: 2, partDelayMs: 5 }],
    });
    const run = createAgent({ name: 'a', instructions: '', model }).stream('x');
    for await (const event of run) {
      if (event.type === 'text-delta') break;
    }
    await expect(run.result).rejects.toMatchObject({ code: 'aborted' });
  });

  it('is usable as a tool of another agent', async () => {
    const specialist = createAgent({
      name: 'specialist',
      description: 'Knows the capital of France.',
      instructions: '',
      model: new MockChatModel({ responses: ['Paris'] }),
    });
    const boss = createAgent({
      name: 'boss',
      instructions: '',
      model: new MockChatModel({
        responses: [
          { toolCalls: [{ toolName: 'specialist', input: { input: 'Capital of France?' } }] },
          'It is Paris.',
        ],
      }),
      tools: [specialist.asTool()],
    });
    const result = await boss.run('?');
    expect(result.steps[0]?.toolCalls[0]?.output).toBe('Paris');
    expect(result.text).toBe('It is Paris.');
  });
});
