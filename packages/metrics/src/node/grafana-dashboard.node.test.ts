import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createCache } from '@agenticgen/cache';
import { AgenticGenError, createRuntime, createScheduler, definePlugin, defineTool, Type } from '@agenticgen/core';
import { createArithmeticSandbox, MockChatModel } from '@agenticgen/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createMetricsHandler,
  createMetricsPlugin,
  createMetricsRegistry,
  instrumentCodeSandbox,
} from '../index.node.js';
import { eventually, type RunningPrometheus, requireBinary, startPrometheus } from './test-support/prometheus-tools.js';

const binary = requireBinary('prometheus');
const dashboard = JSON.parse(
  readFileSync(new URL('../../../../docs/grafana/agenticgen-dashboard.json', import.meta.url), 'utf8'),
) as { panels: { title: string; type: string; targets?: { expr: string }[] }[] };

const echo = defineTool({
  name: 'echo',
  description: 'Echoes its text',
  parameters: Type.Object({ text: Type.String() }),
  execute: ({ text }) => ({ text }),
});

describe.skipIf(binary === undefined)('the Grafana dashboard against a real Prometheus', () => {
  const registry = createMetricsRegistry();
  const cache = createCache();
  const scheduler = createScheduler({ concurrency: 1 });
  const sandbox = instrumentCodeSandbox(createArithmeticSandbox({ durationMs: 2 }).sandbox, registry, 'python');
  let server: Server;
  let prometheus: RunningPrometheus;
  let runtime: Awaited<ReturnType<typeof createRuntime>>;

  /** One burst of everything the plugin measures. */
  async function workload(): Promise<void> {
    const model = new MockChatModel({
      provider: 'openai',
      modelId: 'gpt-test',
      responses: [
        { text: 'hello there', usage: { inputTokens: 20, outputTokens: 40 }, costUsd: 0.02 },
        { text: 'streamed', usage: { inputTokens: 10, outputTokens: 5 }, costUsd: 0.01 },
        { error: new AgenticGenError('rate-limit', '[mock] slow down') },
      ],
    });
    const request = { messages: [{ role: 'user' as const, content: 'hi' }] };
    await runtime.generate({ model, request });
    for await (const _part of runtime.stream({ model, request })) {
      // drain
    }
    await runtime.generate({ model, request }).catch(() => undefined);
    await runtime.callTool({ toolName: 'echo', toolCallId: 'c1', arguments: { text: 'x' } });
    runtime.events.emit('run-finish', {
      runId: 'r1',
      agentName: 'helper',
      status: 'success',
      durationMs: 1200,
      timestamp: Date.now(),
    });
    await cache.get('missing');
    await cache.set('k', 'v');
    await cache.get('k');
    await scheduler.run({ name: 'job', run: async () => 1 });
    const session = await sandbox.createSession();
    await session.run('1+1');
    await session.run('1 // 0');
  }

  beforeAll(async () => {
    runtime = await createRuntime({
      plugins: [
        createMetricsPlugin({ registry, caches: { answers: cache }, schedulers: { jobs: scheduler } }),
        definePlugin({ name: 'tools', version: '1.0.0', setup: () => ({ tools: [echo] }) }),
      ],
    });
    await workload();
    server = createServer(createMetricsHandler(registry));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;
    prometheus = await startPrometheus(binary!, [{ job: 'agent', port, path: '/metrics' }]);
  });

  afterAll(async () => {
    await prometheus?.stop();
    await new Promise<void>((resolve) => server?.close(() => resolve()));
    await runtime?.dispose();
  });

  it('every panel query parses and returns series for the auto-instrumented metrics', async () => {
    await eventually(async () =>
      (await prometheus.query('agenticgen_model_errors_total')).length > 0 ? true : undefined,
    );
    // A second burst after the first scrape, so rates and quantiles see increases.
    await workload();
    const rated = 'rate(gen_ai_client_operation_duration_seconds_count[1m]) > 0';
    await eventually(async () => ((await prometheus.query(rated)).length > 0 ? true : undefined));
    const targets = dashboard.panels.flatMap((panel) =>
      (panel.targets ?? []).map((target) => ({
        panel: panel.title,
        expr: target.expr.replaceAll('$__rate_interval', '1m'),
      })),
    );
    expect(targets.length).toBeGreaterThanOrEqual(15);
    const empty: string[] = [];
    for (const { panel, expr } of targets) {
      const result = await prometheus.query(expr);
      if (result.length === 0) empty.push(`${panel}: ${expr}`);
    }
    expect(empty).toEqual([]);
    const [p99] = await prometheus.query(
      'histogram_quantile(0.99, sum by (le) (rate(gen_ai_client_operation_duration_seconds_bucket[1m])))',
    );
    expect(Number(p99?.value[1])).toBeGreaterThan(0);
    const [ratio] = await prometheus.query(targets.find((t) => t.panel === 'Cache hit ratio')!.expr);
    expect(Number(ratio?.value[1])).toBeCloseTo(0.5, 5);
  });
});
