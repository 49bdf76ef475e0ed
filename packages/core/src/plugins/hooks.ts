import type { ChatModel, ChatRequest, ChatResponse, Usage } from '../contracts/chat-model.js';
import type { AgenticGenError } from '../errors/agenticgen-error.js';
import type { ToolOutcome } from '../tools/execute-tool.js';

/**
 * Hook payloads. Hooks run in plugin order and receive the same payload object, so a hook may change it
 * (for example replace `request` in `beforeModelCall` or `arguments` in `beforeToolCall`) and later hooks
 * and the caller see the change.
 */
export interface HookPayloads {
  /** Before a chat model call; `request` may be replaced. */
  beforeModelCall: {
    runId?: string;
    agentName?: string;
    /** The model about to be called. */
    model: ChatModel;
    /** The request; hooks may replace it. */
    request: ChatRequest;
  };
  /** After a chat model call, successful or not. */
  afterModelCall: {
    runId?: string;
    agentName?: string;
    model: ChatModel;
    request: ChatRequest;
    /** The answer, when the call succeeded (hooks may replace it). */
    response?: ChatResponse;
    /** The failure, when it failed. */
    error?: AgenticGenError;
    /** Latency in milliseconds. */
    durationMs: number;
  };
  /** Before a tool runs (arguments not yet validated); `arguments` may be replaced. */
  beforeToolCall: {
    runId?: string;
    agentName?: string;
    toolName: string;
    toolCallId: string;
    /** Raw arguments from the model. */
    arguments: unknown;
  };
  /** After a tool ran; `outcome` may be replaced (e.g. to redact output). */
  afterToolCall: {
    runId?: string;
    agentName?: string;
    toolName: string;
    toolCallId: string;
    arguments: unknown;
    outcome: ToolOutcome;
  };
  /** An agent run starts. */
  runStart: {
    runId: string;
    agentName?: string;
    /** The run's input. */
    input: unknown;
  };
  /** An agent run ended. */
  runEnd: {
    runId: string;
    agentName?: string;
    status: 'success' | 'error' | 'aborted';
    /** The run's output on success. */
    output?: unknown;
    /** The failure otherwise. */
    error?: AgenticGenError;
    /** Summed usage. */
    usage?: Usage;
    /** Wall time in milliseconds. */
    durationMs: number;
  };
}

/** Hook names. */
export type HookName = keyof HookPayloads;

/** The hook names, in lifecycle order. */
export const hookNames: readonly HookName[] = Object.freeze([
  'runStart',
  'beforeModelCall',
  'afterModelCall',
  'beforeToolCall',
  'afterToolCall',
  'runEnd',
]);

/** A hook function. Its return value is ignored; change the payload to influence what follows. */
export type HookHandler<K extends HookName> = (payload: HookPayloads[K]) => void | Promise<void>;

/**
 * A hook as a plugin declares it: a function (observer: a failure is reported as a `plugin-error` event and
 * the run goes on), or `{ handler, guard: true }` (guard: a failure aborts the guarded operation with it).
 */
export type HookDeclaration<K extends HookName> = HookHandler<K> | { handler: HookHandler<K>; guard?: boolean };

/** The hooks of one plugin. */
export type PluginHooks = { [K in HookName]?: HookDeclaration<K> };

/** Runs hooks; `runtime.hooks`. */
export interface HookRunner {
  /**
   * Runs every plugin's `name` hook in plugin order with `payload` and resolves with the (possibly changed)
   * payload. Observer failures are reported as `plugin-error` events; a guard's failure rejects with its
   * error (an AgenticGenError as thrown, anything else wrapped as `hook-failed`).
   */
  run<K extends HookName>(name: K, payload: HookPayloads[K]): Promise<HookPayloads[K]>;
  /** Whether any plugin has a `name` hook (lets callers skip building payloads). */
  has(name: HookName): boolean;
  /** The plugins with a `name` hook, in the order they run. */
  plugins(name: HookName): string[];
}
