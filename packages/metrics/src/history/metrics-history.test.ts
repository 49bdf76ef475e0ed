import { describe, expect, it, vi } from 'vitest';
import { createMetricsHistory, createMetricsRegistry } from '../index.js';
import { RingBuffer } from './ring-buffer.js';

describe('RingBuffer', () => {
  it('keeps the most recent points up to its capacity, oldest first', () => {
    const ring = new RingBuffer(3, 2);
    for (let i = 1; i <= 5; i++) ring.push(i * 1000, [i, i * 10]);
    expect(ring.length).toBe(3);
    expect(ring.toArray()).toEqual([
      { timestamp: 3000, values: [3, 30] },
      { timestamp: 4000, values: [4, 40] },
      { timestamp: 5000, values: [5, 50] },
    ]);
    expect(ring.toArray(4500)).toEqual([{ timestamp: 5000, values: [5, 50] }]);
    expect(ring.byteLength).toBe(3 * 8 + 3 * 2 * 8);
  });

  it('rejects a zero capacity', () => {
    expect(() => new RingBuffer(0, 1)).toThrow(/capacity/);
  });
});

describe('createMetricsHistory', () => {
  function setup() {
    let now = 1_000_000;
    const registry = createMetricsRegistry();
    const history = createMetricsHistory(registry, { windows: [1000, 10_000], capacity: 5, now: () => now });
    return { registry, history, advance: (ms: number) => (now += ms) };
  }

  it('computes counter increases and rates per window', () => {
    const { registry, history, advance } = setup();
    const calls = registry.counter('calls', { labelNames: ['tool'] });
    history.tick();
    for (let second = 1; second <= 12; second++) {
      calls.add(second, { tool: 'search' });
      advance(1000);
      history.tick();
    }
    const [oneSecond] = history.query('calls', { window: 1000 });
    // Capacity 5: the last five seconds (8..12 calls added in each).
    expect(oneSecond?.points.map((p) => [p.delta, p.rate])).toEqual([
      [8, 8],
      [9, 9],
      [10, 10],
      [11, 11],
      [12, 12],
    ]);
    expect(oneSecond?.points.at(-1)?.value).toBe(78);
    const [tenSeconds] = history.query('calls', { window: 10_000 });
    expect(tenSeconds?.points).toHaveLength(1);
    // First series point: the series appeared after the baseline, so the increase counts from 0.
    expect(tenSeconds?.points[0]?.delta).toBe(55);
    expect(tenSeconds?.points[0]?.rate).toBe(5.5);
  });

  it('computes per-window percentiles of histograms from the sketch difference', () => {
    const { registry, history, advance } = setup();
    const latency = registry.histogram('latency', { unit: 's' }).bind();
    for (let i = 0; i < 1000; i++) latency.record(0.01);
    history.tick();
    for (let i = 1; i <= 100; i++) latency.record(i / 10);
    advance(1000);
    history.tick();
    const point = history.query('latency', { window: 1000 })[0]!.points[0]!;
    expect(point.value).toBe(100);
    expect(point.rate).toBe(100);
    expect(point.mean).toBeCloseTo(5.05, 10);
    // Only this window's observations count: the 1000 old 0.01 s values are gone.
    expect(Math.abs(point.quantiles!['0.5']! - 5) / 5).toBeLessThan(0.03);
    expect(Math.abs(point.quantiles!['0.99']! - 9.9) / 9.9).toBeLessThan(0.02);
  });

  it('records gauges as values, filters by labels and refuses unknown windows', () => {
    const { registry, history, advance } = setup();
    const depth = registry.gauge('depth', { labelNames: ['queue'] });
    depth.set(3, { queue: 'a' });
    depth.set(8, { queue: 'b' });
    history.tick();
    advance(1000);
    depth.set(4, { queue: 'a' });
    history.tick();
    const series = history.query('depth', { window: 1000, labels: { queue: 'a' } });
    expect(series.map((s) => s.points.map((p) => p.value))).toEqual([[4]]);
    expect(() => history.query('depth', { window: 5000 })).toThrow(/configured windows are \[1000, 10000\]/);
  });

  it('ticks on a timer that does not keep the process alive', async () => {
    vi.useFakeTimers(); // before creating the history: it keeps the clock it is given
    const registry = createMetricsRegistry();
    const history = createMetricsHistory(registry, { windows: [20] });
    registry.counter('c').add(1);
    history.start();
    vi.advanceTimersByTime(120);
    history.stop();
    vi.useRealTimers();
    expect(history.query('c', { window: 20 })[0]!.points.length).toBeGreaterThan(1);
  });
});
