import { Type } from '@sinclair/typebox';
import { describe, expect, it } from 'vitest';
import type { ToolResultPart } from '../contracts/chat-model.js';
import { AgenticGenError } from '../errors/agenticgen-error.js';
import { createRuntime } from '../plugins/create-runtime.js';
import { definePlugin } from '../plugins/define-plugin.js';
import { MockChatModel } from '../testing/mock-chat-model.js';
import { defineTool } from '../tools/define-tool.js';
import { createAgentFromConfig } from './agent-factory.js';
import { createAgent } from './create-agent.js';

const lookup = defineTool({
  name: 'lookup',
  description: 'Looks up a customer.',
  parameters: Type.Object({ id: Type.String() }),
  execute: ({ id }) => ({ id, email: `${id}@example.com` }),
});
const wipe = defineTool({
  name: 'wipe',
  description: 'Deletes everything.',
  parameters: Type.Object({}),
  execute: () => 'wiped',
});

describe('agents in a plugin runtime', () => {
  it('route model calls, tool calls and runs through the plugin hooks and events', async () => {
    const log: string[] = [];
    const policy = definePlugin({
      name: 'policy',
      version: '1.0.0',
      setup: () => ({
        hooks: {
          runStart: ({ agentName }) => void log.push(`runStart ${agentName}`),
          beforeModelCall: (payload) => {
            log.push('beforeModelCall');
            payload.request = { ...payload.request, temperature: 0 };
          },
          beforeToolCall: {
            guard: true,
            handler: ({ toolName }) => {
              log.push(`beforeToolCall ${toolName}`);
              if (toolName === 'wipe') throw new AgenticGenError('permission-denied', '[policy] wipe is not allowed');
            },
          },
          afterToolCall: (payload) => {
            if (payload.outcome.ok) {
              const output = payload.outcome.output as { email?: string };
              payload.outcome = { ...payload.outcome, output: { ...output, email: '[redacted]' } };
            }
          },
          runEnd: ({ status, usage }) => void log.push(`runEnd ${status} ${usage?.totalTokens}`),
        },
      }),
    });
    const runtime = await createRuntime({ plugins: [policy] });
    const events: string[] = [];
    for (const name of ['run-start', 'model-call-finish', 'tool-call-finish', 'run-finish'] as const) {
      runtime.events.on(name, () => void events.push(name));
    }
    const model = new MockChatModel({
      responses: [
        {
          toolCalls: [
            { toolName: 'lookup', input: { id: 'ada' }, toolCallId: 'a' },
            { toolName: 'wipe', input: {}, toolCallId: 'w' },
          ],
          usage: { inputTokens: 3, outputTokens: 1 },
        },
        { text: 'Done.', usage: { inputTokens: 5, outputTokens: 1 } },
      ],
    });
    const agent = createAgent({
      name: 'support',
      instructions: '',
      model,
      tools: [lookup, wipe],
      temperature: 0.8,
      runtime,
    });
    const result = await agent.run('Find ada, then wipe');
    expect(result.text).toBe('Done.');
    expect(model.requests.map((request) => request.temperature)).toEqual([0, 0]);
    const results = model.requests[1]?.messages.at(-1)?.content as ToolResultPart[];
    expect(results[0]?.output).toEqual({ id: 'ada', email: '[redacted]' });
    expect(results[1]).toMatchObject({ isError: true, output: { error: { code: 'permission-denied' } } });
    expect(log).toEqual([
      'runStart support',
      'beforeModelCall',
      'beforeToolCall lookup',
      'beforeToolCall wipe',
      'beforeModelCall',
      'runEnd success 10',
    ]);
    expect(events).toEqual([
      'run-start',
      'model-call-finish',
      'tool-call-finish',
      'tool-call-finish',
      'model-call-finish',
      'run-finish',
    ]);
    await runtime.dispose();
  });

  it('disposing the runtime cancels a run in flight', async () => {
    const runtime = await createRuntime();
    const model = new MockChatModel({ responses: [{ text: 'slow', delayMs: 10_000 }] });
    const run = createAgent({ name: 'a', instructions: '', model, runtime }).run('x');
    setTimeout(() => void runtime.dispose(), 10);
    await expect(run).rejects.toSatisfy(
      (error) => AgenticGenError.isInstance(error) && ['disposed', 'aborted'].includes(error.code),
    );
  });

  it('the JSON factory resolves models and tools a plugin contributed, and the agent runs in that runtime', async () => {
    const model = new MockChatModel({
      responses: [{ toolCalls: [{ toolName: 'lookup', input: { id: 'bo' } }] }, 'Found bo.'],
    });
    const provider = definePlugin({
      name: 'provider',
      version: '1.0.0',
      setup: () => ({ models: { main: model }, tools: [lookup] }),
    });
    const runtime = await createRuntime({ plugins: [provider] });
    const runs: string[] = [];
    runtime.events.on('run-finish', ({ agentName, status }) => void runs.push(`${agentName} ${status}`));
    const agent = createAgentFromConfig({ name: 'desk', model: 'main', tools: ['lookup'] }, { runtime });
    expect((await agent.run('who is bo?')).text).toBe('Found bo.');
    expect(runs).toEqual(['desk success']);
    expect(() => createAgentFromConfig({ name: 'x', model: 'other' }, { runtime })).toThrow(
      /unknown model "other"; available: main/,
    );
    await runtime.dispose();
  });
});
