import {
  type Agent,
  type AgentInput,
  AgenticGenError,
  type AgentResources,
  type AnyTool,
  compileSchema,
  createAgent,
  createAgentFromConfig,
  createSupervisor,
  defineTool,
  parseAgentConfig,
  type TSchema,
  Type,
  type Usage,
  type Validator,
} from '@agenticgen/core';
import type { RunEvent } from '../runs/run-manager.ts';
import type { Services } from '../services/types.ts';
import { type StreamedAgentResult, streamAgent } from './stream-agent.ts';

/**
 * Request body of `POST /api/agents`: a JSON object, validated in full by core's agent config schema
 * (`parseAgentConfig`) with `model` defaulting to the server's model.
 */
export const agentConfigBody = compileSchema(Type.Record(Type.String(), Type.Unknown()) as TSchema) as Validator<
  Record<string, unknown>
>;

export interface AgentSummary {
  name: string;
  description: string;
  tools: string[];
  builtIn: boolean;
}

export interface AgentService {
  list(): AgentSummary[];
  /** Validates a JSON config with core's schema and builds the agent. */
  create(config: Record<string, unknown>): AgentSummary;
  has(name: string): boolean;
  /** The agent itself (built-in or created), for routes that stream it in another format. */
  get(name: string): Agent | undefined;
  run(name: string, input: AgentInput, context: RunContext): Promise<StreamedAgentResult>;
  /** The collaboration task: a supervisor delegating to the researcher and the coder. */
  collaborate(task: string, context: RunContext): Promise<StreamedAgentResult & { delegations: string[] }>;
}

export interface RunContext {
  signal: AbortSignal;
  emit: (event: RunEvent) => void;
  onUsage?: (usage: Usage) => void;
}

const assistantInstructions =
  'You are the AgenticGen starter assistant. Use search_knowledge for questions about uploaded documents and cite passages as [n]; use run_python to compute. Be concise.';

/**
 * Agents on core's agent framework: built-ins (assistant with every tool, researcher on the knowledge base,
 * coder on the sandbox) and agents created from JSON config (`createAgentFromConfig`, resources by name).
 */
export function createAgentService(services: Services): AgentService {
  const model = services.model.model;
  // Agents report model calls, tool calls and runs on the runtime's bus, where the metrics plugin counts them.
  const events = services.runtime.events;
  const toolsByName = (): Record<string, AnyTool> =>
    Object.fromEntries(services.tools.list().map((tool) => [tool.name, tool]));
  const pickTools = (...names: string[]) => names.flatMap((name) => services.tools.get(name) ?? []);
  const builtIn = new Map<string, Agent>([
    [
      'assistant',
      createAgent({
        events,
        name: 'assistant',
        description: 'Answers with every tool the server has.',
        instructions: assistantInstructions,
        model,
        tools: services.tools.list(),
        maxSteps: 6,
      }),
    ],
    [
      'researcher',
      createAgent({
        events,
        name: 'researcher',
        description: 'Finds and quotes passages from the knowledge base, citing them.',
        instructions:
          'You research questions in the knowledge base with search_knowledge and answer only from the passages, citing [n].',
        model,
        tools: pickTools('search_knowledge'),
        maxSteps: 4,
      }),
    ],
    [
      'coder',
      createAgent({
        events,
        name: 'coder',
        description: 'Writes and runs Python in the sandbox and reports the output.',
        instructions: 'You solve tasks by writing Python and running it with run_python; report the output.',
        model,
        tools: pickTools('run_python'),
        maxSteps: 6,
      }),
    ],
  ]);
  const custom = new Map<string, Agent>();
  const find = (name: string) => custom.get(name) ?? builtIn.get(name);
  const summary = (agent: Agent, isBuiltIn: boolean): AgentSummary => ({
    name: agent.name,
    description: agent.description,
    tools: agent.tools.list().map((tool) => tool.name),
    builtIn: isBuiltIn,
  });

  return {
    list: () => [
      ...[...builtIn.values()].map((agent) => summary(agent, true)),
      ...[...custom.values()].map((agent) => summary(agent, false)),
    ],
    has: (name) => find(name) !== undefined,
    get: (name) => find(name),
    create(input) {
      const config = parseAgentConfig({ model: 'default', ...input });
      if (find(config.name) !== undefined) {
        throw new AgenticGenError(
          'already-exists',
          `[server] an agent named "${config.name}" exists; pick another name`,
        );
      }
      const resources: AgentResources = { models: { default: model }, tools: toolsByName(), events };
      const agent = createAgentFromConfig(config, resources);
      custom.set(agent.name, agent);
      return summary(agent, false);
    },
    run(name, input, context) {
      const agent = find(name);
      if (agent === undefined) {
        throw new AgenticGenError('not-found', `[server] no agent named "${name}"; GET /api/agents lists them`);
      }
      return streamAgent(agent, input, context);
    },
    async collaborate(task, context) {
      const delegations: string[] = [];
      // Core's supervisor calls each worker through `asTool()`. The workers given here are the built-in
      // agents with an `asTool` that streams the worker's own steps into this run, labelled with its name,
      // so a client sees the researcher search and the coder run Python, not only their final answers.
      const streamingWorker = (agent: Agent): Agent => ({
        ...agent,
        asTool: () =>
          defineTool({
            name: agent.name,
            description: agent.description,
            parameters: Type.Object({ input: Type.String({ minLength: 1, description: 'The task for this worker' }) }),
            timeoutMs: 300_000,
            async execute({ input }, { signal }) {
              delegations.push(agent.name);
              return (await streamAgent(agent, input, { ...context, signal })).text;
            },
          }),
      });
      const workers = ['researcher', 'coder'].flatMap((name) => builtIn.get(name) ?? []).map(streamingWorker);
      const supervisor = createSupervisor({
        name: 'supervisor',
        description: 'Splits a task between the researcher and the coder, then combines their answers.',
        instructions:
          'You supervise a researcher (knowledge base) and a coder (Python). Delegate each part of the task to the right worker, then combine their reports into one answer.',
        model,
        events,
        workers,
        maxSteps: 6,
      });
      const result = await streamAgent(supervisor.agent, task, context);
      return { ...result, delegations };
    },
  };
}
