import { Type } from '@sinclair/typebox';
import { describe, expect, it } from 'vitest';
import { AgenticGenError } from '../errors/agenticgen-error.js';
import type { PluginErrorEvent, ToolCallFinishEvent } from '../events/runtime-events.js';
import { MockChatModel } from '../testing/mock-chat-model.js';
import { defineTool } from '../tools/define-tool.js';
import { createRuntime } from './create-runtime.js';
import { type AnyPlugin, definePlugin } from './define-plugin.js';

/** A plugin that logs its setup and disposal into `log`. */
function tracked(name: string, log: string[], dependsOn: string[] = []): AnyPlugin {
  return definePlugin({
    name,
    version: '1.0.0',
    dependsOn,
    setup() {
      log.push(`setup ${name}`);
      return { dispose: () => void log.push(`dispose ${name}`) };
    },
  });
}

const echo = defineTool({
  name: 'echo',
  description: 'Echoes its text',
  parameters: Type.Object({ text: Type.String() }),
  execute: ({ text }) => ({ echoed: text }),
});

describe('createRuntime: ordering', () => {
  it('sets plugins up after their dependencies, keeping list order between independent ones', async () => {
    const log: string[] = [];
    const runtime = await createRuntime({
      plugins: [
        tracked('app', log, ['metrics', 'cache']),
        tracked('cache', log, ['metrics']),
        tracked('metrics', log),
        tracked('extra', log),
      ],
    });
    expect(log).toEqual(['setup metrics', 'setup cache', 'setup app', 'setup extra']);
    expect(runtime.plugins.map((plugin) => plugin.name)).toEqual(['metrics', 'cache', 'app', 'extra']);
    await runtime.dispose();
    expect(log.slice(4)).toEqual(['dispose extra', 'dispose app', 'dispose cache', 'dispose metrics']);
  });

  it('names the plugin and the missing dependency', async () => {
    await expect(createRuntime({ plugins: [tracked('app', [], ['metrics'])] })).rejects.toSatisfy(
      (error) =>
        AgenticGenError.hasCode(error, 'dependency-missing') &&
        error.message.includes('"app"') &&
        error.message.includes('"metrics"') &&
        (error.data?.missing as string[] | undefined)?.[0] === 'metrics',
    );
  });

  it('spells out a dependency cycle', async () => {
    const log: string[] = [];
    const plugins = [
      tracked('a', log, ['c']),
      tracked('b', log, ['a']),
      tracked('c', log, ['b']),
      tracked('free', log),
    ];
    const error = await createRuntime({ plugins }).catch((thrown: unknown) => thrown);
    expect(AgenticGenError.hasCode(error, 'dependency-cycle')).toBe(true);
    expect((error as AgenticGenError).message).toContain('a → c → b → a');
    expect(log).toEqual([]);
    expect(() => definePlugin({ name: 'self', version: '1.0.0', dependsOn: ['self'], setup: () => undefined })).toThrow(
      /depends on itself/,
    );
  });

  it('rejects duplicate plugins and malformed definitions with clear codes', async () => {
    await expect(createRuntime({ plugins: [tracked('a', []), tracked('a', [])] })).rejects.toSatisfy((error) =>
      AgenticGenError.hasCode(error, 'already-exists'),
    );
    expect(() => definePlugin({ name: 'Bad Name', version: '1.0.0', setup: () => undefined })).toThrow(/kebab-case/);
    expect(() => definePlugin({ name: 'ok', version: 'one', setup: () => undefined })).toThrow(/semver/);
    expect(() => definePlugin({ name: 'ok', version: '1.0.0' } as never)).toThrow(/setup/);
  });
});

