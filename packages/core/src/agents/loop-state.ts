import type { ChatMessage, Usage } from '../contracts/chat-model.js';
import type { StepResult } from './step-result.js';

/** The mutable part of a run; `AgentRunState` is its JSON snapshot. */
export interface LoopState {
  runId: string;
  messages: ChatMessage[];
  inputStart: number;
  step: number;
  usage: Usage;
  steps: StepResult[];
  conversationId?: string;
  /** The validated structured answer (agents with `output`). */
  output?: unknown;
  /** Repairs of the structured answer so far in this run. */
  outputRepairs?: number;
}
