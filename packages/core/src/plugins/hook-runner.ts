import { AgenticGenError } from '../errors/agenticgen-error.js';
import type { RuntimeEventBus } from '../events/runtime-events.js';
import type { HookDeclaration, HookHandler, HookName, HookPayloads, HookRunner, PluginHooks } from './hooks.js';
import { hookNames } from './hooks.js';

interface RegisteredHook {
  plugin: string;
  handler: (payload: unknown) => void | Promise<void>;
  guard: boolean;
}

/** The hook runner of one runtime: hooks by name, in plugin setup order. */
export class PluginHookRunner implements HookRunner {
  readonly #hooks = new Map<HookName, RegisteredHook[]>();
  readonly #events: RuntimeEventBus;
  readonly #assertAlive: () => void;

  constructor(events: RuntimeEventBus, assertAlive: () => void) {
    this.#events = events;
    this.#assertAlive = assertAlive;
  }

  /** Adds a plugin's hooks; unknown hook names and non-functions are `invalid-argument` errors. */
  add(plugin: string, hooks: PluginHooks): void {
    for (const [name, declaration] of Object.entries(hooks) as Array<[string, HookDeclaration<HookName> | undefined]>) {
      if (declaration === undefined) continue;
      if (!hookNames.includes(name as HookName)) {
        throw new AgenticGenError(
          'invalid-argument',
          `[runtime] plugin "${plugin}" declares unknown hook "${name}"; known hooks: ${hookNames.join(', ')}`,
        );
      }
      const handler = typeof declaration === 'function' ? declaration : declaration?.handler;
      if (typeof handler !== 'function') {
        throw new AgenticGenError(
          'invalid-argument',
          `[runtime] hook "${name}" of plugin "${plugin}" must be a function or { handler, guard }`,
        );
      }
      const guard = typeof declaration === 'object' && declaration.guard === true;
      const list = this.#hooks.get(name as HookName) ?? [];
      list.push({ plugin, handler: handler as HookHandler<HookName> as RegisteredHook['handler'], guard });
      this.#hooks.set(name as HookName, list);
    }
  }

  has(name: HookName): boolean {
    return (this.#hooks.get(name)?.length ?? 0) > 0;
  }

  plugins(name: HookName): string[] {
    return (this.#hooks.get(name) ?? []).map((hook) => hook.plugin);
  }

  async run<K extends HookName>(name: K, payload: HookPayloads[K]): Promise<HookPayloads[K]> {
    this.#assertAlive();
    for (const hook of this.#hooks.get(name) ?? []) {
      try {
        await hook.handler(payload);
      } catch (thrown) {
        const error = new AgenticGenError(
          'hook-failed',
          `[runtime] hook ${name} of plugin "${hook.plugin}" failed: ${thrown instanceof Error ? thrown.message : String(thrown)}`,
          { cause: thrown, data: { plugin: hook.plugin, hook: name, guard: hook.guard } },
        );
        this.#events.emit('plugin-error', { plugin: hook.plugin, hook: name, error, guard: hook.guard });
        // A guard exists to stop the operation: its own error (with its own code) is what the caller gets.
        if (hook.guard) throw AgenticGenError.isInstance(thrown) ? thrown : error;
      }
    }
    return payload;
  }
}
