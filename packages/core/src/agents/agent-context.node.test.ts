import { describe, expect, it } from 'vitest';
import { useInMemoryTracing } from '../../../../test-support/otel-async-context.js';
import { createRuntime } from '../plugins/create-runtime.js';
import { MockChatModel } from '../testing/mock-chat-model.js';
import { createAgent } from './create-agent.js';

const exporter = useInMemoryTracing();

describe('span nesting with an async context manager', () => {
  it('a sub-agent run nests under the tool call that invoked it; runtime chat spans under the step', async () => {
    exporter.reset();
    const runtime = await createRuntime();
    const specialist = createAgent({
      name: 'specialist',
      instructions: '',
      model: new MockChatModel({ responses: ['Paris'] }),
    });
    const boss = createAgent({
      name: 'boss',
      instructions: '',
      runtime,
      model: new MockChatModel({
        responses: [{ toolCalls: [{ toolName: 'specialist', input: { input: 'Capital of France?' } }] }, 'Paris.'],
      }),
      tools: [specialist.asTool()],
    });
    await boss.run('?');
    const spans = exporter.getFinishedSpans();
    const find = (name: string) => spans.filter((span) => span.name === name);
    const [tool] = find('execute_tool specialist');
    const [subRun] = find('invoke_agent specialist');
    const [bossRun] = find('invoke_agent boss');
    expect(subRun?.parentSpanContext?.spanId).toBe(tool?.spanContext().spanId);
    const steps = spans.filter(
      (span) => span.name === 'step 1' && span.parentSpanContext?.spanId === bossRun?.spanContext().spanId,
    );
    const runtimeChats = find('chat mock-model').filter((span) => span.attributes['gen_ai.agent.name'] === 'boss');
    expect(runtimeChats).toHaveLength(2);
    expect(runtimeChats[0]?.parentSpanContext?.spanId).toBe(steps[0]?.spanContext().spanId);
    const agentSpans = spans.filter((span) => span.name !== 'setup_runtime');
    expect(new Set(agentSpans.map((span) => span.spanContext().traceId)).size).toBe(1);
    await runtime.dispose();
  });
});