describe('createRuntime: config', () => {
  const server = definePlugin({
    name: 'server',
    version: '2.1.0',
    config: Type.Object({ port: Type.Integer({ minimum: 1 }), host: Type.String({ default: '127.0.0.1' }) }),
    setup: ({ config }) => ({ models: {}, agents: { info: () => `${config.host}:${config.port}` } }),
  });

  it('validates each plugin config, applies defaults and hands it to setup', async () => {
    const runtime = await createRuntime({ plugins: [server], config: { server: { port: 8080 } } });
    expect(await runtime.agents.require('info')()).toBe('127.0.0.1:8080');
    expect(runtime.plugins[0]?.config).toEqual({ port: 8080, host: '127.0.0.1' });
    await runtime.dispose();
  });

  it('an invalid config names the plugin and the field path, and no setup runs', async () => {
    const log: string[] = [];
    const error = await createRuntime({
      plugins: [tracked('first', log), server],
      config: { server: { port: 'eighty' } },
    }).catch((thrown: unknown) => thrown);
    expect(AgenticGenError.hasCode(error, 'invalid-config')).toBe(true);
    const { message, data } = error as AgenticGenError;
    expect(message).toContain('plugin "server" at /port');
    expect(message).toContain('"eighty"');
    expect(data?.plugin).toBe('server');
    expect(log).toEqual([]);
  });

  it('a missing required section and a config for an unknown plugin are errors', async () => {
    await expect(createRuntime({ plugins: [server] })).rejects.toSatisfy(
      (error) => AgenticGenError.hasCode(error, 'invalid-config') && error.message.includes('/port'),
    );
    await expect(createRuntime({ plugins: [server], config: { server: { port: 1 }, sevrer: {} } })).rejects.toSatisfy(
      (error) => AgenticGenError.hasCode(error, 'invalid-config') && error.message.includes('"sevrer"'),
    );
  });
});

describe('createRuntime: contributions and registries', () => {
  it('registers tools, models, agents, embedders and providers by name, with the owning plugin', async () => {
    const model = new MockChatModel({ responses: ['hi'] });
    const cache = new Map<string, unknown>();
    const runtime = await createRuntime({
      plugins: [
        definePlugin({
          name: 'kit',
          version: '1.0.0',
          setup: () => ({
            tools: [echo],
            models: { fast: model },
            agents: { helper: (options) => ({ kind: 'helper', options }) },
            providers: {
              cache: {
                memory: {
                  get: async (key) => cache.get(key) as never,
                  set: async (key, value) => void cache.set(key, value),
                  delete: async (key) => void cache.delete(key),
                  has: async (key) => cache.has(key),
                  getOrSet: async (_key, loader) => loader(),
                },
              },
            },
          }),
        }),
        definePlugin({
          name: 'consumer',
          version: '1.0.0',
          dependsOn: ['kit'],
          // A dependent sees what its dependencies contributed.
          setup: ({ runtime }) => ({ agents: { copy: () => runtime.models.require('fast').modelId } }),
        }),
      ],
    });
    expect(runtime.tools.get('echo')).toBe(echo);
    expect(runtime.models.get('fast')).toBe(model);
    expect(runtime.models.ownerOf('fast')).toBe('plugin "kit"');
    expect(await runtime.agents.require('helper')({ a: 1 })).toEqual({ kind: 'helper', options: { a: 1 } });
    expect(await runtime.agents.require('copy')()).toBe('mock-model');
    await runtime.providers.cache.require('memory').set('k', 1);
    expect(cache.get('k')).toBe(1);
    expect(() => runtime.models.require('slow')).toThrow(/no model named "slow"; available: fast/);
    await runtime.dispose();
  });

  it('a duplicate name across plugins fails setup naming both plugins, and cleans up the earlier plugin', async () => {
    const log: string[] = [];
    const model = new MockChatModel();
    const error = await createRuntime({
      plugins: [
        definePlugin({
          name: 'one',
          version: '1.0.0',
          setup: () => ({ models: { main: model }, dispose: () => void log.push('dispose one') }),
        }),
        definePlugin({ name: 'two', version: '1.0.0', setup: () => ({ models: { main: model } }) }),
      ],
    }).catch((thrown: unknown) => thrown);
    expect(AgenticGenError.hasCode(error, 'plugin-setup-failed')).toBe(true);
    const cause = (error as AgenticGenError).cause;
    expect(AgenticGenError.hasCode(cause, 'already-exists')).toBe(true);
    expect((cause as Error).message).toMatch(/plugin "two" registers model "main", which plugin "one" already/);
    expect(log).toEqual(['dispose one']);
  });

  it('a throwing setup rejects with plugin-setup-failed and disposes the plugins already set up in reverse order', async () => {
    const log: string[] = [];
    const broken = definePlugin({
      name: 'broken',
      version: '1.0.0',
      dependsOn: ['b'],
      setup({ onDispose }) {
        onDispose(() => void log.push('dispose broken partial'));
        throw new Error('cannot connect');
      },
    });
    const error = await createRuntime({ plugins: [tracked('a', log), tracked('b', log), broken] }).catch(
      (thrown: unknown) => thrown,
    );
    expect(AgenticGenError.hasCode(error, 'plugin-setup-failed')).toBe(true);
    expect((error as Error).message).toBe('[runtime] plugin "broken" failed to set up: cannot connect');
    expect((error as AgenticGenError).data).toEqual({ plugin: 'broken' });
    expect(log).toEqual(['setup a', 'setup b', 'dispose broken partial', 'dispose b', 'dispose a']);
  });
});

