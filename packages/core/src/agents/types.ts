import type { ChatMessage, ChatModel, ToolCallPart, ToolChoice, Usage } from '../contracts/chat-model.js';
import type { SerializedAgenticGenError } from '../errors/agenticgen-error.js';
import type { AnySchema } from '../structured/output-schema.js';
import type { StructuredMode } from '../structured/structured-request.js';
import type { AnyTool } from '../tools/define-tool.js';
import type { ConversationMemory } from './memory.js';
import type { ResumeTokenStore } from './resume-tokens.js';
import type { RunDurability } from './run-durability.js';
import type { StepResult, ToolCallRecord } from './step-result.js';

export type { StepResult, ToolCallRecord };

/** What a guardrail decided. `tripwire: true` stops the run with a `guardrail-tripped` error. */
export interface GuardrailVerdict {
  /** True to stop the run. */
  tripwire: boolean;
  /** Why, shown in the error message and events. */
  reason?: string;
  /**
   * Tool-call guardrails only: instead of stopping the run, refuse this one call and send `reject` back to the
   * model as a structured `tool-rejected` error it can react to.
   */
  reject?: string;
}

/** What every guardrail receives besides its subject. */
export interface GuardrailContext {
  /** The agent's name. */
  agentName: string;
  /** The conversation so far. */
  messages: readonly ChatMessage[];
  /** Aborts with the run. */
  signal: AbortSignal;
  /** Host values of the run. */
  values: Readonly<Record<string, unknown>>;
}

/** A verdict, or `undefined` to let it pass. */
export type GuardrailResult = GuardrailVerdict | undefined;

/** Checks the user input before the first model call. */
export interface InputGuardrail {
  /** Name used in errors and events. */
  name: string;
  /** Inspects the input messages of the run. */
  check(input: readonly ChatMessage[], context: GuardrailContext): GuardrailResult | Promise<GuardrailResult>;
}

/** Checks the final text before the run completes. */
export interface OutputGuardrail {
  /** Name used in errors and events. */
  name: string;
  /** Inspects the final answer. */
  check(output: string, context: GuardrailContext): GuardrailResult | Promise<GuardrailResult>;
}

/** Checks each tool call before it runs. */
export interface ToolCallGuardrail {
  /** Name used in errors and events. */
  name: string;
  /** Inspects one tool call (the raw input the model produced). */
  check(call: ToolCallPart, context: GuardrailContext): GuardrailResult | Promise<GuardrailResult>;
}

/** What a stop condition sees after each step. */
export interface StopConditionContext {
  /** Every step of the run so far (the last one just finished). */
  steps: readonly StepResult[];
}

/** Returns true to end the run after the current step. */
export type StopCondition = (context: StopConditionContext) => boolean;

/** A tool call waiting for a person's decision. */
export interface PendingApproval {
  /** The model's call id; decisions refer to it. */
  toolCallId: string;
  /** The tool's name. */
  toolName: string;
  /** Arguments as the model produced them. */
  input: unknown;
}

/**
 * Everything needed to resume a suspended run, as plain JSON: store it anywhere (database, file, queue) and
 * pass it to `agent.resume` on any process that builds the same agent.
 */
export interface AgentRunState {
  /** Format version of this object. */
  version: 1;
  /** The run's id (kept across resumes). */
  runId: string;
  /** The agent that produced it; resuming with another agent is a `conflict` error. */
  agentName: string;
  /** The full conversation, ending with the assistant message that asked for the tools. */
  messages: ChatMessage[];
  /** Number of steps already taken. */
  step: number;
  /** Tokens used so far. */
  usage: Usage;
  /** The steps taken so far; the last one is the step that asked for approval. */
  steps: StepResult[];
  /** Calls awaiting a decision. */
  pendingApprovals: PendingApproval[];
  /** Results of the other calls of the same step, already executed. */
  completedToolCalls: ToolCallRecord[];
  /** Conversation id for memory, when the run used one. */
  conversationId?: string;
  /** Index in `messages` where this run's new messages start (for memory). */
  inputStart: number;
}

/** A person's decision on a pending call. */
export type ApprovalDecision = { approved: true } | { approved: false; reason?: string };

