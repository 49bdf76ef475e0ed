import { Type } from '@sinclair/typebox';
import { describe, expect, it } from 'vitest';
import type { ToolResultPart } from '../contracts/chat-model.js';
import { MockChatModel } from '../testing/mock-chat-model.js';
import { defineTool } from '../tools/define-tool.js';
import { createAgent } from './create-agent.js';
import { defineInputGuardrail, defineOutputGuardrail, defineToolCallGuardrail } from './guardrails.js';
import type { AgentEvent } from './types.js';

const deleteFiles = defineTool({
  name: 'delete_files',
  description: 'Deletes files matching a glob.',
  parameters: Type.Object({ glob: Type.String() }),
  execute: ({ glob }) => `deleted ${glob}`,
});

const noSecrets = defineInputGuardrail({
  name: 'no-secrets',
  check: (input) =>
    JSON.stringify(input).includes('password')
      ? { tripwire: true, reason: 'the input contains a password' }
      : undefined,
});

describe('guardrails', () => {
  it('an input guardrail trips before any model call', async () => {
    const model = new MockChatModel({ responses: ['never'] });
    const events: AgentEvent[] = [];
    const agent = createAgent({ name: 'g', instructions: '', model, guardrails: { input: [noSecrets] } });
    await expect(agent.run('my password is hunter2', { onEvent: (event) => events.push(event) })).rejects.toMatchObject(
      {
        code: 'guardrail-tripped',
        data: { guardrail: 'no-secrets', kind: 'input' },
      },
    );
    expect(model.calls).toHaveLength(0);
    expect(events.map((event) => event.type)).toEqual(['run-start', 'guardrail-tripped', 'run-error']);
    // Clean input passes.
    await expect(agent.run('hello')).resolves.toMatchObject({ text: 'never' });
  });

  it('an output guardrail trips on the final answer; a guardrail that throws fails closed', async () => {
    const noLeaks = defineOutputGuardrail({
      name: 'no-leaks',
      check: (output) => ({ tripwire: output.includes('SECRET'), reason: 'leaked a secret' }),
    });
    const leaking = createAgent({
      name: 'o',
      instructions: '',
      model: new MockChatModel({ responses: ['the SECRET is 42'] }),
      guardrails: { output: [noLeaks] },
    });
    await expect(leaking.run('tell me')).rejects.toMatchObject({ code: 'guardrail-tripped', data: { kind: 'output' } });

    const broken = defineOutputGuardrail({
      name: 'broken',
      check: () => {
        throw new Error('classifier down');
      },
    });
    const closed = createAgent({
      name: 'c',
      instructions: '',
      model: new MockChatModel({ responses: ['fine'] }),
      guardrails: { output: [broken] },
    });
    await expect(closed.run('x')).rejects.toThrow(/classifier down/);
  });

  it('a tool-call guardrail can reject one call (the model sees why) or trip the whole run', async () => {
    const protectRoot = defineToolCallGuardrail({
      name: 'protect-root',
      check: (call) => {
        const glob = (call.input as { glob?: string }).glob ?? '';
        if (glob === '/') return { tripwire: true, reason: 'tried to delete the root' };
        if (glob.startsWith('/etc')) return { tripwire: false, reject: 'system folders are off limits' };
        return undefined;
      },
    });
    const model = new MockChatModel({
      responses: [
        {
          toolCalls: [
            { toolName: 'delete_files', input: { glob: '/etc/*' }, toolCallId: 'etc' },
            { toolName: 'delete_files', input: { glob: '/tmp/*' }, toolCallId: 'tmp' },
          ],
        },
        'Deleted /tmp only.',
      ],
    });
    const agent = createAgent({
      name: 't',
      instructions: '',
      model,
      tools: [deleteFiles],
      guardrails: { toolCalls: [protectRoot] },
    });
    const result = await agent.run('clean up');
    const sent = (model.requests[1]?.messages.at(-1)?.content ?? []) as ToolResultPart[];
    expect(sent).toEqual([
      {
        type: 'tool-result',
        toolCallId: 'etc',
        toolName: 'delete_files',
        isError: true,
        output: { error: { code: 'tool-rejected', message: expect.stringContaining('system folders are off limits') } },
      },
      { type: 'tool-result', toolCallId: 'tmp', toolName: 'delete_files', output: 'deleted /tmp/*' },
    ]);
    expect(result.text).toBe('Deleted /tmp only.');

    let executed = false;
    const spy = defineTool({
      ...deleteFiles,
      execute: () => {
        executed = true;
        return 'x';
      },
    });
    const tripping = createAgent({
      name: 't2',
      instructions: '',
      model: new MockChatModel({ responses: [{ toolCalls: [{ toolName: 'delete_files', input: { glob: '/' } }] }] }),
      tools: [spy],
      guardrails: { toolCalls: [protectRoot] },
    });
    await expect(tripping.run('wipe')).rejects.toMatchObject({
      code: 'guardrail-tripped',
      data: { kind: 'tool-call' },
    });
    expect(executed).toBe(false);
  });
});