describe('createRuntime: hooks and failure isolation', () => {
  it('runs hooks in plugin order on one payload that hooks may change', async () => {
    const runtime = await createRuntime({
      plugins: [
        definePlugin({
          name: 'second',
          version: '1.0.0',
          dependsOn: ['first'],
          setup: () => ({
            hooks: {
              beforeToolCall: (payload) => {
                payload.arguments = { text: `${(payload.arguments as { text: string }).text}!` };
              },
            },
          }),
        }),
        definePlugin({
          name: 'first',
          version: '1.0.0',
          setup: () => ({
            hooks: {
              beforeToolCall: (payload) => {
                payload.arguments = { text: 'rewritten' };
              },
            },
          }),
        }),
      ],
    });
    expect(runtime.hooks.plugins('beforeToolCall')).toEqual(['first', 'second']);
    expect(runtime.hooks.has('afterModelCall')).toBe(false);
    const result = await runtime.hooks.run('beforeToolCall', {
      toolName: 't',
      toolCallId: 'c',
      arguments: { text: 'x' },
    });
    expect(result.arguments).toEqual({ text: 'rewritten!' });
    await runtime.dispose();
  });

  it('a throwing observer hook is reported as plugin-error and the run goes on', async () => {
    const seen: string[] = [];
    const runtime = await createRuntime({
      plugins: [
        definePlugin({
          name: 'flaky',
          version: '1.0.0',
          setup: () => ({
            hooks: {
              runStart: () => {
                throw new Error('metrics backend down');
              },
            },
          }),
        }),
        definePlugin({
          name: 'audit',
          version: '1.0.0',
          setup: () => ({ hooks: { runStart: async ({ runId }) => void seen.push(runId) } }),
        }),
      ],
    });
    const errors: PluginErrorEvent[] = [];
    runtime.events.on('plugin-error', (event) => errors.push(event));
    await expect(runtime.hooks.run('runStart', { runId: 'r1', input: 'hello' })).resolves.toEqual({
      runId: 'r1',
      input: 'hello',
    });
    expect(seen).toEqual(['r1']);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ plugin: 'flaky', hook: 'runStart', guard: false });
    expect(errors[0]?.error.code).toBe('hook-failed');
    expect(errors[0]?.error.message).toContain('metrics backend down');
    await runtime.dispose();
  });

  it('a guard hook that throws aborts the operation with its error and later hooks do not run', async () => {
    const seen: string[] = [];
    const runtime = await createRuntime({
      plugins: [
        definePlugin({
          name: 'policy',
          version: '1.0.0',
          setup: () => ({
            tools: [echo],
            hooks: {
              beforeToolCall: {
                guard: true,
                handler: ({ toolName }) => {
                  if (toolName === 'echo') {
                    throw new AgenticGenError('permission-denied', '[policy] echo is not allowed for this user');
                  }
                },
              },
              beforeModelCall: {
                guard: true,
                handler: () => {
                  throw new Error('plain failure');
                },
              },
            },
          }),
        }),
        definePlugin({
          name: 'later',
          version: '1.0.0',
          setup: () => ({ hooks: { beforeToolCall: () => void seen.push('later') } }),
        }),
      ],
    });
    const errors: PluginErrorEvent[] = [];
    runtime.events.on('plugin-error', (event) => errors.push(event));
    const executed: string[] = [];
    runtime.events.on('tool-call-start', ({ toolName }) => executed.push(toolName));
    await expect(runtime.callTool({ toolName: 'echo', toolCallId: 'c1', arguments: { text: 'x' } })).rejects.toSatisfy(
      (error) => AgenticGenError.hasCode(error, 'permission-denied'),
    );
    expect(executed).toEqual([]);
    expect(seen).toEqual([]);
    expect(errors[0]).toMatchObject({ plugin: 'policy', hook: 'beforeToolCall', guard: true });
    const model = new MockChatModel();
    await expect(runtime.hooks.run('beforeModelCall', { model, request: { messages: [] } })).rejects.toSatisfy(
      (error) => AgenticGenError.hasCode(error, 'hook-failed') && error.message.includes('"policy"'),
    );
    await runtime.dispose();
  });

  it('rejects unknown hook names at setup', async () => {
    const plugin = definePlugin({
      name: 'typo',
      version: '1.0.0',
      setup: () => ({ hooks: { beforeToolcall: () => undefined } as never }),
    });
    await expect(createRuntime({ plugins: [plugin] })).rejects.toSatisfy(
      (error) =>
        AgenticGenError.hasCode(error, 'plugin-setup-failed') && /unknown hook "beforeToolcall"/.test(error.message),
    );
  });
});

