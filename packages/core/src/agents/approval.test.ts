import { describe, expect, it } from 'vitest';
import type { ToolResultPart } from '../contracts/chat-model.js';
import { MockChatModel } from '../testing/mock-chat-model.js';
import { createAgent } from './create-agent.js';
import { createBankAgent } from './fixtures/bank-agent.js';
import { createMemoryResumeTokenStore } from './resume-tokens.js';
import type { AgentRunState } from './types.js';

const script = () => [
  {
    toolCalls: [
      { toolName: 'balance', input: {}, toolCallId: 'b1' },
      { toolName: 'transfer', input: { to: 'alice', amount: 30 }, toolCallId: 't1' },
    ],
  },
  (request: { messages: unknown[] }) =>
    `Done: ${JSON.stringify((request.messages.at(-1) as { content: unknown }).content)}`,
];

describe('tools that need approval', () => {
  it('suspend the run with JSON state; an approval resumes it in a fresh agent instance', async () => {
    const transfers: string[] = [];
    const first = await createBankAgent(new MockChatModel({ responses: script() }), transfers).run('Send alice 30');
    expect(first.status).toBe('suspended');
    expect(first.stopReason).toBe('approval-required');
    expect(first.pendingApprovals).toEqual([
      { toolCallId: 't1', toolName: 'transfer', input: { to: 'alice', amount: 30 } },
    ]);
    expect(transfers).toEqual([]);

    const stored = JSON.stringify(first.state);
    const restored = JSON.parse(stored) as AgentRunState;
    const model = new MockChatModel({ responses: script().slice(1) });
    const resumed = await createBankAgent(model, transfers).resume(restored, { t1: { approved: true } });
    expect(resumed.status).toBe('completed');
    expect(transfers).toEqual(['30 to alice']);
    expect(resumed.runId).toBe(first.runId);
    const results = model.requests[0]?.messages.at(-1)?.content as ToolResultPart[];
    // The balance call that ran before suspension and the approved transfer go back together, in call order.
    expect(results.map((part) => [part.toolCallId, part.output])).toEqual([
      ['b1', 100],
      ['t1', { ok: true, to: 'alice', amount: 30 }],
    ]);
    expect(resumed.steps).toHaveLength(2);
    expect(resumed.steps[0]?.toolCalls.map((call) => call.toolCallId)).toEqual(['b1', 't1']);
  });

  it('a denial reaches the model as a structured error and the tool never runs', async () => {
    const transfers: string[] = [];
    const first = await createBankAgent(new MockChatModel({ responses: script() }), transfers).run('Send alice 30');
    const model = new MockChatModel({ responses: script().slice(1) });
    const events: string[] = [];
    const resumed = await createBankAgent(model, transfers).resume(
      first.state as AgentRunState,
      {
        t1: { approved: false, reason: 'over the daily limit' },
      },
      { onEvent: (event) => events.push(event.type) },
    );
    expect(transfers).toEqual([]);
    const results = model.requests[0]?.messages.at(-1)?.content as ToolResultPart[];
    expect(results[1]).toEqual({
      type: 'tool-result',
      toolCallId: 't1',
      toolName: 'transfer',
      isError: true,
      output: { error: { code: 'tool-denied', message: expect.stringContaining('over the daily limit') } },
    });
    expect(resumed.text).toContain('tool-denied');
    expect(events[0]).toBe('run-start');
    expect(events).toContain('tool-result');
  });

  it('rejects missing decisions, another agent, and corrupted state with clear codes', async () => {
    const transfers: string[] = [];
    const first = await createBankAgent(new MockChatModel({ responses: script() }), transfers).run('Send alice 30');
    const state = first.state as AgentRunState;
    const agent = createBankAgent(new MockChatModel({ responses: ['x'] }), transfers);
    await expect(agent.resume(state, {})).rejects.toMatchObject({
      code: 'invalid-argument',
      message: expect.stringContaining('t1'),
    });
    const other = createAgent({ name: 'other', instructions: '', model: new MockChatModel() });
    await expect(other.resume(state, { t1: { approved: true } })).rejects.toMatchObject({ code: 'conflict' });
    const corrupted = { ...state, messages: 'oops' } as unknown as AgentRunState;
    await expect(agent.resume(corrupted, { t1: { approved: true } })).rejects.toMatchObject({
      code: 'invalid-argument',
      message: expect.stringContaining('/messages'),
    });
    expect(transfers).toEqual([]);
  });

  it('invalid arguments to an approval tool go straight back to the model without asking a person', async () => {
    const transfers: string[] = [];
    const model = new MockChatModel({
      responses: [{ toolCalls: [{ toolName: 'transfer', input: { to: 'bob' } }] }, 'I need the amount.'],
    });
    const result = await createBankAgent(model, transfers).run('Send bob money');
    expect(result.status).toBe('completed');
    expect(result.steps[0]?.toolCalls[0]).toMatchObject({
      isError: true,
      output: { error: { code: 'tool-invalid-arguments' } },
    });
  });

  it('a suspended state is single-use: resuming it twice runs the approved tool once and fails with conflict', async () => {
    const transfers: string[] = [];
    const first = await createBankAgent(new MockChatModel({ responses: script() }), transfers).run('Send alice 30');
    const agent = createBankAgent(new MockChatModel({ responses: [...script().slice(1), 'again'] }), transfers);
    const state = JSON.parse(JSON.stringify(first.state)) as AgentRunState;
    await agent.resume(state, { t1: { approved: true } });
    const second = await agent.resume(state, { t1: { approved: true } }).catch((error: unknown) => error);
    expect(second).toMatchObject({ code: 'conflict', message: expect.stringContaining('already resumed') });
    expect(transfers).toEqual(['30 to alice']);
    // The streaming variant refuses too.
    const events: string[] = [];
    const stream = agent.resumeStream(state, { t1: { approved: true } });
    await expect(
      (async () => {
        for await (const event of stream) events.push(event.type);
      })(),
    ).rejects.toMatchObject({ code: 'conflict' });
    expect(transfers).toEqual(['30 to alice']);
  });

  it('two agent instances sharing a resume-token store resume one state concurrently: the tool runs once', async () => {
    const transfers: string[] = [];
    const first = await createBankAgent(new MockChatModel({ responses: script() }), transfers).run('Send alice 30');
    const shared = createMemoryResumeTokenStore();
    const outcomes = await Promise.allSettled(
      [1, 2].map(() =>
        createBankAgent(new MockChatModel({ responses: script().slice(1) }), transfers, shared).resume(
          structuredClone(first.state as AgentRunState),
          { t1: { approved: true } },
        ),
      ),
    );
    expect(outcomes.map((outcome) => outcome.status).sort()).toEqual(['fulfilled', 'rejected']);
    const rejected = outcomes.find((outcome) => outcome.status === 'rejected');
    expect(rejected?.reason).toMatchObject({ code: 'conflict' });
    expect(transfers).toEqual(['30 to alice']);
  });

  it('the in-memory resume-token store remembers at most maxTokens tokens, forgetting the oldest', async () => {
    const store = createMemoryResumeTokenStore({ maxTokens: 2 });
    expect(await store.consume('a')).toBe(true);
    expect(await store.consume('a')).toBe(false);
    expect(await store.consume('b')).toBe(true);
    expect(await store.consume('c')).toBe(true);
    // 'a' was the oldest of three: forgotten, so it can be consumed again; 'b' and 'c' cannot.
    expect(await store.consume('a')).toBe(true);
    expect(await store.consume('c')).toBe(false);
    expect(() => createMemoryResumeTokenStore({ maxTokens: 0 })).toThrow(
      expect.objectContaining({ code: 'invalid-argument' }),
    );
  });
});
