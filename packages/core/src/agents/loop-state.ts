import type { ChatMessage, Usage } from '../contracts/chat-model.js';
import type { StepResult } from './step-result.js';

/** Where in a step a checkpoint was taken. */
export type CheckpointPhase = 'tool-calls-planned' | 'step-completed';

/** What a durable agent run stores after each step (plain JSON). */
export interface AgentCheckpointState {
  /** Format version. */
  version: 1;
  /** `tool-calls-planned`: the last message asks for tools not all known to have run; `step-completed`: all ran. */
  phase: CheckpointPhase;
  /** The conversation so far. */
  messages: ChatMessage[];
  /** Index in `messages` where this run's own messages start. */
  inputStart: number;
  /** Steps taken. */
  step: number;
  /** Tokens used so far. */
  usage: Usage;
  /** The steps so far. */
  steps: StepResult[];
  /** Conversation id for memory, when the run used one. */
  conversationId?: string;
}

/**
 * The mutable part of a run: what a checkpoint stores, plus the run's id and its structured answer;
 * `AgentRunState` is its JSON snapshot.
 */
export interface LoopState extends Omit<AgentCheckpointState, 'version' | 'phase'> {
  runId: string;
  /** The validated structured answer (agents with `output`). */
  output?: unknown;
  /** Repairs of the structured answer so far in this run. */
  outputRepairs?: number;
}
