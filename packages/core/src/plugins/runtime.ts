// Declares AsyncDisposable for consumers whose `lib` lacks it (Runtime extends it).
import '../contracts/async-disposable.js';
import type { CacheStore } from '../contracts/cache-store.js';
import type { ChatModel, ChatRequest, ChatResponse, ChatStreamPart } from '../contracts/chat-model.js';
import type { CodeSandbox } from '../contracts/code-sandbox.js';
import type { Embedder } from '../contracts/embedder.js';
import type { Meter } from '../contracts/meter.js';
import type { VectorStore } from '../contracts/vector-store.js';
import type { RuntimeEventBus } from '../events/runtime-events.js';
import type { ToolOutcome } from '../tools/execute-tool.js';
import type { ToolRegistry } from '../tools/tool-registry.js';
import type { HookRunner } from './hooks.js';
import type { NamedRegistry } from './named-registry.js';

/**
 * Makes an agent. The runtime does not know the agent type (agents live in their own module and apps may
 * bring their own), so a factory returns whatever agent object it builds.
 */
export type AgentFactory<A = unknown> = (options?: Readonly<Record<string, unknown>>) => A | Promise<A>;

/** A plugin as set up in a runtime. */
export interface RuntimePluginInfo {
  /** Plugin name. */
  readonly name: string;
  /** Plugin version. */
  readonly version: string;
  /** Its validated config. */
  readonly config: unknown;
}

/** One tool call through the runtime (hooks, events and an `execute_tool` span around the tool). */
export interface RuntimeToolCall {
  /** The tool's name. */
  toolName: string;
  /** The model's id for the call. */
  toolCallId: string;
  /** Raw arguments (a JSON string or a parsed object). */
  arguments: unknown;
  /** The run the call belongs to. */
  runId?: string;
  /** The calling agent. */
  agentName?: string;
  /** Cancels the call (the runtime's own disposal cancels it too). */
  signal?: AbortSignal;
  /** Overrides the tool's timeout. */
  timeoutMs?: number;
  /** Host values passed to `execute`. */
  values?: Readonly<Record<string, unknown>>;
}

/** One chat model call through the runtime (hooks, events and a `chat {model}` span around it). */
export interface RuntimeModelCall {
  /** A model registered in `runtime.models` (by name) or any `ChatModel`. */
  model: string | ChatModel;
  /** The request; `beforeModelCall` hooks may replace it. */
  request: ChatRequest;
  /** The run the call belongs to. */
  runId?: string;
  /** The calling agent. */
  agentName?: string;
}

/** Providers by kind. */
export interface RuntimeProviders {
  /** Cache stores by name. */
  readonly cache: NamedRegistry<CacheStore>;
  /** Vector stores by name. */
  readonly vector: NamedRegistry<VectorStore>;
  /** Code sandboxes by name. */
  readonly sandbox: NamedRegistry<CodeSandbox>;
}

/** A set-up runtime: registries filled by plugins, hooks, events. Holds no global state. */
export interface Runtime extends AsyncDisposable {
  /** Unique id of this runtime (for logs when several live side by side). */
  readonly id: string;
  /** Plugins in setup order. */
  readonly plugins: readonly RuntimePluginInfo[];
  /** The runtime's typed event bus. */
  readonly events: RuntimeEventBus;
  /** Runs plugin hooks. */
  readonly hooks: HookRunner;
  /** Tools by name. */
  readonly tools: ToolRegistry;
  /** Chat models by name. */
  readonly models: NamedRegistry<ChatModel>;
  /** Embedders by name. */
  readonly embedders: NamedRegistry<Embedder>;
  /** Agent factories by name. */
  readonly agents: NamedRegistry<AgentFactory>;
  /** Cache, vector and sandbox providers by name. */
  readonly providers: RuntimeProviders;
  /** The meter given to `createRuntime` (`noopMeter` by default). */
  readonly meter: Meter;
  /** Aborted (with a `disposed` error) when disposal starts. */
  readonly signal: AbortSignal;
  /** True once `dispose()` was called. */
  readonly disposed: boolean;
  /**
   * Runs a tool by name: `beforeToolCall` hooks (which may change the arguments; a guard may refuse by
   * throwing, which rejects), `tool-call-start`, validation and execution inside an `execute_tool` span,
   * `tool-call-finish`, `afterToolCall` hooks. Tool failures resolve as `{ ok: false }` outcomes.
   */
  callTool(call: RuntimeToolCall): Promise<ToolOutcome>;
  /**
   * Calls a model: `beforeModelCall` hooks (may replace the request; a guard may refuse), `model-call-start`,
   * the call inside a `chat {model}` span, `model-call-finish` (usage, latency, error code), `afterModelCall`
   * hooks (may replace the response). Failures reject with an AgenticGenError.
   */
  generate(call: RuntimeModelCall): Promise<ChatResponse>;
  /** As `generate`, streaming; stopping early ends the call as `aborted` in events and spans. */
  stream(call: RuntimeModelCall): AsyncIterable<ChatStreamPart>;
  /** Disposes plugins in reverse setup order. Idempotent; rejects with `dispose-failed` if a disposer failed. */
  dispose(): Promise<void>;
}
