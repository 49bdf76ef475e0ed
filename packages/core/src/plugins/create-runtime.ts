import { context, SpanKind, trace } from '@opentelemetry/api';
import type { Meter } from '../contracts/meter.js';
import { AgenticGenError } from '../errors/agenticgen-error.js';
import { createEventBus } from '../events/event-bus.js';
import type { RuntimeEvents } from '../events/runtime-events.js';
import { compileSchema, formatIssues, type ValidationIssue } from '../schema/validator.js';
import { noopMeter } from '../telemetry/noop-meter.js';
import { definedAttributes, getTracer, markSpanFailed } from '../telemetry/with-span.js';
import { ToolRegistry } from '../tools/tool-registry.js';
import { type AnyPlugin, definePlugin, type PluginContribution } from './define-plugin.js';
import { PluginHookRunner } from './hook-runner.js';
import { NamedRegistry } from './named-registry.js';
import { orderPlugins } from './plugin-order.js';
import type { AgentFactory, Runtime, RuntimePluginInfo } from './runtime.js';
import { generateThroughRuntime, streamThroughRuntime } from './runtime-model-call.js';
import { callToolThroughRuntime } from './runtime-tool-call.js';

export interface CreateRuntimeOptions {
  /** The plugins, in any order: `dependsOn` decides, and independent plugins keep their list order. */
  plugins?: readonly AnyPlugin[];
  /** Config per plugin name, validated against each plugin's `config` schema (defaults applied). */
  config?: Readonly<Record<string, unknown>>;
  /** Meter handed to plugins (default `noopMeter`). */
  meter?: Meter;
}

/** Issue of a plugin config, naming the plugin. */
export interface PluginConfigIssue extends ValidationIssue {
  /** The plugin whose config is wrong. */
  plugin: string;
}

let runtimeCounter = 0;

/**
 * Builds a runtime: validates every plugin's config, orders plugins by `dependsOn`, runs each `setup` in that
 * order and registers what it contributes. If a setup fails, the plugins already set up are disposed (in
 * reverse order) and the promise rejects with `plugin-setup-failed` naming the plugin. Nothing is global: two
 * runtimes share no registries, hooks or events.
 */
