import { describe, expect, it } from 'vitest';
import { createAgent } from '../agents/create-agent.js';
import type { ChatModel } from '../contracts/chat-model.js';
import { MockChatModel } from '../testing/mock-chat-model.js';
import { runDag, validateDag } from './dag.js';
import { createAgentTask, runParallel, runPipeline } from './patterns.js';
import { createScheduler } from './scheduler.js';
import { createSupervisor } from './supervisor.js';

const echoAgent = (name: string, transform: (input: string) => string) =>
  createAgent({
    name,
    instructions: '',
    model: new MockChatModel({
      responses: [(request) => transform(String(request.messages.at(-1)?.content ?? ''))],
      repeatLast: true,
    }),
  });

describe('sequential pipeline', () => {
  it('feeds each stage the previous output: agents and functions mixed', async () => {
    const stages: string[] = [];
    const result = await runPipeline(
      [
        echoAgent('draft', (input) => `draft(${input})`),
        { name: 'shout', run: (input: unknown) => String(input).toUpperCase() },
        echoAgent('review', (input) => `review(${input})`),
      ],
      'topic',
      { onStage: (outcome) => stages.push(outcome.name) },
    );
    expect(result.output).toBe('review(DRAFT(TOPIC))');
    expect(stages).toEqual(['draft', 'shout', 'review']);
    expect(result.stages[0]?.result?.status).toBe('completed');
  });

  it('names the failing stage and stops there', async () => {
    let reached = false;
    const failing = runPipeline(
      [
        { name: 'ok', run: () => 1 },
        { name: 'broken', run: () => Promise.reject(new Error('disk full')) },
        { name: 'never', run: () => (reached = true) },
      ],
      null,
    );
    await expect(failing).rejects.toMatchObject({ message: expect.stringMatching(/stage 2 \("broken"\).*disk full/) });
    expect(reached).toBe(false);
  });
});

describe('parallel fan-out / fan-in', () => {
  it('runs every branch on the same input concurrently and combines the outputs in branch order', async () => {
    let inFlight = 0;
    let peak = 0;
    const branch = (name: string, delayMs: number) => ({
      name,
      run: async (input: unknown) => {
        inFlight++;
        peak = Math.max(peak, inFlight);
        await new Promise((resolve) => setTimeout(resolve, delayMs));
        inFlight--;
        return `${name}:${input}`;
      },
    });
    const result = await runParallel([branch('a', 20), branch('b', 1), echoAgent('c', (input) => `c:${input}`)], 'x', {
      combine: (outcomes) => outcomes.map((outcome) => outcome.output).join(' | '),
    });
    expect(result.output).toBe('a:x | b:x | c:x');
    expect(peak).toBeGreaterThanOrEqual(2);
  });

  it('"all" mode rejects on the first failure and cancels siblings; "settled" reports per branch', async () => {
    let siblingAborted = false;
    const slow = {
      name: 'slow',
      run: (_input: unknown, context: { signal: AbortSignal }) =>
        new Promise((_, reject) =>
          context.signal.addEventListener('abort', () => {
            siblingAborted = true;
            reject(context.signal.reason);
          }),
        ),
    };
    const broken = { name: 'broken', run: () => Promise.reject(new Error('nope')) };
    await expect(runParallel([slow, broken], 1)).rejects.toMatchObject({ message: expect.stringContaining('nope') });
    expect(siblingAborted).toBe(true);

    const settled = await runParallel([{ name: 'fine', run: () => 'yes' }, broken], 1, { mode: 'settled' });
    expect(settled.output.map((outcome) => outcome.output)).toEqual(['yes']);
    expect(settled.branches[1]).toMatchObject({ name: 'broken', error: { code: 'task-failed' } });
  });

  it('shares a scheduler limit with other work when one is given', async () => {
    const scheduler = createScheduler({ concurrency: 1 });
    let inFlight = 0;
    let peak = 0;
    const branch = (name: string) => ({
      name,
      run: async () => {
        inFlight++;
        peak = Math.max(peak, inFlight);
        await new Promise((resolve) => setTimeout(resolve, 2));
        inFlight--;
        return name;
      },
    });
    const result = await runParallel([branch('a'), branch('b'), branch('c')], null, { scheduler });
    expect(result.output.map((outcome) => outcome.output)).toEqual(['a', 'b', 'c']);
    expect(peak).toBe(1);
  });
});

