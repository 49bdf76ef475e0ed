import { trace } from '@opentelemetry/api';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { Type } from '@sinclair/typebox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MockChatModel } from '../testing/mock-chat-model.js';
import { defineTool } from '../tools/define-tool.js';
import { createAgent } from './create-agent.js';

const exporter = new InMemorySpanExporter();

beforeAll(() => {
  trace.disable();
  trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }));
});
afterAll(() => {
  trace.disable();
});

describe('agent spans', () => {
  it('nests run → step → chat / execute_tool spans with GenAI semantic-convention attributes', async () => {
    exporter.reset();
    const lookup = defineTool({
      name: 'lookup',
      description: 'Fails on purpose.',
      parameters: Type.Object({}),
      execute: () => {
        throw new Error('backend down');
      },
    });
    const model = new MockChatModel({
      modelId: 'mock-large',
      responses: [
        { toolCalls: [{ toolName: 'lookup', input: {} }], usage: { inputTokens: 11, outputTokens: 2 } },
        { text: 'Sorry.', usage: { inputTokens: 15, outputTokens: 3 } },
      ],
    });
    await createAgent({ name: 'helper', instructions: '', model, tools: [lookup], temperature: 0.2 }).run('find it');
    const spans = exporter.getFinishedSpans();
    const byName = (name: string) => spans.filter((span) => span.name === name);
    const [run] = byName('invoke_agent helper');
    const chats = byName('chat mock-large');
    const [tool] = byName('execute_tool lookup');
    const steps = spans.filter((span) => span.name.startsWith('step '));
    expect(run?.attributes).toMatchObject({
      'gen_ai.operation.name': 'invoke_agent',
      'gen_ai.agent.name': 'helper',
      'gen_ai.usage.input_tokens': 26,
      'gen_ai.usage.output_tokens': 5,
    });
    expect(chats).toHaveLength(2);
    expect(chats[0]?.attributes).toMatchObject({
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'mock',
      'gen_ai.request.model': 'mock-large',
      'gen_ai.request.temperature': 0.2,
      'gen_ai.usage.input_tokens': 11,
      'gen_ai.response.finish_reasons': ['tool-calls'],
    });
    expect(tool?.attributes).toMatchObject({
      'gen_ai.operation.name': 'execute_tool',
      'gen_ai.tool.name': 'lookup',
      'error.type': 'tool-execution-failed',
    });
    expect(steps).toHaveLength(2);
    const runId = run?.spanContext().spanId;
    expect(steps.every((step) => step.parentSpanContext?.spanId === runId)).toBe(true);
    expect(chats[0]?.parentSpanContext?.spanId).toBe(steps[0]?.spanContext().spanId);
    expect(tool?.parentSpanContext?.spanId).toBe(steps[0]?.spanContext().spanId);
    expect(new Set(spans.map((span) => span.spanContext().traceId)).size).toBe(1);
  });
});
