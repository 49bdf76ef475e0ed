import { AgenticGenError, compileSchema, type Static, ToolRegistry, Type } from '@agenticgen/core';
import { runChatLoop } from '../chat/chat-loop.ts';
import type { RunEvent } from '../runs/run-manager.ts';
import type { Services } from '../services/types.ts';

/** An agent as clients create it: plain JSON, so configs can live in files and databases. */
export const AgentConfigSchema = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 64, pattern: '^[a-zA-Z0-9_-]+$' }),
    description: Type.String({ maxLength: 500, default: '' }),
    instructions: Type.String({ maxLength: 8000, default: 'You are a helpful assistant.' }),
    /** Names of server tools the agent may call. */
    tools: Type.Array(Type.String({ maxLength: 64 }), { maxItems: 32, default: [] }),
    maxSteps: Type.Integer({ minimum: 1, maximum: 20, default: 6 }),
  },
  { additionalProperties: false },
);

export type AgentConfig = Static<typeof AgentConfigSchema>;
export const agentConfigValidator = compileSchema(AgentConfigSchema);

export interface AgentService {
  list(): Array<AgentConfig & { builtIn: boolean }>;
  create(config: AgentConfig): AgentConfig;
  run(name: string, input: string, context: { signal: AbortSignal; emit: (event: RunEvent) => void }): Promise<unknown>;
}

/** Built-in agents: the roles the collaboration supervisor delegates to. */
export function builtInAgents(services: Services): AgentConfig[] {
  const has = (name: string) => services.tools.has(name);
  return [
    {
      name: 'assistant',
      description: 'Answers with every tool the server has.',
      instructions: 'You are a helpful assistant. Use the tools when they help, cite knowledge passages as [n].',
      tools: services.tools.list().map((tool) => tool.name),
      maxSteps: 6,
    },
    {
      name: 'researcher',
      description: 'Finds and quotes passages from the knowledge base.',
      instructions: 'You research questions in the knowledge base and answer only from what you find, citing [n].',
      tools: has('search_knowledge') ? ['search_knowledge'] : [],
      maxSteps: 4,
    },
    {
      name: 'coder',
      description: 'Writes and runs Python in the sandbox.',
      instructions: 'You solve tasks by writing Python and running it with run_python; report the output.',
      tools: has('run_python') ? ['run_python'] : [],
      maxSteps: 6,
    },
  ];
}

export function createAgentService(services: Services): AgentService {
  const builtIn = new Map(builtInAgents(services).map((config) => [config.name, config]));
  const custom = new Map<string, AgentConfig>();
  const find = (name: string) => custom.get(name) ?? builtIn.get(name);
  return {
    list: () => [
      ...[...builtIn.values()].map((config) => ({ ...config, builtIn: true })),
      ...[...custom.values()].map((config) => ({ ...config, builtIn: false })),
    ],
    create(config) {
      if (find(config.name) !== undefined) {
        throw new AgenticGenError('already-exists', `[server] an agent named "${config.name}" exists; pick another name`);
      }
      const unknown = config.tools.filter((tool) => !services.tools.has(tool));
      if (unknown.length > 0) {
        throw new AgenticGenError(
          'invalid-argument',
          `[server] unknown tools ${unknown.join(', ')}; available: ${services.tools.list().map((tool) => tool.name).join(', ') || '(none)'}`,
        );
      }
      custom.set(config.name, config);
      return config;
    },
    async run(name, input, { signal, emit }) {
      const config = find(name);
      if (config === undefined) {
        throw new AgenticGenError('not-found', `[server] no agent named "${name}"; GET /api/agents lists them`);
      }
      const tools = new ToolRegistry(config.tools.flatMap((tool) => services.tools.get(tool) ?? []));
      const result = await runChatLoop({
        model: services.model.model,
        tools,
        messages: [
          { role: 'system', content: config.instructions },
          { role: 'user', content: input },
        ],
        maxSteps: config.maxSteps,
        signal,
        emit: (event) => emit({ ...event, agent: config.name }),
      });
      return { agent: config.name, text: result.text, steps: result.steps, usage: result.usage };
    },
  };
}
