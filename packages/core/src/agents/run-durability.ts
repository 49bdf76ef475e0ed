/**
 * The seam between the agent loop and a durable run: the loop calls `checkpoint` after the model planned tool
 * calls and after each completed step, and runs every tool call through `callTool` (the idempotency ledger).
 * `createDurableAgent` (durable-agent.ts) builds it on a `RunStore`; runs without it pay nothing.
 */
import type { ToolSuspend } from '../tools/define-tool.js';
import type { ToolOutcome } from '../tools/execute-tool.js';
import type { AgentCheckpointState, CheckpointPhase, LoopState } from './loop-state.js';

/** A tool call as the ledger sees it. */
export interface LedgerCall {
  /** The model's call id. */
  toolCallId: string;
  /** The tool's name. */
  toolName: string;
  /** False when the tool declared `idempotent: false`. */
  idempotent: boolean;
}

/** Hooks of a durable run; built by `createDurableAgent`, passed as `AgentRunOptions.durability`. */
export interface RunDurability {
  /** The run's id (kept across crashes: checkpoints and ledger keys use it). */
  readonly runId: string;
  /** The checkpoint to continue from instead of starting from the input. */
  readonly restore?: AgentCheckpointState;
  /**
   * Persists the loop state; the loop waits for it before going on. A `step-completed` state may be skipped
   * when the planned-calls checkpoint and the ledger already hold the step.
   */
  checkpoint(state: LoopState, phase: CheckpointPhase): Promise<void>;
  /** Runs one tool call through the idempotency ledger; `execute` receives the call's idempotency key. */
  callTool(call: LedgerCall, execute: (idempotencyKey: string) => Promise<ToolOutcome>): Promise<ToolOutcome>;
  /** The `context.suspend` of a tool call. */
  suspender?(toolCallId: string): ToolSuspend;
  /** Called when a step's tool calls have all returned: throws to end the run when one of them suspended it. */
  afterToolCalls?(): void;
}

/**
 * The loop state at a checkpoint, as the object the store saves. Not copied here: every `RunStore` serialises
 * or copies what it saves (a second JSON round trip per checkpoint was most of the memory driver's overhead).
 */
export function checkpointStateOf(state: LoopState, phase: CheckpointPhase): AgentCheckpointState {
  const snapshot: AgentCheckpointState = {
    version: 1,
    phase,
    messages: state.messages,
    inputStart: state.inputStart,
    step: state.step,
    usage: state.usage,
    steps: state.steps,
  };
  if (state.conversationId !== undefined) snapshot.conversationId = state.conversationId;
  return snapshot;
}
