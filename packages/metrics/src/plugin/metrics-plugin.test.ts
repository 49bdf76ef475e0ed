import { createCache } from '@agenticgen/cache';
import { AgenticGenError, createRuntime, createScheduler, definePlugin, defineTool, Type } from '@agenticgen/core';
import { MockChatModel } from '@agenticgen/core/testing';
import { describe, expect, it } from 'vitest';
import {
  createMetricsPlugin,
  createMetricsRegistry,
  formatPrometheus,
  type HistogramSeriesSnapshot,
  type MetricsSnapshot,
  type ScalarSeriesSnapshot,
} from '../index.js';

function find(snapshot: MetricsSnapshot, name: string, labels: Record<string, string> = {}) {
  const family = snapshot.families.find((f) => f.name === name);
  return family?.series.find((s) => Object.entries(labels).every(([k, v]) => s.labels[k] === v));
}

const add = defineTool({
  name: 'add',
  description: 'Adds two numbers',
  parameters: Type.Object({ a: Type.Number(), b: Type.Number() }),
  execute: ({ a, b }) => ({ sum: a + b }),
});
const toolPlugin = definePlugin({ name: 'math', version: '1.0.0', setup: () => ({ tools: [add] }) });

describe('metrics plugin', () => {
  it('records GenAI model metrics from runtime events: duration, tokens, first chunk, cost, errors', async () => {
    const plugin = createMetricsPlugin();
    const runtime = await createRuntime({ plugins: [plugin, toolPlugin] });
    const model = new MockChatModel({
      provider: 'openai',
      modelId: 'gpt-test',
      responses: [
        { text: 'hello', usage: { inputTokens: 12, outputTokens: 30 }, costUsd: 0.25 },
        { text: 'streamed answer', usage: { inputTokens: 5, outputTokens: 7 }, costUsd: 0.5 },
        { error: new AgenticGenError('rate-limit', '[mock] slow down') },
      ],
    });
    const request = { messages: [{ role: 'user' as const, content: 'hi' }] };
    await runtime.generate({ model, request });
    for await (const _part of runtime.stream({ model, request })) {
      // drain
    }
    await expect(runtime.generate({ model, request })).rejects.toSatisfy((e) =>
      AgenticGenError.hasCode(e, 'rate-limit'),
    );
    await runtime.callTool({ toolName: 'add', toolCallId: 'c1', arguments: { a: 1, b: 2 } });
    await runtime.callTool({ toolName: 'add', toolCallId: 'c2', arguments: { a: 'x' } });

    const snapshot = plugin.registry.collect();
    const base = { 'gen_ai.provider.name': 'openai', 'gen_ai.request.model': 'gpt-test' };
    const ok = find(snapshot, 'gen_ai.client.operation.duration', { ...base, 'gen_ai.response.model': 'gpt-test' });
    expect((ok as HistogramSeriesSnapshot).count).toBe(2);
    expect(ok?.labels['error.type']).toBeUndefined();
    const failed = find(snapshot, 'gen_ai.client.operation.duration', { 'error.type': 'rate-limit' });
    expect((failed as HistogramSeriesSnapshot).count).toBe(1);
    const input = find(snapshot, 'gen_ai.client.token.usage', { ...base, 'gen_ai.token.type': 'input' });
    expect((input as HistogramSeriesSnapshot).sum).toBe(17);
    const output = find(snapshot, 'gen_ai.client.token.usage', { 'gen_ai.token.type': 'output' });
    expect((output as HistogramSeriesSnapshot).sum).toBe(37);
    expect((find(snapshot, 'gen_ai.client.operation.time_to_first_chunk') as HistogramSeriesSnapshot).count).toBe(1);
    expect((find(snapshot, 'agenticgen.model.cost_usd', base) as ScalarSeriesSnapshot).value).toBe(0.75);
    expect(
      (find(snapshot, 'agenticgen.model.errors', { 'error.type': 'rate-limit' }) as ScalarSeriesSnapshot).value,
    ).toBe(1);
    expect((find(snapshot, 'agenticgen.model.calls.active') as ScalarSeriesSnapshot).value).toBe(0);
    const toolOk = find(snapshot, 'gen_ai.execute_tool.duration', { 'gen_ai.tool.name': 'add' });
    expect((toolOk as HistogramSeriesSnapshot).count).toBe(1);
    const toolFailed = find(snapshot, 'gen_ai.execute_tool.duration', { 'error.type': 'tool-invalid-arguments' });
    expect((toolFailed as HistogramSeriesSnapshot).count).toBe(1);

    const text = formatPrometheus(snapshot);
    expect(text).toContain('# TYPE gen_ai_client_operation_duration_seconds histogram');
    expect(text).toContain(
      'gen_ai_client_token_usage_sum{gen_ai_operation_name="chat",gen_ai_provider_name="openai",gen_ai_request_model="gpt-test",gen_ai_token_type="input"} 17',
    );
    expect(text).toContain(
      'agenticgen_model_errors_total{gen_ai_provider_name="openai",gen_ai_request_model="gpt-test",error_type="rate-limit"} 1',
    );

    await runtime.dispose();
    await runtime.generate({ model, request }).catch(() => undefined);
    // Disposed: the plugin unsubscribed, nothing more is recorded.
    expect((find(plugin.registry.collect(), 'agenticgen.model.errors') as ScalarSeriesSnapshot).value).toBe(1);
  });

  it('counts cache hits and misses of a real tiered cache and reads scheduler queue depth at collection', async () => {
    const registry = createMetricsRegistry();
    const cache = createCache();
    const scheduler = createScheduler({ concurrency: 1, paused: true });
    const runtime = await createRuntime({
      plugins: [createMetricsPlugin({ registry, caches: { answers: cache }, schedulers: { jobs: scheduler } })],
    });
    await cache.get('missing');
    await cache.set('k', 'v');
    await cache.get('k');
    await cache.get('k');
    const handles = [1, 2, 3].map((n) => scheduler.schedule({ name: `job-${n}`, run: async () => n }));
    const queued = registry.collect();
    expect(
      (find(queued, 'agenticgen.scheduler.queue.depth', { 'scheduler.name': 'jobs' }) as ScalarSeriesSnapshot).value,
    ).toBe(3);
    expect((find(queued, 'agenticgen.cache.requests', { 'cache.result': 'miss' }) as ScalarSeriesSnapshot).value).toBe(
      1,
    );
    expect(
      (find(queued, 'agenticgen.cache.requests', { 'cache.result': 'hit', 'cache.tier': 'l1' }) as ScalarSeriesSnapshot)
        .value,
    ).toBe(2);
    scheduler.resume();
    await Promise.all(handles.map((handle) => handle.result));
    await scheduler.onIdle();
    const done = registry.collect();
    expect((find(done, 'agenticgen.scheduler.queue.depth') as ScalarSeriesSnapshot).value).toBe(0);
    expect((find(done, 'agenticgen.scheduler.tasks', { status: 'completed' }) as ScalarSeriesSnapshot).value).toBe(3);
    expect((find(done, 'agenticgen.scheduler.task.duration') as HistogramSeriesSnapshot).count).toBe(3);
    await runtime.dispose();
  });
});
