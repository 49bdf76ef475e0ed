import { describe, expect, it } from 'vitest';
import { createMetricsRegistry, formatOpenMetrics, formatPrometheus, prometheusName } from '../index.js';

const nameOf = (unit: string, kind: 'gauge' | 'histogram' | 'counter' = 'gauge') =>
  prometheusName({ name: 'x', kind, unit });

describe('units in exported names', () => {
  it('reads the micro sign and the Greek mu as the micro prefix, and exports base units', () => {
    expect(nameOf('µs')).toBe('x_seconds'); // U+00B5 MICRO SIGN
    expect(nameOf('μs')).toBe('x_seconds'); // U+03BC GREEK SMALL LETTER MU
    expect(nameOf('us')).toBe('x_seconds');
    expect(nameOf('ms')).toBe('x_seconds');
    expect(nameOf('min')).toBe('x_seconds');
    expect(nameOf('KiBy')).toBe('x_bytes');
    expect(nameOf('µBy/ms')).toBe('x_bytes_per_second');
  });

  it('maps other non-ASCII unit text to ASCII words, never to stray underscores', () => {
    expect(nameOf('°C')).toBe('x_celsius');
    expect(nameOf('Ω')).toBe('x_ohms');
    expect(nameOf('€')).toBe('x_euros');
    expect(nameOf('mètre')).toBe('x_metre');
    expect(nameOf('件/s')).toBe('x_per_second'); // nothing readable is left of the numerator
    expect(nameOf('{请求}')).toBe('x');
    for (const unit of ['µs', '°C', 'Ω', '€', 'mètre', '件/s', 'ü/ä'])
      expect(nameOf(unit)).toMatch(/^[a-z]+(_[a-z]+)*$/);
  });

  it('scales values to the base unit with the name: buckets, sums, quantiles and plain values', () => {
    const registry = createMetricsRegistry();
    const histogram = registry.histogram('rpc.latency', { unit: 'µs', buckets: [500, 2000] });
    histogram.record(1500);
    histogram.record(250);
    registry.gauge('buffer', { unit: 'KiBy' }).set(2);
    registry.summary('job', { unit: 'ms', quantiles: [0.5] }).record(40);
    const text = formatPrometheus(registry.collect());
    expect(text).toContain('rpc_latency_seconds_bucket{le="0.0005"} 1\n');
    expect(text).toContain('rpc_latency_seconds_bucket{le="0.002"} 2\n');
    expect(text).toContain('rpc_latency_seconds_sum 0.00175\n');
    expect(text).toContain('rpc_latency_seconds_count 2\n');
    expect(text).toContain('buffer_bytes 2048\n');
    expect(text).toMatch(/job_seconds\{quantile="0.5"\} 0\.04\d*\n/);
    expect(formatOpenMetrics(registry.collect())).toContain('# UNIT rpc_latency_seconds seconds\n');
  });
});
