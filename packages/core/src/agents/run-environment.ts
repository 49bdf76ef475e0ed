import type { EventBus } from '../events/event-bus.js';
import type { RuntimeEvents } from '../events/runtime-events.js';
import type { Runtime } from '../plugins/runtime.js';
import type { ModelCallHost } from '../plugins/runtime-model-call.js';
import type { ToolRegistry } from '../tools/tool-registry.js';
import type { AgentOutputPlan } from './agent-output.js';
import type { SpanHandle } from './agent-telemetry.js';
import type { LoopState } from './loop-state.js';
import type { RunDurability } from './run-durability.js';
import type { AgentEvent, AgentOptions, GuardrailContext, StopCondition } from './types.js';

// What the loop, its tool calls and a durable resume share; kept apart from agent-loop.ts so tool-calls.ts
// does not import the loop that imports it.

/** An agent's options after defaults, shared by every run. */
export interface ResolvedAgent {
  readonly options: AgentOptions;
  readonly registry: ToolRegistry;
  readonly stopConditions: readonly StopCondition[];
  readonly maxSteps: number;
  readonly events: EventBus<RuntimeEvents> | undefined;
  /** Plugin runtime: its hooks see model calls, tool calls and runs. */
  readonly runtime: Runtime | undefined;
  /** Where model calls go (hooks, events, `chat` span): the plugin runtime, else a bare one. */
  readonly modelCalls: ModelCallHost;
  /** How the structured final answer is asked for, when the agent has `output`. */
  readonly output: AgentOutputPlan | undefined;
}

/** Per-run values that do not belong in the serializable state. */
export interface RunEnvironment {
  readonly agent: ResolvedAgent;
  readonly signal: AbortSignal;
  readonly values: Readonly<Record<string, unknown>>;
  readonly emit: (event: AgentEvent) => void;
  readonly span: SpanHandle;
  /** Checkpoints and the idempotency ledger of a durable run (durable-run.ts). */
  readonly durability?: RunDurability | undefined;
}

export function guardrailContext(environment: RunEnvironment, state: LoopState): GuardrailContext {
  return {
    agentName: environment.agent.options.name,
    messages: state.messages,
    signal: environment.signal,
    values: environment.values,
  };
}
