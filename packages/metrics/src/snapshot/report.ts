import { metricsError } from '../errors.js';
import type { MetricsRegistry } from '../registry/registry.js';
import type { MetricsSnapshot } from './snapshot.js';

/** True when `value` is a snapshot from `registry.collect()` (a cheap check for message handlers). */
export function isMetricsSnapshot(value: unknown): value is MetricsSnapshot {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { format?: unknown }).format === 'agenticgen-metrics' &&
    Array.isArray((value as { families?: unknown }).families)
  );
}

export interface ReportSnapshotsOptions {
  /** Milliseconds between snapshots. Default 1000. */
  intervalMs?: number;
}

/**
 * Inside a worker: sends `registry.collect()` through `post` (e.g. `parentPort.postMessage` or `self.postMessage`)
 * every `intervalMs`, and once more on `stop({ flush: true })`. The host passes each message to
 * `registry.attachSnapshot(workerId, message)`. The timer does not keep Node alive.
 */
export function reportSnapshots(
  registry: MetricsRegistry,
  post: (snapshot: MetricsSnapshot) => void,
  options: ReportSnapshotsOptions = {},
): { stop(options?: { flush?: boolean }): void; flush(): void } {
  const intervalMs = options.intervalMs ?? 1000;
  if (!(intervalMs > 0)) throw metricsError('invalid-argument', `intervalMs must be > 0, got ${intervalMs}`);
  const flush = () => post(registry.collect());
  const timer = setInterval(flush, intervalMs);
  (timer as { unref?: () => void }).unref?.();
  return {
    flush,
    stop(stopOptions = {}) {
      clearInterval(timer);
      if (stopOptions.flush === true) flush();
    },
  };
}