describe('supervisor', () => {
  it('delegates to worker agents used as tools and combines their answers', async () => {
    const researcher = echoAgent('researcher', () => 'Tides come from the Moon.');
    const supervisorModel = new MockChatModel({
      responses: [
        { toolCalls: [{ toolName: 'researcher', input: { input: 'Why are there tides?' } }] },
        (request) => {
          const last = request.messages.at(-1);
          const output = last?.role === 'tool' ? last.content[0]?.output : undefined;
          return `Summary: ${String(output)}`;
        },
      ],
    });
    const supervisor = createSupervisor({ name: 'lead', model: supervisorModel, workers: [researcher] });
    const result = await supervisor.run('Explain tides');
    expect(result.text).toBe('Summary: Tides come from the Moon.');
    expect(result.finalAgent).toBe('lead');
    expect(result.handoffs).toEqual([]);
  });

  it('hands the conversation off to a specialist who answers the user directly', async () => {
    const billingModel = new MockChatModel({ responses: ['Your refund is on its way.'] });
    const billing = createAgent({
      name: 'billing',
      description: 'Refunds and invoices.',
      instructions: 'You handle billing.',
      model: billingModel,
    });
    const supervisorModel = new MockChatModel({
      responses: [
        { toolCalls: [{ toolName: 'transfer_to_billing', input: { reason: 'refund request' } }] },
        'should not be called',
      ],
    });
    const supervisor = createSupervisor({ name: 'triage', model: supervisorModel, handoffs: [billing] });
    const result = await supervisor.run('I want my money back');
    expect(result).toMatchObject({
      text: 'Your refund is on its way.',
      finalAgent: 'billing',
      handoffs: [{ from: 'triage', to: 'billing', reason: 'refund request' }],
    });
    expect(supervisorModel.calls).toHaveLength(1);
    const sent = billingModel.requests[0]?.messages ?? [];
    expect(sent.map((message) => [message.role, message.content])).toEqual([
      ['system', 'You handle billing.'],
      ['user', 'I want my money back'],
      ['user', '[handoff from triage] refund request'],
    ]);
  });
});

