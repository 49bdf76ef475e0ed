import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { describe, expect, it, vi } from 'vitest';
import { useInMemorySpans } from '../../../../test-support/otel-memory-spans.js';
import type { ChatModel, ChatStreamPart } from '../contracts/chat-model.js';
import type { Meter } from '../contracts/meter.js';
import { AgenticGenError } from '../errors/agenticgen-error.js';
import type { ModelCallFinishEvent, ModelCallStartEvent } from '../events/runtime-events.js';
import { MockChatModel } from '../testing/mock-chat-model.js';
import { createRuntime } from './create-runtime.js';
import { definePlugin } from './define-plugin.js';
import type { HookPayloads } from './hooks.js';

const user = (text: string) => ({ messages: [{ role: 'user' as const, content: text }] });

async function setup(model: MockChatModel, hooks: Parameters<typeof definePlugin>[0]['setup'] | undefined = undefined) {
  const runtime = await createRuntime({
    plugins: [
      definePlugin({
        name: 'models',
        version: '1.0.0',
        setup: hooks ?? (() => ({ models: { main: model } })),
      }),
    ],
  });
  const starts: ModelCallStartEvent[] = [];
  const finishes: ModelCallFinishEvent[] = [];
  runtime.events.on('model-call-start', (event) => starts.push(event));
  runtime.events.on('model-call-finish', (event) => finishes.push(event));
  return { runtime, starts, finishes };
}