export async function createRuntime(options: CreateRuntimeOptions = {}): Promise<Runtime> {
  const started = performance.now();
  const plugins = (options.plugins ?? []).map((plugin) => definePlugin(plugin));
  const seen = new Set<string>();
  for (const plugin of plugins) {
    if (seen.has(plugin.name)) {
      throw new AgenticGenError(
        'already-exists',
        `[runtime] plugin "${plugin.name}" is listed twice; pass each plugin once`,
        { data: { plugin: plugin.name } },
      );
    }
    seen.add(plugin.name);
  }
  const ordered = orderPlugins(plugins);
  const configs = validateConfigs(ordered, options.config ?? {});

  const events = createEventBus<RuntimeEvents>();
  const controller = new AbortController();
  let disposing: Promise<void> | undefined;
  const assertAlive = () => {
    if (disposing !== undefined) {
      throw new AgenticGenError(
        'disposed',
        '[runtime] the runtime was disposed; create a new one with createRuntime()',
      );
    }
  };
  const hooks = new PluginHookRunner(events, assertAlive);
  const disposers: Array<{ plugin: string; run: () => void | Promise<void> }> = [];
  const setUp: RuntimePluginInfo[] = [];
  const id = `runtime-${++runtimeCounter}`;

  const dispose = (): Promise<void> => {
    disposing ??= (async () => {
      controller.abort(new AgenticGenError('disposed', `[runtime] ${id} is being disposed`));
      const failures: Array<{ plugin: string; error: AgenticGenError }> = [];
      for (const disposer of disposers.reverse()) {
        try {
          await disposer.run();
        } catch (thrown) {
          const error = new AgenticGenError(
            'hook-failed',
            `[runtime] dispose of plugin "${disposer.plugin}" failed: ${thrown instanceof Error ? thrown.message : String(thrown)}`,
            { cause: thrown, data: { plugin: disposer.plugin, hook: 'dispose' } },
          );
          failures.push({ plugin: disposer.plugin, error });
          events.emit('plugin-error', { plugin: disposer.plugin, hook: 'dispose', error, guard: false });
        }
      }
      events.emit('runtime-dispose', {
        plugins: setUp.map((plugin) => plugin.name).reverse(),
        failures: failures.length,
      });
      if (failures.length > 0) {
        throw new AgenticGenError(
          'dispose-failed',
          `[runtime] ${failures.length} disposer(s) failed (every other one ran): ${failures.map((failure) => failure.error.message).join('; ')}`,
          { cause: failures[0]?.error, data: { plugins: failures.map((failure) => failure.plugin) } },
        );
      }
    })();
    return disposing;
  };

  const runtime: Runtime = {
    id,
    plugins: setUp,
    events,
    hooks,
    tools: new ToolRegistry(),
    models: new NamedRegistry('model'),
    embedders: new NamedRegistry('embedder'),
    agents: new NamedRegistry<AgentFactory>('agent'),
    providers: {
      cache: new NamedRegistry('cache store'),
      vector: new NamedRegistry('vector store'),
      sandbox: new NamedRegistry('code sandbox'),
    },
    meter: options.meter ?? noopMeter,
    signal: controller.signal,
    get disposed() {
      return disposing !== undefined;
    },
    callTool: async (call) => {
      assertAlive();
      return callToolThroughRuntime(runtime, call);
    },
    generate: async (call) => {
      assertAlive();
      return generateThroughRuntime(runtime, call);
    },
    stream: async function* (call) {
      assertAlive();
      yield* streamThroughRuntime(runtime, call);
    },
    dispose,
    [Symbol.asyncDispose]: dispose,
  };

  const tracer = getTracer();
  const rootSpan = tracer.startSpan('setup_runtime', {
    kind: SpanKind.INTERNAL,
    attributes: { 'agenticgen.runtime.id': id, 'agenticgen.plugin.count': ordered.length },
  });
  // Setup spans parent to whatever span is active where createRuntime was called.
  const rootContext = trace.setSpan(context.active(), rootSpan);
  for (const plugin of ordered) {
    const pluginStarted = performance.now();
    const span = tracer.startSpan(
      `setup_plugin ${plugin.name}`,
      {
        kind: SpanKind.INTERNAL,
        attributes: definedAttributes({
          'agenticgen.plugin.name': plugin.name,
          'agenticgen.plugin.version': plugin.version,
        }),
      },
      rootContext,
    );
    const own: Array<() => void | Promise<void>> = [];
    try {
      const contribution = await plugin.setup({
        name: plugin.name,
        config: configs.get(plugin.name),
        runtime,
        events,
        meter: runtime.meter,
        signal: controller.signal,
        onDispose(disposer) {
          if (typeof disposer !== 'function') {
            throw new AgenticGenError(
              'invalid-argument',
              `[runtime] plugin "${plugin.name}" passed a non-function to onDispose`,
            );
          }
          own.push(disposer);
        },
      });
      // Disposers are recorded before registering, so a half-registered plugin is still cleaned up.
      if (contribution?.dispose !== undefined) disposers.push({ plugin: plugin.name, run: contribution.dispose });
      // Pushed in registration order: disposal walks the whole list backwards, so the last one runs first.
      for (const disposer of own) disposers.push({ plugin: plugin.name, run: disposer });
      own.length = 0;
      if (contribution !== undefined && contribution !== null) register(runtime, hooks, plugin.name, contribution);
      setUp.push({ name: plugin.name, version: plugin.version, config: configs.get(plugin.name) });
      span.end();
      events.emit('plugin-setup', {
        plugin: plugin.name,
        version: plugin.version,
        durationMs: performance.now() - pluginStarted,
      });
    } catch (thrown) {
      // Pushed in registration order: disposal walks the whole list backwards, so the last one runs first.
      for (const disposer of own) disposers.push({ plugin: plugin.name, run: disposer });
      const error = new AgenticGenError(
        'plugin-setup-failed',
        `[runtime] plugin "${plugin.name}" failed to set up: ${thrown instanceof Error ? thrown.message : String(thrown)}`,
        { cause: thrown, data: { plugin: plugin.name } },
      );
      markSpanFailed(span, error);
      span.end();
      markSpanFailed(rootSpan, error);
      rootSpan.end();
      // Release what the earlier plugins acquired; their failures are reported as events, the setup error wins.
      await dispose().catch(() => undefined);
      throw error;
    }
  }
  rootSpan.end();
  events.emit('runtime-ready', {
    plugins: setUp.map((plugin) => plugin.name),
    durationMs: performance.now() - started,
  });
  return runtime;
}