describe('DAG', () => {
  it('runs a diamond in dependency order, passing outputs, with independent nodes in parallel', async () => {
    const started: string[] = [];
    const node = (id: string, dependsOn: string[], value: (inputs: Record<string, unknown>) => unknown) => ({
      id,
      dependsOn,
      run: async (inputs: Readonly<Record<string, unknown>>) => {
        started.push(id);
        await new Promise((resolve) => setTimeout(resolve, 1));
        return value(inputs);
      },
    });
    const result = await runDag([
      node('sum', ['left', 'right'], (inputs) => Number(inputs.left) + Number(inputs.right)),
      node('left', ['source'], (inputs) => Number(inputs.source) * 2),
      node('right', ['source'], (inputs) => Number(inputs.source) * 3),
      node('source', [], () => 10),
    ]);
    expect(result.ok).toBe(true);
    expect(result.outputs).toEqual({ source: 10, left: 20, right: 30, sum: 50 });
    expect(started[0]).toBe('source');
    expect(started[3]).toBe('sum');
    expect(result.completionOrder.at(-1)).toBe('sum');
  });

  it('retries a failing node up to its maxRetries (the deprecated retries name still works)', async () => {
    const flakyUntil = (succeedOn: number) => {
      let calls = 0;
      return () => {
        calls++;
        if (calls < succeedOn) throw new Error('[test] connection reset');
        return calls;
      };
    };
    const result = await runDag([
      { id: 'fresh', maxRetries: 2, backoff: { initialDelayMs: 1 }, run: flakyUntil(3) },
      { id: 'legacy', retries: 1, backoff: { initialDelayMs: 1 }, run: flakyUntil(2) },
    ]);
    expect(result.ok).toBe(true);
    expect(result.outputs).toEqual({ fresh: 3, legacy: 2 });
  });

  it('detects cycles and unknown dependencies before running anything', async () => {
    let ran = false;
    const run = () => {
      ran = true;
    };
    await expect(
      runDag([
        { id: 'a', dependsOn: ['c'], run },
        { id: 'b', dependsOn: ['a'], run },
        { id: 'c', dependsOn: ['b'], run },
        { id: 'd', run },
      ]),
    ).rejects.toMatchObject({
      code: 'dependency-cycle',
      message: expect.stringContaining('a → c → b → a'),
      data: { cycle: ['a', 'c', 'b', 'a'] },
    });
    expect(() => validateDag([{ id: 'a', dependsOn: ['ghost'] }])).toThrow(
      expect.objectContaining({ code: 'dependency-missing' }),
    );
    expect(() => validateDag([{ id: 'a' }, { id: 'a' }])).toThrow(/duplicate/);
    expect(() => validateDag([{ id: 'self', dependsOn: ['self'] }])).toThrow(/self → self/);
    expect(ran).toBe(false);
  });

  it('a failed node skips its dependents while independent branches finish; failFast stops everything', async () => {
    const result = await runDag([
      { id: 'fetch', run: () => Promise.reject(new Error('404')) },
      { id: 'parse', dependsOn: ['fetch'], run: () => 'parsed' },
      { id: 'report', dependsOn: ['parse'], run: () => 'report' },
      { id: 'other', run: () => 'fine' },
    ]);
    expect(result.ok).toBe(false);
    expect(result.outputs).toEqual({ other: 'fine' });
    expect(Object.keys(result.errors)).toEqual(['fetch']);
    expect(result.skipped.sort()).toEqual(['parse', 'report']);

    let otherAborted = false;
    const fast = await runDag(
      [
        { id: 'boom', run: () => Promise.reject(new Error('x')) },
        {
          id: 'long',
          run: (_inputs, context) =>
            new Promise((_, reject) =>
              context.signal.addEventListener('abort', () => {
                otherAborted = true;
                reject(context.signal.reason);
              }),
            ),
        },
        { id: 'after', dependsOn: ['long'], run: () => 1 },
      ],
      { failFast: true },
    );
    expect(otherAborted).toBe(true);
    expect(fast.skipped).toContain('after');
    expect(fast.ok).toBe(false);
  });
});

describe('agent tasks on a scheduler', () => {
  it('limit one agent across the scheduler while other agents keep running', async () => {
    let inFlight = 0;
    let peak = 0;
    const counting = (inner: MockChatModel): ChatModel => ({
      provider: inner.provider,
      modelId: inner.modelId,
      capabilities: inner.capabilities,
      generate: (request) => inner.generate(request),
      async *stream(request) {
        inFlight++;
        peak = Math.max(peak, inFlight);
        try {
          yield* inner.stream(request);
        } finally {
          inFlight--;
        }
      },
    });
    const researcher = createAgent({
      name: 'researcher',
      instructions: '',
      model: counting(new MockChatModel({ responses: [{ text: 'found', delayMs: 5 }], repeatLast: true })),
    });
    const writer = echoAgent('writer', (input) => `wrote ${input}`);
    const scheduler = createScheduler({ concurrency: 8, groupConcurrency: { researcher: 1 } });
    const results = await Promise.all([
      ...Array.from({ length: 4 }, (_, index) =>
        scheduler.run(createAgentTask(researcher, `q${index}`, { priority: 1 })),
      ),
      scheduler.run(createAgentTask(writer, 'essay')),
    ]);
    expect(results.map((result) => result.text)).toEqual(['found', 'found', 'found', 'found', 'wrote essay']);
    expect(peak).toBe(1);

    const slow = createAgent({
      name: 'slow',
      instructions: '',
      model: new MockChatModel({ responses: [{ text: 'x', delayMs: 10_000 }] }),
    });
    await expect(scheduler.run(createAgentTask(slow, 'x', { timeoutMs: 20 }))).rejects.toMatchObject({
      code: 'timeout',
    });
  });
});