describe('runtime.generate and runtime.stream', () => {
  const exporter = useInMemorySpans();

  it('generate resolves a model by name and reports usage and latency in events and a chat span', async () => {
    const model = new MockChatModel({ responses: [{ text: 'hello', usage: { inputTokens: 10, outputTokens: 2 } }] });
    const { runtime, starts, finishes } = await setup(model);
    const response = await runtime.generate({
      model: 'main',
      request: { ...user('hi'), temperature: 0.3 },
      runId: 'r1',
    });
    expect(response.text).toBe('hello');
    expect(starts).toMatchObject([{ runId: 'r1', provider: 'mock', modelId: 'mock-model', streaming: false }]);
    expect(finishes).toHaveLength(1);
    expect(finishes[0]).toMatchObject({
      callId: starts[0]?.callId,
      status: 'success',
      usage: { inputTokens: 10, outputTokens: 2, totalTokens: 12 },
      finishReason: 'stop',
      responseModelId: 'mock-model',
    });
    expect(finishes[0]?.durationMs).toBeGreaterThanOrEqual(0);
    const [span] = exporter.getFinishedSpans().filter((candidate) => candidate.name === 'chat mock-model');
    expect(span?.kind).toBe(SpanKind.CLIENT);
    expect(span?.attributes).toMatchObject({
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'mock',
      'gen_ai.request.model': 'mock-model',
      'gen_ai.request.temperature': 0.3,
      'gen_ai.usage.input_tokens': 10,
      'gen_ai.usage.output_tokens': 2,
      'gen_ai.response.finish_reasons': ['stop'],
    });
    await runtime.dispose();
  });

  it('hooks may replace the request before and the response after the call', async () => {
    const model = new MockChatModel({ responses: ['raw answer'] });
    const seen: Array<HookPayloads['afterModelCall']> = [];
    const { runtime } = await setup(model, () => ({
      models: { main: model },
      hooks: {
        beforeModelCall: (payload) => {
          payload.request = {
            ...payload.request,
            messages: [{ role: 'system', content: 'Be brief.' }, ...payload.request.messages],
          };
        },
        afterModelCall: (payload) => {
          seen.push(payload);
          if (payload.response) payload.response = { ...payload.response, text: payload.response.text.toUpperCase() };
        },
      },
    }));
    const response = await runtime.generate({ model, request: user('hi') });
    expect(response.text).toBe('RAW ANSWER');
    expect(model.lastRequest?.messages[0]).toEqual({ role: 'system', content: 'Be brief.' });
    expect(seen[0]?.durationMs).toBeGreaterThanOrEqual(0);
    await runtime.dispose();
  });

  it('a failing model call rejects with its AgenticGenError, marks the span and reports the error code', async () => {
    const model = new MockChatModel({ responses: [{ error: new AgenticGenError('rate-limit', '[mock] slow down') }] });
    const afterErrors: string[] = [];
    const { runtime, finishes } = await setup(model, () => ({
      models: { main: model },
      hooks: { afterModelCall: ({ error }) => void afterErrors.push(error?.code ?? 'none') },
    }));
    await expect(runtime.generate({ model: 'main', request: user('x') })).rejects.toSatisfy((error) =>
      AgenticGenError.hasCode(error, 'rate-limit'),
    );
    expect(finishes[0]).toMatchObject({ status: 'error', errorCode: 'rate-limit' });
    expect(afterErrors).toEqual(['rate-limit']);
    const span = exporter.getFinishedSpans().find((candidate) => candidate.name === 'chat mock-model');
    expect(span?.status.code).toBe(SpanStatusCode.ERROR);
    expect(span?.attributes['error.type']).toBe('rate-limit');
    await expect(runtime.generate({ model: 'missing', request: user('x') })).rejects.toThrow(
      /no model named "missing"/,
    );
    await runtime.dispose();
  });

  it('stream yields every part and reports time to first token and the assembled response', async () => {
    const model = new MockChatModel({ responses: [{ text: 'streamed text', chunkSize: 4 }] });
    let afterText: string | undefined;
    const { runtime, finishes } = await setup(model, () => ({
      models: { main: model },
      hooks: {
        afterModelCall: ({ response }) => {
          afterText = response?.text;
        },
      },
    }));
    const parts: ChatStreamPart[] = [];
    for await (const part of runtime.stream({ model: 'main', request: user('x') })) parts.push(part);
    expect(parts.filter((part) => part.type === 'text-delta')).toHaveLength(4);
    expect(afterText).toBe('streamed text');
    expect(finishes[0]).toMatchObject({ streaming: true, status: 'success', finishReason: 'stop' });
    expect(finishes[0]?.timeToFirstTokenMs).toBeGreaterThanOrEqual(0);
    await runtime.dispose();
  });

  it('a consumer that stops early ends the call as aborted', async () => {
    const model = new MockChatModel({ responses: [{ text: 'a long answer', chunkSize: 1 }] });
    const { runtime, finishes } = await setup(model);
    for await (const part of runtime.stream({ model: 'main', request: user('x') })) {
      if (part.type === 'text-delta') break;
    }
    expect(finishes).toMatchObject([{ status: 'aborted', errorCode: 'aborted' }]);
    await runtime.dispose();
  });

  it('disposing the runtime cancels a model call in flight', async () => {
    const model = new MockChatModel({ responses: [{ text: 'slow', delayMs: 10_000 }] });
    const { runtime, finishes } = await setup(model);
    const pending = runtime.generate({ model: 'main', request: user('x') });
    await vi.waitFor(() => expect(model.calls).toHaveLength(1)); // the call is in flight
    await runtime.dispose();
    await expect(pending).rejects.toSatisfy((error) => AgenticGenError.hasCode(error, 'disposed'));
    expect(finishes[0]?.errorCode).toBe('disposed');
    await expect(runtime.generate({ model: 'main', request: user('x') })).rejects.toThrow(/disposed/);
    await expect(
      runtime
        .stream({ model: 'main', request: user('x') })
        [Symbol.asyncIterator]()
        .next(),
    ).rejects.toThrow(/disposed/);
  });
});