function validateConfigs(
  plugins: readonly AnyPlugin[],
  config: Readonly<Record<string, unknown>>,
): Map<string, unknown> {
  if (config === null || typeof config !== 'object' || Array.isArray(config)) {
    throw new AgenticGenError('invalid-config', '[runtime] config must be an object keyed by plugin name');
  }
  const names = new Set(plugins.map((plugin) => plugin.name));
  const unknown = Object.keys(config).filter((key) => !names.has(key));
  if (unknown.length > 0) {
    throw new AgenticGenError(
      'invalid-config',
      `[runtime] config has ${unknown.map((key) => `"${key}"`).join(', ')} but no plugin of that name; plugins: ${[...names].join(', ') || '(none)'}`,
      { data: { unknown } },
    );
  }
  const values = new Map<string, unknown>();
  const issues: PluginConfigIssue[] = [];
  for (const plugin of plugins) {
    const given = config[plugin.name];
    if (plugin.config === undefined) {
      values.set(plugin.name, given);
      continue;
    }
    // A missing section is validated as `{}`, so a schema with defaults for every field needs no config.
    const result = compileSchema(plugin.config).validate(given ?? {});
    if (result.ok) values.set(plugin.name, result.value);
    else issues.push(...result.issues.map((issue) => ({ plugin: plugin.name, ...issue })));
  }
  if (issues.length > 0) {
    const text = issues.map((issue) => `plugin "${issue.plugin}" ${formatIssues([issue])}`).join('; ');
    throw new AgenticGenError(
      'invalid-config',
      `[runtime] invalid plugin config: ${text}; fix createRuntime({ config })`,
      {
        data: { plugin: issues[0]?.plugin, issues },
      },
    );
  }
  return values;
}

function register(runtime: Runtime, hooks: PluginHookRunner, plugin: string, contribution: PluginContribution): void {
  for (const tool of contribution.tools ?? []) {
    if (runtime.tools.has(tool.name)) {
      throw new AgenticGenError(
        'already-exists',
        `[runtime] plugin "${plugin}" registers tool "${tool.name}", which is already registered`,
        {
          data: { plugin, tool: tool.name },
        },
      );
    }
    runtime.tools.register(tool);
  }
  const named = <T>(registry: NamedRegistry<T>, entries: Readonly<Record<string, T>> | undefined) => {
    for (const [name, value] of Object.entries(entries ?? {})) registry.register(name, value, `plugin "${plugin}"`);
  };
  named(runtime.models, contribution.models);
  named(runtime.embedders, contribution.embedders);
  named(runtime.agents, contribution.agents);
  named(runtime.providers.cache, contribution.providers?.cache);
  named(runtime.providers.vector, contribution.providers?.vector);
  named(runtime.providers.sandbox, contribution.providers?.sandbox);
  if (contribution.hooks !== undefined) hooks.add(plugin, contribution.hooks);
}
