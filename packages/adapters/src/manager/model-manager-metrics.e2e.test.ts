/**
 * Found by a new user building an app: a managed model whose primary answers 503 and whose backup answers,
 * called through the runtime with the metrics plugin. Every failed attempt must be counted under the model that
 * failed, and the answer's duration, tokens and cost under the model that answered.
 */
import { createRuntime } from '@agenticgen/core';
import { createMetricsPlugin, type MetricsSnapshot, type ScalarSeriesSnapshot } from '@agenticgen/metrics';
import { describe, expect, it } from 'vitest';
import { createAnthropicChatModel } from '../anthropic/index.js';
import { createOpenAIChatModel } from '../openai/index.js';
import { ask, uniqueKey } from '../testing/contract-suite.js';
import { browserOptIn, fakeServerUrls } from '../testing/fake-server-urls.js';
import { createModelManager } from './model-manager.js';

const urls = fakeServerUrls();

function series(snapshot: MetricsSnapshot, name: string, labels: Record<string, string>) {
  const family = snapshot.families.find((candidate) => candidate.name === name);
  return (family?.series ?? []).filter((entry) =>
    Object.entries(labels).every(([label, value]) => entry.labels[label] === value),
  );
}

/** A manager whose `primary` (the fake OpenAI server, no retry) falls back to `backup` (the fake Anthropic one). */
function fallbackChain(primaryId: string, backupId: string, backup: { retry?: false } = {}) {
  return createModelManager({
    models: {
      primary: {
        model: createOpenAIChatModel({
          modelId: primaryId,
          apiKey: 'k',
          baseURL: `${urls.openai}/v1`,
          retry: false,
          ...browserOptIn,
        }),
        fallbacks: ['backup'],
      },
      backup: createAnthropicChatModel({
        modelId: backupId,
        apiKey: 'k',
        baseURL: urls.anthropic,
        ...backup,
        ...browserOptIn,
      }),
    },
  });
}

describe('model manager metrics through the runtime', () => {
  it.each([false, true])(
    'records the 503 under the primary and the answer and cost under the backup (stream: %s)',
    async (streaming) => {
      const key = uniqueKey();
      const primaryId = `gpt-4.1-mini~overloaded~${key}`;
      const backupId = `claude-sonnet-4-20250514~text~${key}`;
      const manager = fallbackChain(primaryId, backupId);
      const metrics = createMetricsPlugin();
      const runtime = await createRuntime({ plugins: [metrics] });
      const model = manager.get('primary');
      if (streaming) {
        for await (const _part of runtime.stream({ model, request: ask })) {
          // drain
        }
      } else {
        await runtime.generate({ model, request: ask });
      }
      const snapshot = metrics.registry.collect();
      const primary = { 'gen_ai.provider.name': 'openai', 'gen_ai.request.model': primaryId };
      const backup = { 'gen_ai.provider.name': 'anthropic', 'gen_ai.request.model': backupId };
      expect(series(snapshot, 'agenticgen.model.errors', { ...primary, 'error.type': 'overloaded' })).toMatchObject([
        { value: 1 },
      ]);
      expect(
        series(snapshot, 'gen_ai.client.operation.duration', { ...primary, 'error.type': 'overloaded' }),
      ).toHaveLength(1);
      const answered = series(snapshot, 'gen_ai.client.operation.duration', backup);
      expect(answered).toHaveLength(1);
      expect(answered[0]?.labels['error.type']).toBeUndefined();
      const cost = series(snapshot, 'agenticgen.model.cost_usd', backup) as ScalarSeriesSnapshot[];
      expect(cost[0]?.value).toBeGreaterThan(0);
      expect(series(snapshot, 'agenticgen.model.cost_usd', primary)).toEqual([]);
      expect(series(snapshot, 'gen_ai.client.token.usage', primary)).toEqual([]);
      for (const provider of ['openai', 'anthropic']) {
        const active = series(snapshot, 'agenticgen.model.calls.active', { 'gen_ai.provider.name': provider });
        expect((active[0] as ScalarSeriesSnapshot | undefined)?.value ?? 0).toBe(0);
      }
      await runtime.dispose();
    },
  );

  it('records each model of an exhausted chain under its own name', async () => {
    const key = uniqueKey();
    const primaryId = `gpt-4.1-mini~overloaded~${key}`;
    const backupId = `claude-sonnet-4-20250514~overloaded~${key}`;
    const manager = fallbackChain(primaryId, backupId, { retry: false });
    const metrics = createMetricsPlugin();
    const runtime = await createRuntime({ plugins: [metrics] });
    await expect(runtime.generate({ model: manager.get('primary'), request: ask })).rejects.toMatchObject({
      code: 'overloaded',
    });
    const snapshot = metrics.registry.collect();
    for (const [provider, modelId] of [
      ['openai', primaryId],
      ['anthropic', backupId],
    ] as const) {
      const labels = { 'gen_ai.provider.name': provider, 'gen_ai.request.model': modelId, 'error.type': 'overloaded' };
      expect(series(snapshot, 'agenticgen.model.errors', labels)).toMatchObject([{ value: 1 }]);
      const active = series(snapshot, 'agenticgen.model.calls.active', { 'gen_ai.provider.name': provider });
      expect((active[0] as ScalarSeriesSnapshot | undefined)?.value ?? 0).toBe(0);
    }
    await runtime.dispose();
  });
});
