import type { Static, TSchema } from '@sinclair/typebox';
import type { CacheStore } from '../contracts/cache-store.js';
import type { ChatModel } from '../contracts/chat-model.js';
import type { CodeSandbox } from '../contracts/code-sandbox.js';
import type { Embedder } from '../contracts/embedder.js';
import type { Meter } from '../contracts/meter.js';
import type { VectorStore } from '../contracts/vector-store.js';
import { AgenticGenError } from '../errors/agenticgen-error.js';
import type { RuntimeEventBus } from '../events/runtime-events.js';
import type { AnyTool } from '../tools/define-tool.js';
import type { PluginHooks } from './hooks.js';
import type { AgentFactory, Runtime } from './runtime.js';

/** What a plugin's `setup` returns: everything it adds to the runtime. All fields optional. */
export interface PluginContribution {
  /** Tools, registered by name in `runtime.tools`. */
  tools?: readonly AnyTool[];
  /** Chat models by name (`runtime.models`). */
  models?: Readonly<Record<string, ChatModel>>;
  /** Embedders / embedding models by name (`runtime.embedders`). */
  embedders?: Readonly<Record<string, Embedder>>;
  /** Agent factories by name (`runtime.agents`). */
  agents?: Readonly<Record<string, AgentFactory>>;
  /** Providers by name (`runtime.providers.cache`, `.vector`, `.sandbox`). */
  providers?: {
    cache?: Readonly<Record<string, CacheStore>>;
    vector?: Readonly<Record<string, VectorStore>>;
    sandbox?: Readonly<Record<string, CodeSandbox>>;
  };
  /** Lifecycle hooks. */
  hooks?: PluginHooks;
  /** Releases what `setup` acquired; runs in reverse setup order on `runtime.dispose()`. */
  dispose?: () => void | Promise<void>;
}

/** What `setup` receives. */
export interface PluginContext<C> {
  /** The plugin's name. */
  readonly name: string;
  /** The plugin's validated config, defaults applied (without a schema: as given, possibly undefined). */
  readonly config: C;
  /**
   * The runtime being built: the contributions of the plugins set up before this one (its dependencies
   * among them) are already registered.
   */
  readonly runtime: Runtime;
  /** The runtime's event bus. */
  readonly events: RuntimeEventBus;
  /** The runtime's meter (the no-op meter unless the app passed one). */
  readonly meter: Meter;
  /** Aborted when the runtime is disposed. */
  readonly signal: AbortSignal;
  /** Registers a disposer, run (last registered first) before the contribution's `dispose`. */
  onDispose(disposer: () => void | Promise<void>): void;
}

/** A plugin as its author writes it. */
export interface PluginDefinition<S extends TSchema | undefined = undefined> {
  /** Unique name, kebab-case (`metrics`, `redis-cache`). */
  name: string;
  /** The plugin's version (semver). */
  version: string;
  /** TypeBox schema of the plugin's config; `createRuntime` validates `config[name]` against it. */
  config?: S;
  /** Names of plugins that must be set up first. */
  dependsOn?: readonly string[];
  /** Builds the plugin's contribution. May be async. */
  setup(
    context: PluginContext<S extends TSchema ? Static<S> : unknown>,
  ): PluginContribution | undefined | Promise<PluginContribution | undefined>;
}

/** A defined plugin (validated definition). */
export interface Plugin<S extends TSchema | undefined = TSchema | undefined> extends PluginDefinition<S> {
  /** Frozen list of dependencies (empty when none). */
  readonly dependsOn: readonly string[];
}

// biome-ignore lint/suspicious/noExplicitAny: a plugin list mixes plugins with different config types.
export type AnyPlugin = Plugin<any>;

const pluginNamePattern = /^[a-z0-9][a-z0-9-]*(?:\/[a-z0-9][a-z0-9-]*)?$/;
const versionPattern = /^\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.-]+)?$/;

/** Validates a plugin definition and returns it typed. Mistakes are `invalid-argument` errors naming the plugin. */
export function definePlugin<S extends TSchema | undefined = undefined>(definition: PluginDefinition<S>): Plugin<S> {
  const name = definition?.name;
  if (typeof name !== 'string' || !pluginNamePattern.test(name)) {
    throw new AgenticGenError(
      'invalid-argument',
      `[plugins] invalid plugin name ${JSON.stringify(name)}: use lower-case kebab-case, e.g. "redis-cache" (an "@scope/name" without @ is allowed)`,
    );
  }
  if (typeof definition.version !== 'string' || !versionPattern.test(definition.version)) {
    throw new AgenticGenError(
      'invalid-argument',
      `[plugins] plugin "${name}" has version ${JSON.stringify(definition.version)}; use semver such as "1.0.0"`,
    );
  }
  if (typeof definition.setup !== 'function') {
    throw new AgenticGenError('invalid-argument', `[plugins] plugin "${name}" needs a setup(context) function`);
  }
  const dependsOn = definition.dependsOn ?? [];
  if (!Array.isArray(dependsOn) || dependsOn.some((dependency) => typeof dependency !== 'string')) {
    throw new AgenticGenError(
      'invalid-argument',
      `[plugins] plugin "${name}" dependsOn must be a list of plugin names`,
    );
  }
  if (dependsOn.includes(name)) {
    throw new AgenticGenError(
      'dependency-cycle',
      `[plugins] plugin "${name}" depends on itself; remove it from dependsOn`,
      {
        data: { cycle: [name, name] },
      },
    );
  }
  return Object.freeze({ ...definition, dependsOn: Object.freeze([...new Set(dependsOn)]) });
}
