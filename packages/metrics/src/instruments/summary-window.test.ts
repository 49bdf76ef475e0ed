import { describe, expect, it } from 'vitest';
import { createMetricsRegistry } from '../registry/registry.js';

describe('summary windows', () => {
  it('answers accurately after a window whose range was too wide for the bins (the ring resets its sketches)', () => {
    let now = 0;
    const registry = createMetricsRegistry({ now: () => now });
    const summary = registry.summary('job', { maxAgeSeconds: 10, ageBuckets: 2 }).bind();
    summary.record(1e-10); // 20 decades in one window: more than the 2,048 bins hold at 1 %
    summary.record(1e10);
    now += 20_000; // both sub-windows rotate out and reset
    for (const value of [1e-9, 2e-9, 3e-9, 4e-9, 5e-9]) summary.record(value);
    for (const [q, exact] of [
      [0, 1e-9],
      [0.25, 2e-9],
      [0.5, 3e-9],
      [0.75, 4e-9],
    ] as const) {
      expect(Math.abs(summary.quantile(q) - exact) / exact, `q=${q}`).toBeLessThanOrEqual(0.01);
    }
  });
});
