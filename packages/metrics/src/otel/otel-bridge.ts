import type { AsyncResource } from '@agenticgen/core';
import {
  type MeterProvider,
  metrics,
  type Observable,
  type ObservableResult,
  type Histogram as OtelHistogram,
} from '@opentelemetry/api';
import type { AnyInstrument, MetricsRegistry } from '../registry/registry.js';

export interface OpenTelemetryBridgeOptions {
  /** The provider to report through. Default: the one registered globally with `@opentelemetry/api`. */
  meterProvider?: MeterProvider;
  /** Instrumentation scope name. Default `@agenticgen/metrics`. */
  meterName?: string;
  /** Instrumentation scope version. */
  meterVersion?: string;
}

export interface OpenTelemetryBridge extends AsyncResource {
  /**
   * Stops reporting: removes callbacks and stops forwarding observations. Takes effect at once (the promise is
   * for `await using` and callers that await every resource); idempotent.
   */
  dispose(): Promise<void>;
}

/**
 * Reports a registry's instruments through an OpenTelemetry `MeterProvider`. Counters, up-down counters and
 * gauges become observable instruments read at collection time, so their record path stays untouched;
 * histograms forward each observation to an OTel histogram with the same explicit buckets. Instruments created
 * after the bridge are bridged too. Summaries have no OpenTelemetry equivalent and are not reported, and
 * snapshots attached from workers stay out (OpenTelemetry SDKs aggregate per process).
 */
export function bridgeToOpenTelemetry(
  registry: MetricsRegistry,
  options: OpenTelemetryBridgeOptions = {},
): OpenTelemetryBridge {
  const provider = options.meterProvider ?? metrics.getMeterProvider();
  const meter = provider.getMeter(options.meterName ?? '@agenticgen/metrics', options.meterVersion);
  const cleanups: (() => void)[] = [];

  function bridge(instrument: AnyInstrument): void {
    const metricOptions = { description: instrument.description, unit: instrument.unit };
    if (instrument.kind === 'histogram') {
      const histogram: OtelHistogram = meter.createHistogram(instrument.name, {
        ...metricOptions,
        advice: { explicitBucketBoundaries: Array.from(instrument.bounds) },
      });
      instrument.forward = (value, labels) => histogram.record(value, labels);
      cleanups.push(() => {
        instrument.forward = undefined;
      });
      return;
    }
    if (instrument.kind === 'summary') return;
    let observable: Observable;
    if (instrument.kind === 'counter') observable = meter.createObservableCounter(instrument.name, metricOptions);
    else if (instrument.kind === 'up-down-counter') {
      observable = meter.createObservableUpDownCounter(instrument.name, metricOptions);
    } else observable = meter.createObservableGauge(instrument.name, metricOptions);
    const callback = (result: ObservableResult) => {
      for (const series of instrument.allSeries()) result.observe(series.value, series.labels);
    };
    observable.addCallback(callback);
    cleanups.push(() => observable.removeCallback(callback));
  }

  for (const instrument of registry.instruments()) bridge(instrument);
  cleanups.push(registry.on('instrument-create', bridge));
  const dispose = async () => {
    for (const cleanup of cleanups.splice(0)) cleanup();
  };
  return { dispose, [Symbol.asyncDispose]: dispose };
}