describe('createRuntime: callTool', () => {
  it('runs hooks, emits tool-call events and returns model-readable outcomes', async () => {
    const after: string[] = [];
    const runtime = await createRuntime({
      plugins: [
        definePlugin({
          name: 'tools',
          version: '1.0.0',
          setup: () => ({
            tools: [echo],
            hooks: {
              afterToolCall: (payload) => {
                after.push(`${payload.toolName}:${payload.outcome.ok}`);
              },
            },
          }),
        }),
      ],
    });
    const finished: ToolCallFinishEvent[] = [];
    runtime.events.on('tool-call-finish', (event) => finished.push(event));
    const ok = await runtime.callTool({ toolName: 'echo', toolCallId: 'c1', arguments: '{"text":"hi"}', runId: 'r1' });
    expect(ok).toMatchObject({ ok: true, output: { echoed: 'hi' } });
    const invalid = await runtime.callTool({ toolName: 'echo', toolCallId: 'c2', arguments: { text: 3 } });
    expect(invalid).toMatchObject({ ok: false, error: { code: 'tool-invalid-arguments' } });
    const missing = await runtime.callTool({ toolName: 'nope', toolCallId: 'c3', arguments: {} });
    expect(missing).toMatchObject({ ok: false, error: { code: 'tool-not-found' } });
    expect(finished.map((event) => [event.toolCallId, event.status, event.errorCode])).toEqual([
      ['c1', 'success', undefined],
      ['c2', 'error', 'tool-invalid-arguments'],
      ['c3', 'error', 'tool-not-found'],
    ]);
    expect(finished[0]?.runId).toBe('r1');
    expect(after).toEqual(['echo:true', 'echo:false', 'nope:false']);
    await runtime.dispose();
  });

  it('disposal cancels tool calls in flight', async () => {
    let started: () => void = () => undefined;
    const running = new Promise<void>((resolve) => {
      started = resolve;
    });
    const slow = defineTool({
      name: 'slow',
      description: 'Waits until cancelled',
      parameters: Type.Object({}),
      execute: (_args, { signal }) =>
        new Promise((_resolve, reject) => {
          started();
          signal.addEventListener('abort', () => reject(signal.reason));
        }),
    });
    const runtime = await createRuntime({
      plugins: [definePlugin({ name: 'slow', version: '1.0.0', setup: () => ({ tools: [slow] }) })],
    });
    const pending = runtime.callTool({ toolName: 'slow', toolCallId: 'c1', arguments: {} });
    await running;
    await runtime.dispose();
    expect(await pending).toMatchObject({ ok: false, error: { code: 'disposed' } });
  });
});

