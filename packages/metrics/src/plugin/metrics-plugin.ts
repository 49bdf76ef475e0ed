import { definePlugin, type Plugin, type Scheduler } from '@agenticgen/core';
import { createMetricsRegistry, type MetricsRegistry } from '../registry/registry.js';

/** Bucket bounds the OpenTelemetry GenAI conventions advise for durations, in seconds. */
export const genAiDurationBuckets: readonly number[] = Object.freeze([
  0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92,
]);
/** Bucket bounds the OpenTelemetry GenAI conventions advise for token counts. */
export const genAiTokenBuckets: readonly number[] = Object.freeze([
  1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864,
]);

/**
 * Anything that emits cache events like `@agenticgen/cache`'s tiered cache (`cache.on('cache-hit', …)`),
 * typed structurally so this package does not depend on the cache package.
 */
export interface CacheEventSource {
  on(event: 'cache-hit', listener: (event: { tier: string; stale: boolean }) => void): () => void;
  on(event: 'cache-miss', listener: (event: { key: string }) => void): () => void;
}

/** The part of core's `Scheduler` the plugin reads. */
export type SchedulerSource = Pick<Scheduler, 'events' | 'stats'>;

export interface MetricsPluginOptions {
  /** Where the metrics go. Default: a new registry, available as `plugin.registry`. */
  registry?: MetricsRegistry;
  /** Caches to count hits and misses of, by name (the `cache.name` label). */
  caches?: Readonly<Record<string, CacheEventSource>>;
  /** Schedulers to report queue depth, running tasks and outcomes of, by name (the `scheduler.name` label). */
  schedulers?: Readonly<Record<string, SchedulerSource>>;
}

/** The plugin, with the registry it records into. */
export type MetricsPlugin = Plugin<undefined> & { readonly registry: MetricsRegistry };

const seconds = (milliseconds: number) => milliseconds / 1000;

/**
 * A core plugin that turns runtime events into metrics named per the OpenTelemetry GenAI semantic conventions
 * (`gen_ai.client.operation.duration`, `gen_ai.client.token.usage`, `gen_ai.client.operation.time_to_first_chunk`,
 * `gen_ai.execute_tool.duration`, `gen_ai.invoke_agent.duration`) plus AgenticGen metrics for cost, errors by
 * code, in-flight calls, cache hits and misses and scheduler queues. The full list is in docs/metrics.md.
 */
export function createMetricsPlugin(options: MetricsPluginOptions = {}): MetricsPlugin {
  const registry = options.registry ?? createMetricsRegistry();
  const definition = {
    name: 'metrics',
    version: '0.1.0',
    registry,
    setup(context: Parameters<Plugin<undefined>['setup']>[0]) {
      const unsubscribe: (() => void)[] = [];
      const modelLabels = ['gen_ai.operation.name', 'gen_ai.provider.name', 'gen_ai.request.model'] as const;
      const duration = registry.histogram('gen_ai.client.operation.duration', {
        unit: 's',
        description: 'GenAI operation duration.',
        labelNames: [...modelLabels, 'gen_ai.response.model', 'error.type'],
        buckets: genAiDurationBuckets,
      });
      const tokens = registry.histogram('gen_ai.client.token.usage', {
        unit: '{token}',
        description: 'Number of input and output tokens used.',
        labelNames: [...modelLabels, 'gen_ai.token.type'],
        buckets: genAiTokenBuckets,
      });
      const firstChunk = registry.histogram('gen_ai.client.operation.time_to_first_chunk', {
        unit: 's',
        description: 'Time to receive the first chunk of a streaming response.',
        labelNames: modelLabels,
        buckets: genAiDurationBuckets,
      });
      const cost = registry.counter('agenticgen.model.cost_usd', {
        description: 'Cost of model calls in US dollars, where prices are known.',
        labelNames: ['gen_ai.provider.name', 'gen_ai.request.model'],
      });
      const errors = registry.counter('agenticgen.model.errors', {
        description: 'Failed or aborted model calls, by error code.',
        labelNames: ['gen_ai.provider.name', 'gen_ai.request.model', 'error.type'],
      });
      const active = registry.upDownCounter('agenticgen.model.calls.active', {
        description: 'Model calls in flight.',
        labelNames: ['gen_ai.provider.name'],
      });
      const toolDuration = registry.histogram('gen_ai.execute_tool.duration', {
        unit: 's',
        description: 'Tool execution duration.',
        labelNames: ['gen_ai.tool.name', 'error.type'],
        buckets: genAiDurationBuckets,
      });
      const agentDuration = registry.histogram('gen_ai.invoke_agent.duration', {
        unit: 's',
        description: 'Agent run duration.',
        labelNames: ['gen_ai.agent.name', 'error.type'],
        buckets: genAiDurationBuckets,
      });

      // A call that fell back finishes under the model that answered; the in-flight count goes back down under
      // the provider it went up for.
      const activeProviders = new Map<string, string>();
      unsubscribe.push(
        context.events.on('model-call-start', (event) => {
          activeProviders.set(event.callId, event.provider);
          active.add(1, { 'gen_ai.provider.name': event.provider });
        }),
        context.events.on('model-call-finish', (event) => {
          const base = {
            'gen_ai.operation.name': 'chat',
            'gen_ai.provider.name': event.provider,
            'gen_ai.request.model': event.modelId,
          };
          active.add(-1, { 'gen_ai.provider.name': activeProviders.get(event.callId) ?? event.provider });
          activeProviders.delete(event.callId);
          const errorType = event.status === 'success' ? '' : (event.errorCode ?? event.status);
          duration.record(seconds(event.durationMs), {
            ...base,
            'gen_ai.response.model': event.responseModelId ?? '',
            'error.type': errorType,
          });
          if (event.usage !== undefined) {
            tokens.record(event.usage.inputTokens, { ...base, 'gen_ai.token.type': 'input' });
            tokens.record(event.usage.outputTokens, { ...base, 'gen_ai.token.type': 'output' });
          }
          if (event.streaming && event.timeToFirstTokenMs !== undefined) {
            firstChunk.record(seconds(event.timeToFirstTokenMs), base);
          }
          if (event.costUsd !== undefined && event.costUsd > 0) {
            cost.add(event.costUsd, { 'gen_ai.provider.name': event.provider, 'gen_ai.request.model': event.modelId });
          }
          if (errorType !== '') {
            errors.add(1, {
              'gen_ai.provider.name': event.provider,
              'gen_ai.request.model': event.modelId,
              'error.type': errorType,
            });
          }
        }),
        context.events.on('tool-call-finish', (event) => {
          const errorType = event.status === 'success' ? '' : (event.errorCode ?? event.status);
          toolDuration.record(seconds(event.durationMs), {
            'gen_ai.tool.name': event.toolName,
            'error.type': errorType,
          });
        }),
        context.events.on('run-finish', (event) => {
          const errorType = event.status === 'success' ? '' : (event.errorCode ?? event.status);
          agentDuration.record(seconds(event.durationMs), {
            'gen_ai.agent.name': event.agentName ?? '',
            'error.type': errorType,
          });
        }),
      );
      for (const [name, cache] of Object.entries(options.caches ?? {}))
        unsubscribe.push(...observeCache(registry, name, cache));
      for (const [name, scheduler] of Object.entries(options.schedulers ?? {})) {
        unsubscribe.push(...observeScheduler(registry, name, scheduler));
      }
      return {
        dispose() {
          for (const off of unsubscribe.splice(0)) off();
        },
      };
    },
  };
  return definePlugin(definition) as MetricsPlugin;
}

