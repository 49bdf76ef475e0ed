import { spawnSync } from 'node:child_process';
import { createRuntime } from '@agenticgen/core';
import { MockChatModel } from '@agenticgen/core/testing';
import { describe, expect, it } from 'vitest';
import { createMetricsPlugin, createMetricsRegistry, formatPrometheus } from '../index.node.js';
import { requireBinary } from './test-support/prometheus-tools.js';

const promtool = requireBinary('promtool');

function check(text: string): { status: number | null; output: string } {
  const result = spawnSync(promtool!, ['check', 'metrics'], { input: text, encoding: 'utf8' });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

describe.skipIf(promtool === undefined)('promtool check metrics', () => {
  it('accepts the exposition of every instrument kind, with tricky label values, without lint findings', () => {
    const registry = createMetricsRegistry({ defaultLabels: { service: 'api' } });
    const requests = registry.counter('http.server.requests', {
      description: 'HTTP requests.\nSecond line with a \\ backslash.',
      labelNames: ['route', 'status'],
    });
    requests.add(3, { route: '/a', status: '200' });
    requests.add(1, { route: 'quote " backslash \\ newline \n unicode ✓', status: '500' });
    const duration = registry.histogram('http.server.duration', {
      unit: 's',
      description: 'Latency.',
      labelNames: ['route'],
    });
    for (let i = 0; i < 100; i++) duration.record(i / 37, { route: '/a' });
    registry.gauge('queue.depth', { description: 'Jobs waiting.' }).set(-2.5);
    registry.upDownCounter('memory.used', { unit: 'By', description: 'Heap in use.' }).add(1e12);
    registry.summary('job.duration', { unit: 's', description: 'Job time.' }).record(1.5);
    registry.counter('empty.counter', { description: 'Never incremented.', labelNames: ['x'] });
    const text = formatPrometheus(registry.collect());
    const result = check(text);
    expect(result.output).toBe('');
    expect(result.status).toBe(0);
  });

  it('accepts names and values of micro-sign, prefixed and non-ASCII units without lint findings', () => {
    const registry = createMetricsRegistry();
    const units = ['µs', 'μs', 'us', 'ms', 'ns', 'min', 'h', 'KiBy', 'MBy', 'bit', 'By/min', '°C', 'Ω', '€', '件/s'];
    for (const [index, unit] of units.entries()) {
      registry.histogram(`latency${index}`, { unit, description: `Unit ${unit}.`, buckets: [1, 10] }).record(5);
      registry.gauge(`level${index}`, { unit, description: `Unit ${unit}.` }).set(3);
      registry.counter(`work${index}`, { unit, description: `Unit ${unit}.` }).add(2);
    }
    const result = check(formatPrometheus(registry.collect())); // promtool 2.x lints the Prometheus text format
    expect(result.output).toBe('');
    expect(result.status).toBe(0);
  });

  it('accepts the auto-instrumented GenAI metrics', async () => {
    const plugin = createMetricsPlugin();
    const runtime = await createRuntime({ plugins: [plugin] });
    const model = new MockChatModel({ responses: [{ text: 'hi', costUsd: 0.1 }] });
    for await (const _part of runtime.stream({ model, request: { messages: [{ role: 'user', content: 'hi' }] } })) {
      // drain
    }
    await runtime.dispose();
    const text = formatPrometheus(plugin.registry.collect());
    expect(text).toContain('gen_ai_client_operation_time_to_first_chunk_seconds_count');
    const result = check(text);
    expect(result.output).toBe('');
    expect(result.status).toBe(0);
  });

  it('is a live check: promtool rejects a corrupted exposition', () => {
    const registry = createMetricsRegistry();
    registry.counter('requests', { labelNames: ['route'] }).add(1, { route: '/a' });
    const broken = formatPrometheus(registry.collect()).replace('route="/a"', 'route="/a');
    const result = check(broken);
    expect(result.status).not.toBe(0);
    expect(result.output).toMatch(/parsing error/);
  });
});