describe('a metrics plugin on runtime events', () => {
  it('records token usage and latency from model-call-finish through its context meter', async () => {
    const recorded: Array<{ name: string; value: number; labels: Record<string, string> | undefined }> = [];
    const meter: Meter = {
      counter: (name) => ({
        add: (value = 1, labels) => void recorded.push({ name, value, labels }),
        bind: () => ({ add: () => undefined }),
      }),
      upDownCounter: () => ({ add: () => undefined, bind: () => ({ add: () => undefined }) }),
      gauge: () => ({ set: () => undefined, bind: () => ({ set: () => undefined }) }),
      histogram: (name) => ({
        record: (value, labels) => void recorded.push({ name, value, labels }),
        bind: () => ({ record: () => undefined }),
      }),
    };
    const metrics = definePlugin({
      name: 'metrics',
      version: '1.0.0',
      setup: ({ events, meter: pluginMeter }) => {
        const tokens = pluginMeter.counter('gen_ai.client.token.usage');
        const duration = pluginMeter.histogram('gen_ai.client.operation.duration');
        const off = events.on('model-call-finish', ({ modelId, usage, durationMs, errorCode }) => {
          const labels = { 'gen_ai.request.model': modelId, 'error.type': errorCode ?? '' };
          duration.record(durationMs / 1000, labels);
          if (usage) tokens.add(usage.inputTokens + usage.outputTokens, labels);
        });
        return { dispose: off };
      },
    });
    const model = new MockChatModel({ responses: [{ text: 'ok', usage: { inputTokens: 7, outputTokens: 3 } }] });
    const runtime = await createRuntime({ plugins: [metrics], meter });
    await runtime.generate({ model, request: user('x') });
    expect(recorded.map((entry) => entry.name)).toEqual([
      'gen_ai.client.operation.duration',
      'gen_ai.client.token.usage',
    ]);
    expect(recorded[1]).toMatchObject({
      value: 10,
      labels: { 'gen_ai.request.model': 'mock-model', 'error.type': '' },
    });
    await runtime.dispose();
    expect(runtime.events.listenerCount('model-call-finish')).toBe(0);
  });
});

describe('a model that routes to others (fallbacks in its metadata)', () => {
  const routed = (fallbacks: unknown[]): ChatModel => ({
    provider: 'router',
    modelId: 'router-model',
    capabilities: { tools: false, vision: false, structuredOutput: false, streaming: true, contextWindow: 1000 },
    generate: async () => ({
      text: 'ok',
      content: [{ type: 'text', text: 'ok' }],
      toolCalls: [],
      finishReason: 'stop',
      usage: { inputTokens: 1, outputTokens: 1, totalTokens: 2 },
      modelId: 'backup-model',
      costUsd: 0.5,
      providerMetadata: { answeredBy: { provider: 'backup', modelId: 'backup-model' }, fallbacks },
    }),
    stream: async function* () {
      yield* [];
    },
  });

  it('reports each failed attempt as a call of its own and the answer under the model that answered', async () => {
    const runtime = await createRuntime({});
    const starts: ModelCallStartEvent[] = [];
    const finishes: ModelCallFinishEvent[] = [];
    runtime.events.on('model-call-start', (event) => starts.push(event));
    runtime.events.on('model-call-finish', (event) => finishes.push(event));
    const attempt = { provider: 'primary', modelId: 'primary-model', code: 'overloaded', durationMs: 12 };
    await runtime.generate({ model: routed([attempt, { not: 'a model' }]), request: user('x') });
    expect(starts.map((event) => event.provider)).toEqual(['router', 'primary']);
    expect(finishes).toMatchObject([
      { provider: 'primary', modelId: 'primary-model', status: 'error', errorCode: 'overloaded', durationMs: 12 },
      { provider: 'backup', modelId: 'backup-model', status: 'success', costUsd: 0.5 },
    ]);
    expect(finishes[0]?.callId).toBe(`${starts[0]?.callId}:attempt-1`);

    finishes.length = 0;
    await runtime.generate({ model: routed(Array.from({ length: 40 }, () => attempt)), request: user('x') });
    // Metadata comes from the model, so a long list is cut at 32 reported attempts.
    expect(finishes.filter((event) => event.status === 'error')).toHaveLength(32);
    await runtime.dispose();
  });
});
