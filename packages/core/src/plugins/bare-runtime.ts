import type { ChatModel } from '../contracts/chat-model.js';
import { createEventBus } from '../events/event-bus.js';
import type { RuntimeEventBus } from '../events/runtime-events.js';
import { PluginHookRunner } from './hook-runner.js';
import { NamedRegistry } from './named-registry.js';
import type { ModelCallHost } from './runtime-model-call.js';

let bareCounter = 0;

/**
 * The runtime an agent created without one calls its model through: no plugins, no hooks, never disposed,
 * events on `events` (a private bus when the agent has none). Model calls then follow exactly the rules of a
 * plugin runtime (events, `chat` span, status mapping, call ids).
 */
export function createBareRuntime(events: RuntimeEventBus | undefined): ModelCallHost {
  const bus = events ?? createEventBus();
  return {
    id: `bare-runtime-${++bareCounter}`,
    events: bus,
    hooks: new PluginHookRunner(bus, () => undefined),
    models: new NamedRegistry<ChatModel>('model'),
    signal: new AbortController().signal,
    disposed: false,
  };
}
