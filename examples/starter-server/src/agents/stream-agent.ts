import type { Agent, AgentInput, Usage } from '@agenticgen/core';
import type { RunEvent } from '../runs/run-manager.ts';

export interface StreamedAgentResult {
  agent: string;
  text: string;
  steps: number;
  usage: Usage;
  stopReason: string;
}

/**
 * Runs a core agent and forwards its events (steps, text deltas, tool calls and results) to `emit`. The run's
 * own start/finish/error are left out: the server's run manager reports those for every kind of run.
 */
export async function streamAgent(
  agent: Agent,
  input: AgentInput,
  options: { signal: AbortSignal; emit: (event: RunEvent) => void; onUsage?: (usage: Usage) => void },
): Promise<StreamedAgentResult> {
  const run = agent.stream(input, { signal: options.signal });
  // Awaited below; without this an early failure of the iterator would leave the promise unhandled.
  run.result.catch(() => {});
  for await (const event of run) {
    if (event.type === 'run-start' || event.type === 'run-finish' || event.type === 'run-error') continue;
    // Streamed tool arguments are for UI message stream clients (/api/ui/chat); this event format never had them.
    if (event.type === 'tool-input-start' || event.type === 'tool-input-delta') continue;
    const { runId: _agentRunId, ...rest } = event;
    if (event.type === 'step-finish') options.onUsage?.(event.usage);
    options.emit({ ...rest, agent: agent.name } as RunEvent);
  }
  const result = await run.result;
  return {
    agent: agent.name,
    text: result.text,
    steps: result.steps.length,
    usage: result.usage,
    stopReason: result.stopReason,
  };
}
