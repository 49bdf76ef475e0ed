import type { StopCondition } from './types.js';

/** Stops once the run has taken `count` steps. */
export function stepCountIs(count: number): StopCondition {
  return ({ steps }) => steps.length >= count;
}

/** Stops after a step in which the model called `toolName` (any tool when omitted). */
export function hasToolCall(toolName?: string): StopCondition {
  return ({ steps }) => {
    const last = steps[steps.length - 1];
    if (last === undefined) return false;
    return toolName === undefined
      ? last.toolCalls.length > 0
      : last.toolCalls.some((call) => call.toolName === toolName);
  };
}
