import { Type } from '@sinclair/typebox';
import type { Agent, AgentRunWithEventsOptions } from '../agents/create-agent.js';
import { type CreateAgentOptions, createAgent } from '../agents/create-agent.js';
import type { AgentResult } from '../agents/types.js';
import type { ChatMessage } from '../contracts/chat-model.js';
import { AgenticGenError } from '../errors/agenticgen-error.js';
import { type AnyTool, defineTool } from '../tools/define-tool.js';

/** Prefix of handoff tool names: `transfer_to_<agent>`. */
export const handoffToolPrefix = 'transfer_to_';

/** A tool that hands the conversation over to `target`; the run of the calling agent ends after the call. */
export function createHandoffTool(target: Agent): AnyTool {
  return defineTool({
    name: `${handoffToolPrefix}${target.name}`.slice(0, 64),
    description: `Hand the conversation over to "${target.name}"${target.description ? `: ${target.description}` : ''}. Use it when that agent is better suited; it will answer the user directly.`,
    parameters: Type.Object({ reason: Type.String({ description: 'Why you hand over, and what the user needs.' }) }),
    execute: ({ reason }) => ({ handoff: target.name, reason }),
  });
}

export interface SupervisorOptions extends Omit<CreateAgentOptions, 'tools' | 'stopWhen' | 'instructions'> {
  /** System prompt (default: coordinate the workers and answer the user). */
  instructions?: string;
  /** Agents the supervisor calls as tools and gets answers back from (delegation). */
  workers?: readonly Agent[];
  /** Agents the supervisor can transfer the whole conversation to (handoff). */
  handoffs?: readonly Agent[];
  /** Extra tools of the supervisor itself. */
  tools?: readonly AnyTool[];
}

/** The outcome of a supervised run. */
export interface SupervisedResult {
  /** The answer of the agent that finished. */
  text: string;
  /** The name of that agent. */
  finalAgent: string;
  /** Handoffs in order. */
  handoffs: Array<{ from: string; to: string; reason: string }>;
  /** Every agent run, in order. */
  runs: Array<{ agent: string; result: AgentResult }>;
}

/** A supervisor: an agent whose tools are other agents (delegation) and transfers to agents (handoffs). */
export interface Supervisor {
  /** The supervisor agent itself. */
  readonly agent: Agent;
  /** Runs the supervisor; when it hands off, the target agent continues the conversation and answers. */
  run(input: string, options?: AgentRunWithEventsOptions): Promise<SupervisedResult>;
}

const defaultInstructions =
  'You coordinate a team. Delegate sub-tasks to the worker tools and combine their answers, or transfer the conversation to a specialist when one fits better. Answer the user directly when no one is needed.';

/** Creates a supervisor over worker agents (as tools) and handoff targets. */
export function createSupervisor(options: SupervisorOptions): Supervisor {
  const { workers = [], handoffs = [], ...rest } = options;
  const handoffTargets = new Map<string, Agent>();
  const handoffToolsOf = (agents: readonly Agent[]) =>
    agents.map((target) => {
      handoffTargets.set(`${handoffToolPrefix}${target.name}`.slice(0, 64), target);
      return createHandoffTool(target);
    });
  const isHandoff = (name: string) => handoffTargets.has(name);
  const agent = createAgent({
    ...rest,
    instructions: options.instructions ?? defaultInstructions,
    tools: [...(options.tools ?? []), ...workers.map((worker) => worker.asTool()), ...handoffToolsOf(handoffs)],
    stopWhen: ({ steps }) =>
      steps[steps.length - 1]?.toolCalls.some((call) => isHandoff(call.toolName) && !call.isError) ?? false,
  });

  return {
    agent,
    async run(input, runOptions = {}) {
      const outcome: SupervisedResult = { text: '', finalAgent: agent.name, handoffs: [], runs: [] };
      const transcript: ChatMessage[] = [{ role: 'user', content: input }];
      let current: Agent = agent;
      for (;;) {
        const result = await current.run(transcript, runOptions);
        outcome.runs.push({ agent: current.name, result });
        if (result.status === 'suspended') {
          throw new AgenticGenError(
            'unsupported',
            `[orchestration] agent "${current.name}" suspended for approval inside a supervisor; resume it directly`,
          );
        }
        const call = result.steps
          .at(-1)
          ?.toolCalls.find((candidate) => isHandoff(candidate.toolName) && !candidate.isError);
        const target = call === undefined ? undefined : handoffTargets.get(call.toolName);
        // Only the supervisor hands off; a target answers (it has no transfer tools of this supervisor).
        if (call === undefined || target === undefined || current !== agent) {
          outcome.text = result.text;
          outcome.finalAgent = current.name;
          return outcome;
        }
        const reason = String((call.input as { reason?: unknown }).reason ?? '');
        outcome.handoffs.push({ from: current.name, to: target.name, reason });
        // The target sees the user's words and the handoff note, not the supervisor's tool traffic.
        transcript.push({ role: 'user', content: `[handoff from ${current.name}] ${reason}` });
        current = target;
      }
    },
  };
}
