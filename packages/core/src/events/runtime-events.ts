import type { FinishReason, Usage } from '../contracts/chat-model.js';
import type { AgenticGenError } from '../errors/agenticgen-error.js';
import type { EventBus } from './event-bus.js';

/**
 * The events of the AgenticGen runtime, emitted on `runtime.events`. Names are noun-verb kebab-case; each
 * carries one payload object. A metrics plugin subscribes to these to record `gen_ai.client.*` metrics.
 *
 * Payloads only grow (new optional fields), so listeners written today keep working. Packages that need their
 * own events declare their own map (or extend this one) and create their own bus.
 */
export interface RuntimeEvents {
  /** `createRuntime` finished setting up every plugin. */
  'runtime-ready': RuntimeReadyEvent;
  /** `runtime.dispose()` finished. */
  'runtime-dispose': RuntimeDisposeEvent;
  /** One plugin's `setup` finished. */
  'plugin-setup': PluginSetupEvent;
  /** A plugin hook or disposer failed; the run goes on unless `guard` is true. */
  'plugin-error': PluginErrorEvent;
  /** An agent run started. */
  'run-start': RunStartEvent;
  /** An agent run ended, successfully or not. */
  'run-finish': RunFinishEvent;
  /** A chat model call started. */
  'model-call-start': ModelCallStartEvent;
  /** A chat model call ended (answered, failed or aborted). */
  'model-call-finish': ModelCallFinishEvent;
  /** A tool call started (arguments not yet validated). */
  'tool-call-start': ToolCallStartEvent;
  /** A tool call ended. */
  'tool-call-finish': ToolCallFinishEvent;
}

/** Fields shared by events that belong to an agent run. */
export interface RunScopedEvent {
  /** The run this belongs to, when there is one. */
  runId?: string;
  /** The agent's name, when there is one. */
  agentName?: string;
  /** Milliseconds since the epoch when the event was emitted. */
  timestamp: number;
}

export interface RuntimeReadyEvent {
  /** Plugin names in setup order. */
  plugins: string[];
  /** Time `createRuntime` took, in milliseconds. */
  durationMs: number;
}

export interface RuntimeDisposeEvent {
  /** Plugin names in disposal order (reverse setup order). */
  plugins: string[];
  /** Number of disposers that failed (each also reported as `plugin-error`). */
  failures: number;
}

export interface PluginSetupEvent {
  /** The plugin. */
  plugin: string;
  /** Its version. */
  version: string;
  /** Time its `setup` took, in milliseconds. */
  durationMs: number;
}

export interface PluginErrorEvent {
  /** The plugin whose code failed. */
  plugin: string;
  /** The hook (`beforeToolCall`, …) or phase (`dispose`) that failed. */
  hook: string;
  /** The failure, an `AgenticGenError` with code `hook-failed` (the original is its `cause`). */
  error: AgenticGenError;
  /** True when the hook is a guard: its failure aborts the operation it guards. */
  guard: boolean;
}

export interface RunStartEvent extends RunScopedEvent {
  /** The run's id. */
  runId: string;
  /** The enclosing run when this is a sub-agent or handoff run. */
  parentRunId?: string;
}

/** How a run or call ended. */
export type OutcomeStatus = 'success' | 'error' | 'aborted';

export interface RunFinishEvent extends RunScopedEvent {
  /** The run's id. */
  runId: string;
  /** How the run ended. */
  status: OutcomeStatus;
  /** Wall time of the run in milliseconds. */
  durationMs: number;
  /** Summed token usage of every model call in the run. */
  usage?: Usage;
  /** Number of model steps taken. */
  steps?: number;
  /** The error code when `status` is not `success`. */
  errorCode?: string;
  /** Summed cost in US dollars when prices are known. */
  costUsd?: number;
}

export interface ModelCallStartEvent extends RunScopedEvent {
  /** Unique id of this call (pairs start and finish). */
  callId: string;
  /** Provider name, e.g. `openai` (`gen_ai.provider.name`). */
  provider: string;
  /** The requested model id (`gen_ai.request.model`). */
  modelId: string;
  /** Whether the call streams. */
  streaming: boolean;
}

export interface ModelCallFinishEvent extends RunScopedEvent {
  /** Same id as the matching `model-call-start`. */
  callId: string;
  /** Provider name. */
  provider: string;
  /** The requested model id. */
  modelId: string;
  /** The model that answered, when reported (`gen_ai.response.model`). */
  responseModelId?: string;
  /** Whether the call streamed. */
  streaming: boolean;
  /** How the call ended. */
  status: OutcomeStatus;
  /** Latency of the whole call in milliseconds. */
  durationMs: number;
  /** Time to the first streamed content part, in milliseconds (streaming only). */
  timeToFirstTokenMs?: number;
  /** Token usage, when the call answered. */
  usage?: Usage;
  /** Why generation stopped. */
  finishReason?: FinishReason;
  /** The `AgenticGenError` code when `status` is not `success` (`error.type` in OTel terms). */
  errorCode?: string;
  /** True when the answer came from a cache rather than the provider. */
  cached?: boolean;
  /** Cost in US dollars when a price is known. */
  costUsd?: number;
}

export interface ToolCallStartEvent extends RunScopedEvent {
  /** The model's id for the call. */
  toolCallId: string;
  /** The tool's name. */
  toolName: string;
  /** The raw arguments as the model sent them. */
  arguments: unknown;
}

export interface ToolCallFinishEvent extends RunScopedEvent {
  /** The model's id for the call. */
  toolCallId: string;
  /** The tool's name. */
  toolName: string;
  /** How the call ended (invalid arguments and timeouts count as `error`). */
  status: OutcomeStatus;
  /** Wall time in milliseconds. */
  durationMs: number;
  /** The `AgenticGenError` code when `status` is not `success`. */
  errorCode?: string;
}

/** The runtime's event bus type. */
export type RuntimeEventBus = EventBus<RuntimeEvents>;