/** Why a run ended. */
export type RunStatus = 'completed' | 'suspended';

/** What a run returns; `TOutput` is the type of `output` for agents created with an output schema. */
export interface AgentResult<TOutput = unknown> {
  /** `suspended` when tools await approval (see `state`). */
  status: RunStatus;
  /** The run's id. */
  runId: string;
  /** The final answer (empty while suspended). */
  text: string;
  /** Every step. */
  steps: StepResult[];
  /** Total tokens. */
  usage: Usage;
  /** Messages this run added (user input, assistant turns, tool results). */
  messages: ChatMessage[];
  /** `stop` when the model answered, `stop-condition` when a condition ended it, `max-steps` at the limit. */
  stopReason: 'stop' | 'stop-condition' | 'max-steps' | 'approval-required';
  /** Calls awaiting approval when suspended. */
  pendingApprovals: PendingApproval[];
  /** The resumable state when suspended. */
  state?: AgentRunState;
  /** Agents with `output`: the validated structured answer (its JSON is also `text`). */
  output?: TOutput;
}

/** Events of a streamed run, in order. */
export type AgentEvent =
  | {
      /** A run started, or a suspended run resumed. */
      type: 'run-start';
      /** The run's id (kept across resumes). */
      runId: string;
      /** The agent's name. */
      agentName: string;
      /** True when the run continues a suspended or checkpointed run. */
      resumed: boolean;
    }
  | {
      /** A model step began: one model call and the tools it asks for. */
      type: 'step-start';
      /** The run's id. */
      runId: string;
      /** 1-based step number within the run. */
      step: number;
    }
  | {
      /** A piece of the answer text, as the model streams it. */
      type: 'text-delta';
      /** The run's id. */
      runId: string;
      /** The step the text belongs to. */
      step: number;
      /** The new text. */
      delta: string;
    }
  | {
      /** A piece of the model's reasoning, for models that expose it. */
      type: 'reasoning-delta';
      /** The run's id. */
      runId: string;
      /** The step the reasoning belongs to. */
      step: number;
      /** The new reasoning text. */
      delta: string;
    }
  | {
      /** The model began writing a tool call's arguments (a UI can show the call taking shape). */
      type: 'tool-input-start';
      /** The run's id. */
      runId: string;
      /** The step the call belongs to. */
      step: number;
      /** The model's id for the call. */
      toolCallId: string;
      /** The tool being called. */
      toolName: string;
    }
  | {
      /** A piece of a tool call's argument JSON, as the model streams it. */
      type: 'tool-input-delta';
      /** The run's id. */
      runId: string;
      /** The step the call belongs to. */
      step: number;
      /** The model's id for the call. */
      toolCallId: string;
      /** The new argument text (raw JSON, possibly incomplete). */
      delta: string;
    }
  | {
      /** The model asked for a tool call; guardrails and approval come next. */
      type: 'tool-call';
      /** The run's id. */
      runId: string;
      /** The step the call belongs to. */
      step: number;
      /** The model's id for the call. */
      toolCallId: string;
      /** The tool to call. */
      toolName: string;
      /** The parsed arguments (the raw text when they are not JSON). */
      input: unknown;
    }
  | ({
      /** A tool call ended; `output` went back to the model, `isError` says whether it is an error. */
      type: 'tool-result';
      /** The run's id. */
      runId: string;
      /** The step the call belongs to. */
      step: number;
    } & ToolCallRecord)
  | {
      /** A tool that needs approval was set aside; the run suspends after the step. */
      type: 'tool-approval-request';
      /** The run's id. */
      runId: string;
      /** The step the call belongs to. */
      step: number;
      /** The model's id for the call (key of the decision passed to `resume`). */
      toolCallId: string;
      /** The tool to call. */
      toolName: string;
      /** The arguments waiting for approval. */
      input: unknown;
    }
  | {
      /** A guardrail stopped the run (the run then fails with `guardrail-tripped`). */
      type: 'guardrail-tripped';
      /** The run's id. */
      runId: string;
      /** The guardrail's name. */
      guardrail: string;
      /** Which guardrail list it belongs to. */
      kind: 'input' | 'output' | 'tool-call';
      /** Why it tripped, as the guardrail said. */
      reason: string;
    }
  | ({
      /** A step ended, with its text, usage and tool calls. */
      type: 'step-finish';
      /** The run's id. */
      runId: string;
    } & StepResult)
  | {
      /** The run completed or suspended; the last event of a successful run. */
      type: 'run-finish';
      /** The run's id. */
      runId: string;
      /** What `run()` returns. */
      result: AgentResult;
      /** Wall time of this run (or of this resume) in milliseconds. */
      durationMs: number;
    }
  | {
      /** The run failed; the last event of a failed run. */
      type: 'run-error';
      /** The run's id. */
      runId: string;
      /** The error as plain data (`AgenticGenError.toJSON()`). */
      error: SerializedAgenticGenError;
      /** Wall time until the failure in milliseconds. */
      durationMs: number;
    };

