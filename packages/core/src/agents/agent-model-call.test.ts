import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { describe, expect, it } from 'vitest';
import { useInMemorySpans } from '../../../../test-support/otel-memory-spans.js';
import { AgenticGenError } from '../errors/agenticgen-error.js';
import { createEventBus } from '../events/event-bus.js';
import type { ModelCallFinishEvent, ModelCallStartEvent, RuntimeEvents } from '../events/runtime-events.js';
import { createRuntime } from '../plugins/create-runtime.js';
import { MockChatModel, type MockChatModelOptions } from '../testing/mock-chat-model.js';
import { createAgent } from './create-agent.js';

// An agent with a runtime and one without must report a model call the same way: one path, one set of rules.

type Path = 'without a runtime' | 'with a runtime';
const paths: Path[] = ['without a runtime', 'with a runtime'];

interface Observed {
  starts: ModelCallStartEvent[];
  finishes: ModelCallFinishEvent[];
  spans: ReadableSpan[];
  text?: string;
  error?: unknown;
}

const exporter = useInMemorySpans();

async function runAgent(
  path: Path,
  script: MockChatModelOptions,
  agentOptions: { stopSequences?: string[]; temperature?: number } = {},
): Promise<Observed> {
  const runtime = path === 'with a runtime' ? await createRuntime() : undefined;
  const events = runtime?.events ?? createEventBus<RuntimeEvents>();
  const observed: Observed = { starts: [], finishes: [], spans: [] };
  events.on('model-call-start', (event) => void observed.starts.push(event));
  events.on('model-call-finish', (event) => void observed.finishes.push(event));
  const agent = createAgent({
    name: 'helper',
    instructions: '',
    model: new MockChatModel({ modelId: 'mock-large', ...script }),
    ...agentOptions,
    ...(runtime === undefined ? { events } : { runtime }),
  });
  try {
    observed.text = (await agent.run('hi')).text;
  } catch (error) {
    observed.error = error;
  }
  observed.spans = exporter.getFinishedSpans();
  await runtime?.dispose();
  return observed;
}

/** The event without the fields that differ on every call. */
function stable(event: ModelCallStartEvent | ModelCallFinishEvent | undefined): Record<string, unknown> {
  const { callId: _callId, runId: _runId, timestamp: _timestamp, ...rest } = event ?? ({} as ModelCallStartEvent);
  if ('durationMs' in rest) rest.durationMs = 0;
  if ('timeToFirstTokenMs' in rest) rest.timeToFirstTokenMs = 0;
  return rest;
}

function chatSpan(spans: readonly ReadableSpan[]): ReadableSpan | undefined {
  return spans.find((span) => span.name === 'chat mock-large');
}

describe('agent model calls, with and without a runtime', () => {
  it('emit the same model-call events and chat span attributes', async () => {
    const script = { responses: [{ text: 'hello', usage: { inputTokens: 4, outputTokens: 2 }, costUsd: 0.01 }] };
    const settings = { temperature: 0.2, stopSequences: ['END'] };
    const bare = await runAgent('without a runtime', script, settings);
    exporter.reset();
    const hosted = await runAgent('with a runtime', script, settings);
    expect(bare.starts).toHaveLength(1);
    expect(bare.finishes).toHaveLength(1);
    expect(stable(bare.starts[0])).toEqual(stable(hosted.starts[0]));
    expect(stable(bare.finishes[0])).toEqual(stable(hosted.finishes[0]));
    expect(chatSpan(bare.spans)?.attributes).toEqual(chatSpan(hosted.spans)?.attributes);
  });

  it.each(paths)('%s: nest the chat span under the step span, even with no async context manager', async (path) => {
    const { spans } = await runAgent(path, { responses: ['hello'] });
    const step = spans.find((span) => span.name === 'step 1');
    expect(chatSpan(spans)?.parentSpanContext?.spanId).toBe(step?.spanContext().spanId);
  });

  it.each(paths)('%s: send the stop sequences and record them on the chat span', async (path) => {
    const echo = { responses: [(request: { stopSequences?: string[] }) => request.stopSequences?.join('|') ?? ''] };
    const { spans, text } = await runAgent(path, echo, { stopSequences: ['END', '###'] });
    expect(text).toBe('END|###');
    expect(chatSpan(spans)?.attributes['gen_ai.request.stop_sequences']).toEqual(['END', '###']);
  });

  it.each(paths)('%s: report a call whose model was disposed under it as aborted', async (path) => {
    const disposed = new AgenticGenError('disposed', '[mock] the client was closed');
    const { finishes, error } = await runAgent(path, { responses: [{ error: disposed }] });
    expect(AgenticGenError.isInstance(error) && error.code).toBe('disposed');
    expect(finishes).toMatchObject([{ status: 'aborted', errorCode: 'disposed' }]);
  });

  it.each(paths)('%s: report a stream that ends without a finish part as a failed call', async (path) => {
    const { finishes, error } = await runAgent(path, { responses: [{ parts: [{ type: 'text-delta', delta: 'hi' }] }] });
    expect(AgenticGenError.isInstance(error) && error.code).toBe('invalid-response');
    expect(finishes).toMatchObject([{ status: 'error', errorCode: 'invalid-response' }]);
  });

  it.each(paths)('%s: name the call `<runtime>:model-<n>`, unique across runs', async (path) => {
    const first = await runAgent(path, { responses: ['one'] });
    const second = await runAgent(path, { responses: ['two'] });
    const ids = [...first.starts, ...second.starts].map((event) => event.callId);
    expect(ids.every((id) => /^[\w-]+:model-\d+$/.test(id))).toBe(true);
    expect(new Set(ids).size).toBe(2);
    expect(first.finishes[0]?.callId).toBe(first.starts[0]?.callId);
  });

  it.each(paths)('%s: report each failed fallback attempt as a call of its own', async (path) => {
    const parts = [
      { type: 'text-delta' as const, delta: 'hi' },
      {
        type: 'finish' as const,
        finishReason: 'stop' as const,
        usage: { inputTokens: 1, outputTokens: 1, totalTokens: 2 },
        providerMetadata: {
          answeredBy: { provider: 'backup', modelId: 'backup-1' },
          fallbacks: [{ provider: 'primary', modelId: 'primary-1', code: 'rate-limited', durationMs: 5 }],
        },
      },
    ];
    const { starts, finishes } = await runAgent(path, { responses: [{ parts }] });
    expect(starts).toHaveLength(2);
    expect(finishes).toMatchObject([
      { provider: 'primary', modelId: 'primary-1', status: 'error', errorCode: 'rate-limited' },
      { provider: 'backup', modelId: 'backup-1', status: 'success' },
    ]);
  });
});
