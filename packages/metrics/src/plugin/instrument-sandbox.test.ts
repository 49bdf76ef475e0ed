import { AgenticGenError } from '@agenticgen/core';
import { createArithmeticSandbox } from '@agenticgen/core/testing';
import { describe, expect, it } from 'vitest';
import {
  createMetricsRegistry,
  type HistogramSeriesSnapshot,
  instrumentCodeSandbox,
  type ScalarSeriesSnapshot,
} from '../index.js';

describe('instrumentCodeSandbox', () => {
  it('measures runs by outcome and counts open sessions, passing results through unchanged', async () => {
    const registry = createMetricsRegistry();
    const sandbox = instrumentCodeSandbox(
      createArithmeticSandbox({
        durationMs: 2,
        failRun: (code) => (code === 'hang' ? new AgenticGenError('timeout', '[sandbox] run timed out') : undefined),
      }).sandbox,
      registry,
      'python',
    );
    const one = await sandbox.createSession();
    const two = await sandbox.createSession();
    expect((await one.run('1+2')).result?.repr).toBe('3');
    expect((await one.run('1 // 0')).error?.type).toBe('ZeroDivisionError');
    await expect(two.run('hang')).rejects.toSatisfy((e) => AgenticGenError.hasCode(e, 'timeout'));
    await two.dispose();
    await two.dispose();
    const snapshot = registry.collect();
    const runs = snapshot.families.find((f) => f.name === 'agenticgen.sandbox.run.duration')!
      .series as HistogramSeriesSnapshot[];
    const byOutcome = Object.fromEntries(
      runs.map((s) => [`${s.labels.status}:${s.labels['error.type'] ?? ''}`, s.count]),
    );
    expect(byOutcome).toEqual({ 'ok:': 1, 'error:ZeroDivisionError': 1, 'error:timeout': 1 });
    expect(runs.find((s) => s.labels.status === 'ok')?.sum).toBe(0.002);
    const sessions = snapshot.families.find((f) => f.name === 'agenticgen.sandbox.sessions.active')!;
    expect((sessions.series[0] as ScalarSeriesSnapshot).value).toBe(1);
    expect(one.id).toBe('arithmetic-1');
  });
});