/** Sampling settings passed to every model call. */
export interface SamplingSettings {
  /** Sampling temperature. */
  temperature?: number;
  /** Nucleus sampling. */
  topP?: number;
  /** Output token limit per model call. */
  maxOutputTokens?: number;
  /** Seed for deterministic sampling where supported. */
  seed?: number;
  /** Stop sequences. */
  stopSequences?: string[];
}

export interface AgentOptions extends SamplingSettings {
  /** Unique name; also the tool name when the agent is used as a tool. */
  name: string;
  /** System prompt. A function is called at each run with the run's host values. */
  instructions: string | ((values: Readonly<Record<string, unknown>>) => string);
  /** The model. */
  model: ChatModel;
  /** Short description (used when the agent becomes a tool of a supervisor). */
  description?: string;
  /** Tools the model may call. */
  tools?: readonly AnyTool[];
  /** How the model may use tools (default `auto`). */
  toolChoice?: ToolChoice;
  /** Run several tool calls of one step concurrently (default true). */
  parallelToolCalls?: boolean;
  /** Ends the run after a step when any condition holds (checked after tool steps). */
  stopWhen?: StopCondition | readonly StopCondition[];
  /** Hard limit on model calls per run (default 20); reaching it ends the run with `max-steps`. */
  maxSteps?: number;
  /** Time limit for one step (model call + its tools), in ms. */
  stepTimeoutMs?: number;
  /** Time limit for the whole run, in ms. */
  timeoutMs?: number;
  /** Guardrails. */
  guardrails?: {
    input?: readonly InputGuardrail[];
    output?: readonly OutputGuardrail[];
    toolCalls?: readonly ToolCallGuardrail[];
  };
  /** Conversation memory; used when a run passes `conversationId`. */
  memory?: ConversationMemory;
  /**
   * Token budget for the prompt. Default: the model's context window minus `maxOutputTokens` (or 4096).
   * Older turns are dropped to fit; system messages and the latest turn are kept.
   */
  contextBudgetTokens?: number;
  /** Counts tokens of a message; default: a 4-characters-per-token estimate. */
  countTokens?: (message: ChatMessage) => number;
  /**
   * Ends each run with a structured answer validated against this schema (TypeBox or any Standard Schema),
   * returned as `result.output`. Tools still run first.
   */
  output?: AnySchema;
  /** How the structured answer is asked for (see `generateObject`'s `mode`; default `auto`). */
  outputMode?: StructuredMode;
  /** Extra steps that feed validation errors back when the structured answer is invalid (default 1). */
  maxOutputRepairs?: number;
  /**
   * Where resume tokens are consumed, so a suspended state resumes at most once. Default: this agent
   * instance's memory (`createMemoryResumeTokenStore()`); share a store (e.g. Redis) across processes.
   */
  resumeTokens?: ResumeTokenStore;
}

/** Per-run options. */
export interface AgentRunOptions {
  /** Cancels the run with an `aborted` error. */
  signal?: AbortSignal;
  /** Loads and saves history under this id in the agent's memory. */
  conversationId?: string;
  /** Host values passed to tools, guardrails and dynamic instructions. */
  values?: Readonly<Record<string, unknown>>;
  /** Overrides the agent's run time limit. */
  timeoutMs?: number;
  /** Set by `createDurableAgent`: checkpoints, idempotency ledger and the checkpoint to continue from. */
  durability?: RunDurability;
}
