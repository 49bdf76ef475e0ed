import { describe, expect, it } from 'vitest';
import { AgenticGenError } from '../errors/agenticgen-error.js';
import { Type } from '../schema/index.js';
import { createMemoryStore } from '../storage/memory-store.js';
import { MockChatModel } from '../testing/mock-chat-model.js';
import { defineTool } from '../tools/define-tool.js';
import { createAgent } from './create-agent.js';
import { createDurableAgent } from './durable-agent.js';

/** An agent whose model calls `tool` (or the tool named `calls`) once (call id `c1`) and then answers `done`. */
function agentWith(tool: ReturnType<typeof defineTool>, calls: string = tool.name) {
  const model = new MockChatModel({
    repeatLast: true,
    responses: [
      (request) =>
        request.messages.some((message) => message.role === 'tool')
          ? { text: 'done' }
          : { toolCalls: [{ toolName: calls, input: {}, toolCallId: 'c1' }] },
    ],
  });
  return createAgent({ name: 'worker', instructions: 'Work.', model, tools: [tool] });
}

/** A memory store, and a view of it that records the phase of every checkpoint saved through it. */
function phaseRecordingStore() {
  const store = createMemoryStore();
  const phases: unknown[] = [];
  const recording: typeof store = Object.assign(Object.create(store), {
    saveCheckpoint: (checkpoint: Parameters<typeof store.saveCheckpoint>[0]) => {
      phases.push((checkpoint.state as { phase: unknown }).phase);
      return store.saveCheckpoint(checkpoint);
    },
  });
  return { store, phases, recording };
}

