import type { FinishReason, Usage } from '../contracts/chat-model.js';

// Kept apart from types.ts so the durability contract (which stores steps) and the loop state can name these
// types without importing types.ts, which imports them back.

/** One tool call and its result within a step. */
export interface ToolCallRecord {
  /** The model's call id. */
  toolCallId: string;
  /** The tool's name. */
  toolName: string;
  /** Arguments as the model produced them. */
  input: unknown;
  /** What was sent back to the model. */
  output: unknown;
  /** True when `output` is a structured error. */
  isError: boolean;
  /** Wall time of the call in milliseconds. */
  durationMs: number;
}

/** One model call and the tool calls it asked for. */
export interface StepResult {
  /** 1-based step number within the run. */
  step: number;
  /** Text the model produced in this step. */
  text: string;
  /** Why the model stopped. */
  finishReason: FinishReason;
  /** Tokens of this step. */
  usage: Usage;
  /** Tool calls executed in this step, in the model's order. */
  toolCalls: ToolCallRecord[];
  /** Wall time of the step in milliseconds. */
  durationMs: number;
}
