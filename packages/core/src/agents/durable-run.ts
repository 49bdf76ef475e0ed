import type { ToolCallPart } from '../contracts/chat-model.js';
import { complete, resumeStep, runSteps, suspend, toolMessage } from './agent-loop.js';
import type { AgentCheckpointState, LoopState } from './loop-state.js';
import type { RunEnvironment } from './run-environment.js';
import { runToolCalls } from './tool-calls.js';
import type { AgentResult } from './types.js';

/**
 * Continues a run from its last checkpoint: the tool calls of a planned step run (through the ledger, so the
 * ones already done are replayed, not repeated), then the loop goes on as if nothing had happened.
 */
export async function continueFromCheckpoint(
  environment: RunEnvironment & { runId: string },
  saved: AgentCheckpointState,
): Promise<AgentResult> {
  const { agent } = environment;
  const state: LoopState = {
    runId: environment.runId,
    messages: structuredClone(saved.messages),
    inputStart: saved.inputStart,
    step: saved.step,
    usage: saved.usage,
    steps: structuredClone(saved.steps),
  };
  if (saved.conversationId !== undefined) state.conversationId = saved.conversationId;
  if (saved.phase === 'tool-calls-planned') {
    const last = state.messages[state.messages.length - 1];
    const calls =
      last?.role === 'assistant' && Array.isArray(last.content)
        ? last.content.filter((part): part is ToolCallPart => part.type === 'tool-call')
        : [];
    return resumeStep(environment, state, async (signal, stepSpan) => {
      const outcome = await runToolCalls(environment, state, calls, signal, stepSpan, undefined);
      environment.durability?.afterToolCalls?.();
      const step = state.steps[state.steps.length - 1];
      if (step !== undefined) step.toolCalls = outcome.records;
      if (outcome.pending.length > 0) return suspend(environment, state, outcome.pending, outcome.records);
      state.messages.push(toolMessage(calls, outcome.records));
      if (step !== undefined) environment.emit({ type: 'step-finish', runId: state.runId, ...step });
      await environment.durability?.checkpoint(state, 'step-completed');
      return undefined;
    });
  }
  if (agent.stopConditions.some((condition) => condition({ steps: state.steps }))) {
    return complete(environment, state, 'stop-condition');
  }
  return runSteps(environment, state);
}