describe('createDurableAgent', () => {
  it('checkpoints each step, hands tools the idempotency key, and replays a finished run', async () => {
    const store = createMemoryStore();
    const keys: (string | undefined)[] = [];
    const tool = defineTool({
      name: 'act',
      description: 'Acts',
      parameters: Type.Object({}),
      execute: (_input, context) => {
        keys.push(context.idempotencyKey);
        return 'ok';
      },
    });
    const durable = createDurableAgent(agentWith(tool), { store });
    const result = await durable.run('go', { runId: 'run-1' });
    expect(result).toMatchObject({ status: 'completed', text: 'done', runId: 'run-1' });
    expect(keys).toEqual(['run-1:c1']);
    expect(await store.getCall('run-1:c1')).toMatchObject({ status: 'completed', attempts: 1 });
    expect(await store.loadCheckpoint('run-1')).toMatchObject({ status: 'completed', step: 2 });
    expect(await durable.resume('run-1')).toMatchObject({ status: 'completed', text: 'done' });
    expect(keys).toHaveLength(1);
    await expect(durable.run('again', { runId: 'run-1' })).rejects.toSatisfy((error) =>
      AgenticGenError.hasCode(error, 'conflict'),
    );
    await expect(durable.resume('missing')).rejects.toSatisfy((error) => AgenticGenError.hasCode(error, 'not-found'));
  });

  it('a run under a generated id writes its first checkpoint without reading the store first', async () => {
    const store = createMemoryStore();
    const reads: string[] = [];
    const counted = Object.assign(Object.create(store), {
      loadCheckpoint: (runId: string) => {
        reads.push(runId);
        return store.loadCheckpoint(runId);
      },
    });
    const tool = defineTool({ name: 'act', description: 'Acts', parameters: Type.Object({}), execute: () => 'ok' });
    const durable = createDurableAgent(agentWith(tool), { store: counted });
    const result = await durable.run('go');
    expect(result).toMatchObject({ status: 'completed', text: 'done' });
    expect(reads).toEqual([]);
    // A chosen id may name an existing run: that one is still checked.
    await durable.run('go', { runId: 'chosen' });
    expect(reads).toEqual(['chosen']);
  });

  it('after a run dies inside an idempotent tool, resume calls it again with the same key', async () => {
    const store = createMemoryStore();
    const keys: (string | undefined)[] = [];
    const controller = new AbortController();
    let first = true;
    const tool = defineTool({
      name: 'upsert',
      description: 'Upserts',
      parameters: Type.Object({}),
      execute: async (_input, context) => {
        keys.push(context.idempotencyKey);
        if (first) {
          first = false;
          controller.abort(); // the process "dies" with the call in flight
          await new Promise(() => undefined);
        }
        return 'stored';
      },
    });
    const durable = createDurableAgent(agentWith(tool), { store });
    await expect(durable.run('go', { runId: 'run-2', signal: controller.signal })).rejects.toSatisfy((error) =>
      AgenticGenError.hasCode(error, 'aborted'),
    );
    expect(await store.getCall('run-2:c1')).toMatchObject({ status: 'started' });
    const resumed = await createDurableAgent(agentWith(tool), { store }).resume('run-2');
    expect(resumed).toMatchObject({ status: 'completed', text: 'done' });
    expect(keys).toEqual(['run-2:c1', 'run-2:c1']);
    expect(await store.getCall('run-2:c1')).toMatchObject({ status: 'completed', attempts: 2 });
  });

  it('a non-idempotent tool with an unknown outcome is reported for a decision, then not called again', async () => {
    const store = createMemoryStore();
    let calls = 0;
    const controller = new AbortController();
    const tool = defineTool({
      name: 'pay',
      description: 'Pays',
      parameters: Type.Object({}),
      idempotent: false,
      execute: async () => {
        calls++;
        controller.abort();
        await new Promise(() => undefined);
      },
    });
    const durable = createDurableAgent(agentWith(tool), { store });
    await expect(durable.run('go', { runId: 'run-3', signal: controller.signal })).rejects.toThrow();
    const reported = await durable.resume('run-3');
    expect(reported).toEqual({
      status: 'decision-required',
      runId: 'run-3',
      calls: [{ toolCallId: 'c1', toolName: 'pay', idempotencyKey: 'run-3:c1' }],
    });
    const finished = await durable.resume('run-3', {
      decisions: { c1: { action: 'assume-done', output: { paid: true } } },
    });
    expect(finished).toMatchObject({ status: 'completed', text: 'done' });
    expect(calls).toBe(1);
    expect(await store.getCall('run-3:c1')).toMatchObject({ status: 'completed', output: { ok: true } });
  });

  it('a tool step whose outcomes are in the ledger adds no checkpoint; a crash in the next step resumes from the planned calls without calling the tool again', async () => {
    const { store, phases, recording } = phaseRecordingStore();
    let calls = 0;
    const tool = defineTool({
      name: 'act',
      description: 'Acts',
      parameters: Type.Object({}),
      execute: () => {
        calls++;
        return `acted ${calls}`;
      },
    });
    let crash = true;
    const model = new MockChatModel({
      repeatLast: true,
      responses: [
        (request) => {
          if (!request.messages.some((message) => message.role === 'tool')) {
            return { toolCalls: [{ toolName: 'act', input: {}, toolCallId: 'c1' }] };
          }
          if (crash) {
            crash = false;
            throw new Error('the process died during the model call of step 2');
          }
          return { text: 'done' };
        },
      ],
    });
    const agent = createAgent({ name: 'worker', instructions: 'Work.', model, tools: [tool] });
    await expect(createDurableAgent(agent, { store: recording }).run('go', { runId: 'run-4' })).rejects.toThrow();
    expect(phases).toEqual(['input', 'tool-calls-planned']);
    expect(await store.loadCheckpoint('run-4')).toMatchObject({ status: 'running', step: 1 });
    const resumed = await createDurableAgent(agent, { store: recording }).resume('run-4');
    expect(resumed).toMatchObject({ status: 'completed', text: 'done' });
    expect(calls).toBe(1);
    // The step the model saw before the crash, replayed from the ledger: same output, same conversation.
    expect((resumed as { messages: unknown[] }).messages).toContainEqual({
      role: 'tool',
      content: [expect.objectContaining({ toolCallId: 'c1', output: 'acted 1' })],
    });
    expect(phases).toEqual(['input', 'tool-calls-planned', 'finished']);
  });

  it('a tool step with a call outside the ledger (an unknown tool) still checkpoints the completed step', async () => {
    const { phases, recording } = phaseRecordingStore();
    const tool = defineTool({ name: 'act', description: 'Acts', parameters: Type.Object({}), execute: () => 'ok' });
    const agent = agentWith(tool, 'missing');
    expect(await createDurableAgent(agent, { store: recording }).run('go')).toMatchObject({ status: 'completed' });
    expect(phases).toEqual(['input', 'tool-calls-planned', 'step-completed', 'finished']);
  });
});
