import { Type } from '@sinclair/typebox';
import { describe, expect, it } from 'vitest';
import type { CodeSandbox } from '../contracts/code-sandbox.js';
import { createHashingEmbedder } from '../knowledge/hashing-embedder.js';
import { createKnowledgeBase } from '../knowledge/knowledge-base.js';
import { createMemoryVectorStore } from '../knowledge/memory-vector-store.js';
import { MockChatModel } from '../testing/mock-chat-model.js';
import { defineTool } from '../tools/define-tool.js';
import { createAgentFromConfig } from './agent-factory.js';
import { AgentManager } from './agent-manager.js';
import { createInMemoryConversationMemory } from './memory.js';

const clock = defineTool({
  name: 'clock',
  description: 'Current time.',
  parameters: Type.Object({}),
  execute: () => '12:00',
});

function resources(
  model = new MockChatModel({ responses: [{ toolCalls: [{ toolName: 'clock', input: {} }] }, 'Noon.'] }),
) {
  const embedder = createHashingEmbedder({ dimensions: 64 });
  let disposedSessions = 0;
  const sandbox: CodeSandbox = {
    language: 'python',
    createSession: async () => ({
      id: 's',
      run: async () => ({ ok: true, stdout: '', stderr: '', durationMs: 0, truncated: false }),
      writeFile: async () => {},
      readFile: async () => new Uint8Array(),
      listFiles: async () => [],
      reset: async () => {},
      dispose: async () => {
        disposedSessions++;
      },
      [Symbol.asyncDispose]: async () => {
        disposedSessions++;
      },
    }),
    dispose: async () => {},
    [Symbol.asyncDispose]() {
      return this.dispose();
    },
  };
  return {
    model,
    sandbox,
    disposedSessions: () => disposedSessions,
    value: {
      models: { main: model },
      tools: { clock },
      knowledgeBases: {
        docs: createKnowledgeBase({ vectorStore: createMemoryVectorStore({ dimensions: 64 }), embedder }),
      },
      sandboxes: { python: sandbox },
      memories: { chat: createInMemoryConversationMemory() },
    },
  };
}

describe('agent factory (JSON configs)', () => {
  it('builds a working agent from plain JSON, resolving models, tools and settings by name', async () => {
    const { value, model } = resources();
    const json = JSON.parse(
      '{"name":"assistant","instructions":"Tell the time.","model":"main","tools":["clock"],"temperature":0.1,"maxSteps":5,"memory":"chat"}',
    );
    const agent = createAgentFromConfig(json, value);
    const result = await agent.run('What time is it?', { conversationId: 'c' });
    expect(result.text).toBe('Noon.');
    expect(model.requests[0]?.temperature).toBe(0.1);
    expect(model.requests[0]?.tools?.map((tool) => tool.name)).toEqual(['clock']);
    expect(await value.memories.chat.load('c')).toHaveLength(4);
  });

  it('builds presets by kind', () => {
    const { value } = resources();
    expect(
      createAgentFromConfig({ name: 'r', kind: 'research', model: 'main', knowledgeBase: 'docs' }, value).tools.has(
        'search_knowledge',
      ),
    ).toBe(true);
    expect(
      createAgentFromConfig({ name: 'c', kind: 'coding', model: 'main', sandbox: 'python' }, value).tools.has(
        'run_python',
      ),
    ).toBe(true);
    expect(createAgentFromConfig({ name: 'w', kind: 'creative', model: 'main' }, value).options.temperature).toBe(0.9);
  });

  it('rejects invalid configs with invalid-config naming each problem', () => {
    const { value } = resources();
    const attempt = (config: unknown) => () => createAgentFromConfig(config, value);
    expect(attempt({ name: 'bad name', model: 'main', temperature: 5, extra: true })).toThrow(
      expect.objectContaining({
        code: 'invalid-config',
        message: expect.stringMatching(/\/name.*\/temperature|\/temperature.*\/name/s),
      }),
    );
    expect(attempt({ name: 'a', model: 'missing' })).toThrow(/unknown model "missing"; available: main/);
    expect(attempt({ name: 'a', model: 'main', tools: ['nope'] })).toThrow(/unknown tool "nope"/);
    expect(attempt({ name: 'a', kind: 'research', model: 'main' })).toThrow(/needs "knowledgeBase"/);
    expect(attempt({ name: 'a', model: 'main', sandbox: 'python' })).toThrow(/only applies to kind "coding"/);
    expect(attempt({ name: 'a', kind: 'creative', model: 'main', tools: ['clock'] })).toThrow(/takes no tools/);
  });
});

describe('AgentManager', () => {
  it('registers configs and builders, creates, lists and disposes instances', async () => {
    const { value, disposedSessions } = resources(new MockChatModel({ responses: ['hi'], repeatLast: true }));
    const manager = new AgentManager(value);
    manager.registerAll([
      { name: 'coder', kind: 'coding', model: 'main', sandbox: 'python' },
      { name: 'greeter', model: 'main', instructions: 'Greet.' },
    ]);
    manager.register({
      name: 'custom',
      build: (shared) => createAgentFromConfig({ name: 'custom', model: 'main' }, shared),
    });
    const coder = manager.create('coder', { id: 'coder-a' });
    manager.create('greeter');
    expect(manager.list()).toEqual([
      { name: 'coder', origin: 'config', instances: ['coder-a'] },
      { name: 'greeter', origin: 'config', instances: ['greeter-1'] },
      { name: 'custom', origin: 'builder', instances: [] },
    ]);
    expect(manager.get('coder-a')).toBe(coder);
    expect(await manager.get('greeter-1')?.run('hello')).toMatchObject({ text: 'hi' });

    // The coder opened a sandbox session; disposing the instance releases it.
    await coder.tools.execute('run_python', { code: '1' }, { toolCallId: 'x' });
    expect(await manager.dispose('coder-a')).toBe(true);
    expect(disposedSessions()).toBe(1);
    expect(manager.get('coder-a')).toBeUndefined();

    expect(() => manager.create('nope')).toThrow(expect.objectContaining({ code: 'not-found' }));
    expect(() => manager.register({ name: 'greeter', model: 'main' })).toThrow(
      expect.objectContaining({ code: 'already-exists' }),
    );
    expect(() =>
      manager.registerAll([
        { name: 'x', model: 'main' },
        { name: 'x', model: 'main' },
      ]),
    ).toThrow(/already registered/);
    expect(manager.has('x')).toBe(false);
    await manager.disposeAll();
    expect(() => manager.create('greeter')).toThrow(expect.objectContaining({ code: 'disposed' }));
  });

  it('`await using` disposes every instance at scope end', async () => {
    const { value, disposedSessions } = resources(new MockChatModel({ responses: ['hi'], repeatLast: true }));
    let kept: AgentManager | undefined;
    {
      await using manager = new AgentManager(value);
      kept = manager;
      manager.registerAll([{ name: 'coder', kind: 'coding', model: 'main', sandbox: 'python' }]);
      const coder = manager.create('coder', { id: 'coder-a' });
      await coder.tools.execute('run_python', { code: '1' }, { toolCallId: 'x' });
    }
    expect(disposedSessions()).toBe(1);
    expect(() => kept?.create('coder')).toThrow(expect.objectContaining({ code: 'disposed' }));
  });
});
