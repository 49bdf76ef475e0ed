import { AgenticGenError } from '../errors/agenticgen-error.js';
import { type AgentConfig, type AgentResources, createAgentFromConfig, parseAgentConfig } from './agent-factory.js';
import type { Agent } from './create-agent.js';

/** Builds an agent; registered under a name in an `AgentManager`. */
export type AgentBuilder = (resources: AgentResources) => Agent & { dispose?(): Promise<void> };

/** What `list()` reports about a registered agent. */
export interface RegisteredAgentInfo {
  /** Registered name. */
  name: string;
  /** `config` when registered from JSON, `builder` when from a function. */
  origin: 'config' | 'builder';
  /** Live instances created from it. */
  instances: string[];
}

interface Instance {
  id: string;
  name: string;
  agent: Agent & { dispose?(): Promise<void> };
}

/**
 * Keeps agent definitions (JSON configs or builder functions) and the instances created from them, so a host
 * can declare agents in config files, create them on demand and dispose them (sandbox sessions, …) at shutdown.
 */
export class AgentManager {
  readonly #resources: AgentResources;
  readonly #definitions = new Map<string, { origin: 'config' | 'builder'; build: AgentBuilder }>();
  readonly #instances = new Map<string, Instance>();
  #counter = 0;
  #disposed = false;

  constructor(resources: AgentResources = {}) {
    this.#resources = resources;
  }

  /** Registers a JSON config (validated now, built on `create`) or a named builder. */
  register(definition: AgentConfig | { name: string; build: AgentBuilder }): this {
    this.#assertLive();
    if ('build' in definition && typeof definition.build === 'function') {
      this.#add(definition.name, 'builder', definition.build);
    } else {
      const config = parseAgentConfig(definition);
      this.#add(config.name, 'config', (resources) => createAgentFromConfig(config, resources));
    }
    return this;
  }

  /** Registers many JSON configs (for example the `agents` array of a config file); all or nothing. */
  registerAll(configs: readonly unknown[]): this {
    this.#assertLive();
    const parsed = configs.map((config) => parseAgentConfig(config));
    const names = new Set<string>();
    for (const config of parsed) {
      if (this.#definitions.has(config.name) || names.has(config.name)) {
        throw new AgenticGenError('already-exists', `[agents] an agent named "${config.name}" is already registered`);
      }
      names.add(config.name);
    }
    for (const config of parsed) this.register(config);
    return this;
  }

  /** Whether a definition exists. */
  has(name: string): boolean {
    return this.#definitions.has(name);
  }

  /** Creates an instance of a registered agent. `id` defaults to `<name>-<n>`. */
  create(name: string, options: { id?: string } = {}): Agent {
    this.#assertLive();
    const definition = this.#definitions.get(name);
    if (definition === undefined) {
      throw new AgenticGenError(
        'not-found',
        `[agents] no agent named "${name}" is registered; registered: ${[...this.#definitions.keys()].join(', ') || '(none)'}`,
      );
    }
    const id = options.id ?? `${name}-${++this.#counter}`;
    if (this.#instances.has(id))
      throw new AgenticGenError('already-exists', `[agents] an agent instance "${id}" exists`);
    const agent = definition.build(this.#resources);
    this.#instances.set(id, { id, name, agent });
    return agent;
  }

  /** A live instance by id. */
  get(id: string): Agent | undefined {
    return this.#instances.get(id)?.agent;
  }

  /** Registered agents and their live instances. */
  list(): RegisteredAgentInfo[] {
    return [...this.#definitions].map(([name, definition]) => ({
      name,
      origin: definition.origin,
      instances: [...this.#instances.values()]
        .filter((instance) => instance.name === name)
        .map((instance) => instance.id),
    }));
  }

  /** Removes a definition; its live instances stay until disposed. */
  unregister(name: string): boolean {
    return this.#definitions.delete(name);
  }

  /** Disposes one instance (releasing sandbox sessions and such); returns whether it existed. */
  async dispose(id: string): Promise<boolean> {
    const instance = this.#instances.get(id);
    if (instance === undefined) return false;
    this.#instances.delete(id);
    await instance.agent.dispose?.();
    return true;
  }

  /**
   * `await using manager = new AgentManager(…)` disposes every instance at scope end, like `disposeAll()`
   * (`dispose(id)` already names the disposal of one instance, so the manager has no `dispose()`).
   */
  [Symbol.asyncDispose](): Promise<void> {
    return this.disposeAll();
  }

  /** Disposes every instance; the manager refuses further use. Failures are collected, not short-circuited. */
  async disposeAll(): Promise<void> {
    this.#disposed = true;
    const instances = [...this.#instances.values()];
    this.#instances.clear();
    const outcomes = await Promise.allSettled(instances.map((instance) => instance.agent.dispose?.()));
    const failures = outcomes.filter((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
    if (failures.length > 0) {
      throw new AgenticGenError('internal', `[agents] ${failures.length} agent(s) failed to dispose`, {
        cause: failures[0]?.reason,
      });
    }
  }

  #add(name: string, origin: 'config' | 'builder', build: AgentBuilder): void {
    if (this.#definitions.has(name)) {
      throw new AgenticGenError('already-exists', `[agents] an agent named "${name}" is already registered`);
    }
    this.#definitions.set(name, { origin, build });
  }

  #assertLive(): void {
    if (this.#disposed)
      throw new AgenticGenError('disposed', '[agents] this AgentManager was disposed; create a new one');
  }
}
