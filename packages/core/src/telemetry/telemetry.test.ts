import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { Type } from '@sinclair/typebox';
import { describe, expect, it } from 'vitest';
import { useInMemorySpans } from '../../../../test-support/otel-memory-spans.js';
import { AgenticGenError } from '../errors/agenticgen-error.js';
import { createRuntime } from '../plugins/create-runtime.js';
import { definePlugin } from '../plugins/define-plugin.js';
import { defineTool } from '../tools/define-tool.js';
import { noopMeter } from './noop-meter.js';
import { errorTypeOf, withSpan } from './with-span.js';

const weather = defineTool({
  name: 'get_weather',
  description: 'Current weather for a city',
  parameters: Type.Object({ city: Type.String() }),
  execute: ({ city }) => {
    if (city === 'Atlantis') throw new Error('no such city');
    return { city, celsius: 21 };
  },
});

describe('telemetry without an SDK', () => {
  it('withSpan runs the function with a no-op span and passes results and errors through', async () => {
    trace.disable();
    expect(await withSpan('invoke_agent helper', { 'gen_ai.operation.name': 'invoke_agent' }, () => 42)).toBe(42);
    const failure = new AgenticGenError('timeout', '[test] slow');
    await expect(withSpan('chat m', {}, () => Promise.reject(failure))).rejects.toBe(failure);
  });
});