describe('createRuntime: disposal', () => {
  it('disposes once in reverse order (onDispose last-in first-out, then the contribution dispose), also via Symbol.asyncDispose', async () => {
    const log: string[] = [];
    const plugin = definePlugin({
      name: 'resources',
      version: '1.0.0',
      setup({ onDispose, signal }) {
        onDispose(() => void log.push('close pool'));
        onDispose(async () => {
          log.push(`close socket (aborted: ${signal.aborted})`);
        });
        return { dispose: () => void log.push('contribution dispose') };
      },
    });
    const runtime = await createRuntime({ plugins: [tracked('base', log), plugin] });
    const disposeEvents: unknown[] = [];
    runtime.events.on('runtime-dispose', (event) => disposeEvents.push(event));
    await runtime[Symbol.asyncDispose]();
    await runtime.dispose();
    expect(log).toEqual([
      'setup base',
      'close socket (aborted: true)',
      'close pool',
      'contribution dispose',
      'dispose base',
    ]);
    expect(disposeEvents).toEqual([{ plugins: ['resources', 'base'], failures: 0 }]);
    expect(runtime.disposed).toBe(true);
    await expect(runtime.hooks.run('runStart', { runId: 'r', input: null })).rejects.toSatisfy((error) =>
      AgenticGenError.hasCode(error, 'disposed'),
    );
    await expect(runtime.callTool({ toolName: 'x', toolCallId: 'c', arguments: {} })).rejects.toThrow(/disposed/);
  });

  it('a failing disposer is reported, the others still run, and dispose rejects with dispose-failed', async () => {
    const log: string[] = [];
    const failing = definePlugin({
      name: 'failing',
      version: '1.0.0',
      dependsOn: ['base'],
      setup: () => ({
        dispose: () => {
          throw new Error('file locked');
        },
      }),
    });
    const runtime = await createRuntime({ plugins: [tracked('base', log), failing] });
    const errors: PluginErrorEvent[] = [];
    runtime.events.on('plugin-error', (event) => errors.push(event));
    await expect(runtime.dispose()).rejects.toSatisfy(
      (error) =>
        AgenticGenError.hasCode(error, 'dispose-failed') &&
        error.message.includes('file locked') &&
        (error.data?.plugins as string[] | undefined)?.[0] === 'failing',
    );
    expect(log).toEqual(['setup base', 'dispose base']);
    expect(errors).toMatchObject([{ plugin: 'failing', hook: 'dispose', guard: false }]);
  });
});

describe('createRuntime: no global state', () => {
  it('two runtimes from the same plugins live side by side without sharing anything', async () => {
    let instances = 0;
    const counter = definePlugin({
      name: 'counter',
      version: '1.0.0',
      config: Type.Object({ label: Type.String() }),
      setup: ({ config }) => {
        instances++;
        const model = new MockChatModel({ modelId: config.label });
        return { tools: [echo], models: { main: model } };
      },
    });
    const first = await createRuntime({ plugins: [counter], config: { counter: { label: 'one' } } });
    const second = await createRuntime({ plugins: [counter], config: { counter: { label: 'two' } } });
    expect(instances).toBe(2);
    expect(first.id).not.toBe(second.id);
    expect(first.models.require('main').modelId).toBe('one');
    expect(second.models.require('main').modelId).toBe('two');
    const firstEvents: string[] = [];
    first.events.on('tool-call-start', ({ toolCallId }) => firstEvents.push(toolCallId));
    await second.callTool({ toolName: 'echo', toolCallId: 'only-second', arguments: { text: 'a' } });
    await first.callTool({ toolName: 'echo', toolCallId: 'only-first', arguments: { text: 'a' } });
    expect(firstEvents).toEqual(['only-first']);
    first.models.unregister('main');
    expect(second.models.has('main')).toBe(true);
    await first.dispose();
    expect(second.disposed).toBe(false);
    await expect(
      second.callTool({ toolName: 'echo', toolCallId: 'c', arguments: { text: 'b' } }),
    ).resolves.toMatchObject({
      ok: true,
    });
    await second.dispose();
  });

  it('plugins can follow the setup of the plugins after them and the runtime-ready event', async () => {
    const seen: string[] = [];
    const observer = definePlugin({
      name: 'observer',
      version: '1.0.0',
      setup: ({ events }) => {
        events.on('plugin-setup', ({ plugin, version }) => seen.push(`${plugin}@${version}`));
        events.on('runtime-ready', ({ plugins }) => seen.push(`ready ${plugins.join(',')}`));
        return undefined;
      },
    });
    const runtime = await createRuntime({ plugins: [observer, tracked('later', [])] });
    expect(seen).toEqual(['observer@1.0.0', 'later@1.0.0', 'ready observer,later']);
    await runtime.dispose();
  });

  it('an empty runtime works', async () => {
    const runtime = await createRuntime();
    expect(runtime.plugins).toEqual([]);
    expect(runtime.tools.size).toBe(0);
    await runtime.dispose();
  });
});