function observeCache(registry: MetricsRegistry, name: string, cache: CacheEventSource): (() => void)[] {
  const requests = registry.counter('agenticgen.cache.requests', {
    description: 'Cache reads by result (hit or miss) and tier.',
    labelNames: ['cache.name', 'cache.result', 'cache.tier'],
  });
  const misses = requests.bind({ 'cache.name': name, 'cache.result': 'miss' });
  return [
    cache.on('cache-hit', (event) =>
      requests.add(1, {
        'cache.name': name,
        'cache.result': event.stale ? 'stale-hit' : 'hit',
        'cache.tier': event.tier,
      }),
    ),
    cache.on('cache-miss', () => misses.add(1)),
  ];
}

function observeScheduler(registry: MetricsRegistry, name: string, scheduler: SchedulerSource): (() => void)[] {
  const depth = registry.gauge('agenticgen.scheduler.queue.depth', {
    description: 'Tasks waiting in the scheduler queue.',
    labelNames: ['scheduler.name'],
  });
  const running = registry.gauge('agenticgen.scheduler.tasks.running', {
    description: 'Tasks running.',
    labelNames: ['scheduler.name'],
  });
  const outcomes = registry.counter('agenticgen.scheduler.tasks', {
    description: 'Finished task attempts by status (completed, failed, cancelled, retried) and error code.',
    labelNames: ['scheduler.name', 'status', 'error.type'],
  });
  const taskDuration = registry.histogram('agenticgen.scheduler.task.duration', {
    unit: 's',
    description: 'Duration of completed tasks.',
    labelNames: ['scheduler.name'],
    buckets: genAiDurationBuckets,
  });
  const labels = { 'scheduler.name': name };
  const depthHandle = depth.bind(labels);
  const runningHandle = running.bind(labels);
  const duration = taskDuration.bind(labels);
  const read = () => {
    const stats = scheduler.stats;
    depthHandle.set(stats.queued);
    runningHandle.set(stats.running);
  };
  return [
    // Queue depth is read when metrics are collected, so it is exact at scrape time without per-task work.
    registry.addCollectCallback(read),
    scheduler.events.on('task-complete', (event) => {
      outcomes.add(1, { ...labels, status: 'completed' });
      duration.record(seconds(event.durationMs));
    }),
    scheduler.events.on('task-fail', (event) =>
      outcomes.add(1, { ...labels, status: 'failed', 'error.type': event.errorCode }),
    ),
    scheduler.events.on('task-retry', (event) =>
      outcomes.add(1, { ...labels, status: 'retried', 'error.type': event.errorCode }),
    ),
    scheduler.events.on('task-cancel', () => outcomes.add(1, { ...labels, status: 'cancelled' })),
  ];
}