describe('telemetry with the in-memory exporter', () => {
  const exporter = useInMemorySpans();

  const spanNamed = (name: string) => {
    const span = exporter.getFinishedSpans().find((candidate) => candidate.name === name);
    if (span === undefined)
      throw new Error(`no span "${name}" among ${exporter.getFinishedSpans().map((s) => s.name)}`);
    return span;
  };

  it('withSpan records name, kind and attributes (undefined dropped), and an error with status and error.type', async () => {
    await withSpan(
      'chat gpt-test',
      { 'gen_ai.operation.name': 'chat', 'gen_ai.request.model': 'gpt-test', 'gen_ai.request.seed': undefined },
      (span) => {
        span.setAttribute('gen_ai.usage.input_tokens', 12);
      },
      { kind: SpanKind.CLIENT },
    );
    const chat = spanNamed('chat gpt-test');
    expect(chat.kind).toBe(SpanKind.CLIENT);
    expect(chat.attributes).toEqual({
      'gen_ai.operation.name': 'chat',
      'gen_ai.request.model': 'gpt-test',
      'gen_ai.usage.input_tokens': 12,
    });
    expect(chat.status.code).not.toBe(SpanStatusCode.ERROR);

    await expect(
      withSpan('invoke_agent broken', {}, () => {
        throw new AgenticGenError('rate-limit', '[adapters] slow down');
      }),
    ).rejects.toSatisfy((error) => AgenticGenError.hasCode(error, 'rate-limit'));
    const failed = spanNamed('invoke_agent broken');
    expect(failed.status).toEqual({ code: SpanStatusCode.ERROR, message: '[adapters] slow down' });
    expect(failed.attributes['error.type']).toBe('rate-limit');
    expect(failed.events.map((event) => event.name)).toContain('exception');
    expect(failed.ended).toBe(true);
  });

  it('error.type falls back to the class name, then _OTHER', () => {
    expect(errorTypeOf(new TypeError('x'))).toBe('TypeError');
    expect(errorTypeOf('a string')).toBe('_OTHER');
  });

  it('runtime setup produces a setup_runtime span with one child per plugin, in setup order', async () => {
    const runtime = await createRuntime({
      plugins: [
        definePlugin({ name: 'tools', version: '1.2.3', dependsOn: ['base'], setup: () => ({ tools: [weather] }) }),
        definePlugin({ name: 'base', version: '0.1.0', setup: () => undefined }),
      ],
    });
    const root = spanNamed('setup_runtime');
    expect(root.attributes['agenticgen.plugin.count']).toBe(2);
    const children = exporter.getFinishedSpans().filter((span) => span.name.startsWith('setup_plugin '));
    expect(children.map((span) => span.name)).toEqual(['setup_plugin base', 'setup_plugin tools']);
    for (const child of children) {
      expect(child.parentSpanContext?.spanId).toBe(root.spanContext().spanId);
      expect(child.spanContext().traceId).toBe(root.spanContext().traceId);
    }
    expect(children[1]?.attributes).toMatchObject({
      'agenticgen.plugin.name': 'tools',
      'agenticgen.plugin.version': '1.2.3',
    });
    await runtime.dispose();
  });

  it('a failing plugin setup marks its span and the runtime span as errors', async () => {
    await expect(
      createRuntime({
        plugins: [
          definePlugin({
            name: 'bad',
            version: '1.0.0',
            setup: () => {
              throw new Error('nope');
            },
          }),
        ],
      }),
    ).rejects.toThrow();
    expect(spanNamed('setup_plugin bad').status.code).toBe(SpanStatusCode.ERROR);
    expect(spanNamed('setup_plugin bad').attributes['error.type']).toBe('plugin-setup-failed');
    expect(spanNamed('setup_runtime').status.code).toBe(SpanStatusCode.ERROR);
  });

  it('tool calls produce execute_tool spans per the GenAI conventions, with error.type on failure', async () => {
    const runtime = await createRuntime({
      plugins: [definePlugin({ name: 'weather', version: '1.0.0', setup: () => ({ tools: [weather] }) })],
    });
    exporter.reset();
    await runtime.callTool({
      toolName: 'get_weather',
      toolCallId: 'call_1',
      arguments: { city: 'Paris' },
      agentName: 'a',
    });
    await runtime.callTool({ toolName: 'get_weather', toolCallId: 'call_2', arguments: { city: 42 } });
    await runtime.callTool({ toolName: 'get_weather', toolCallId: 'call_3', arguments: { city: 'Atlantis' } });
    const spans = exporter.getFinishedSpans();
    expect(spans.map((span) => span.name)).toEqual([
      'execute_tool get_weather',
      'execute_tool get_weather',
      'execute_tool get_weather',
    ]);
    const [ok, invalid, thrown] = spans;
    expect(ok?.kind).toBe(SpanKind.INTERNAL);
    expect(ok?.attributes).toEqual({
      'gen_ai.operation.name': 'execute_tool',
      'gen_ai.tool.name': 'get_weather',
      'gen_ai.tool.call.id': 'call_1',
      'gen_ai.tool.type': 'function',
      'gen_ai.tool.description': 'Current weather for a city',
      'gen_ai.agent.name': 'a',
    });
    expect(ok?.status.code).not.toBe(SpanStatusCode.ERROR);
    expect(invalid?.status.code).toBe(SpanStatusCode.ERROR);
    expect(invalid?.attributes['error.type']).toBe('tool-invalid-arguments');
    expect(invalid?.attributes['gen_ai.tool.call.id']).toBe('call_2');
    expect(thrown?.attributes['error.type']).toBe('tool-execution-failed');
    expect(thrown?.status.message).toContain('no such city');
    await runtime.dispose();
  });
});

describe('noopMeter', () => {
  it('accepts every recording call and hands out the same instruments', () => {
    const counter = noopMeter.counter('gen_ai.client.requests', { unit: '{request}' });
    expect(() => {
      counter.add();
      counter.add(3, { model: 'x' });
      counter.bind({ model: 'x' }).add(1);
      noopMeter.upDownCounter('in_flight').add(-1);
      noopMeter.gauge('queue').set(4, { queue: 'a' });
      noopMeter.gauge('queue').bind().set(1);
      noopMeter.histogram('gen_ai.client.operation.duration', { buckets: [0.1, 1] }).record(0.3);
      noopMeter.histogram('h').bind({}).record(1);
    }).not.toThrow();
    expect(noopMeter.counter('a')).toBe(noopMeter.histogram('b'));
    expect(Object.isFrozen(noopMeter)).toBe(true);
  });
});
