import { type Static, Type } from '@sinclair/typebox';
import type { ChatModel } from '../contracts/chat-model.js';
import type { CodeSandbox } from '../contracts/code-sandbox.js';
import { AgenticGenError } from '../errors/agenticgen-error.js';
import type { EventBus } from '../events/event-bus.js';
import type { RuntimeEvents } from '../events/runtime-events.js';
import type { KnowledgeBase } from '../knowledge/knowledge-base.js';
import type { Runtime } from '../plugins/runtime.js';
import { compileSchema } from '../schema/validator.js';
import type { AnyTool } from '../tools/define-tool.js';
import { type Agent, type CreateAgentOptions, createAgent } from './create-agent.js';
import type { ConversationMemory } from './memory.js';
import { createCodingAgent } from './presets/coding-agent.js';
import { createCreativeAgent } from './presets/creative-agent.js';
import { createResearchAgent } from './presets/research-agent.js';
import { hasToolCall, stepCountIs } from './stop-conditions.js';
import type { StopCondition } from './types.js';

/** The TypeBox schema of an agent declared in a config file (plain JSON). Resources are referenced by name. */
export const agentConfigSchema = Type.Object(
  {
    name: Type.String({ pattern: '^[a-zA-Z0-9_-]{1,64}$', description: 'Unique agent name.' }),
    kind: Type.Optional(
      Type.Union([Type.Literal('basic'), Type.Literal('coding'), Type.Literal('research'), Type.Literal('creative')], {
        description: 'Preset to build (default basic).',
      }),
    ),
    description: Type.Optional(Type.String()),
    instructions: Type.Optional(Type.String({ description: 'System prompt; presets have defaults.' })),
    model: Type.String({ minLength: 1, description: 'Name of a model in the resources.' }),
    tools: Type.Optional(
      Type.Array(Type.String(), { uniqueItems: true, description: 'Names of tools in the resources.' }),
    ),
    knowledgeBase: Type.Optional(Type.String({ description: 'Research agents: name of a knowledge base.' })),
    topK: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
    sandbox: Type.Optional(Type.String({ description: 'Coding agents: name of a code sandbox.' })),
    approveCode: Type.Optional(Type.Boolean()),
    memory: Type.Optional(Type.String({ description: 'Name of a conversation memory.' })),
    temperature: Type.Optional(Type.Number({ minimum: 0, maximum: 2 })),
    topP: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 1 })),
    maxOutputTokens: Type.Optional(Type.Integer({ minimum: 1 })),
    seed: Type.Optional(Type.Integer()),
    maxSteps: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
    stepTimeoutMs: Type.Optional(Type.Integer({ minimum: 1 })),
    timeoutMs: Type.Optional(Type.Integer({ minimum: 1 })),
    parallelToolCalls: Type.Optional(Type.Boolean()),
    contextBudgetTokens: Type.Optional(Type.Integer({ minimum: 1 })),
    stopWhen: Type.Optional(
      Type.Object(
        {
          toolCalled: Type.Optional(Type.String({ description: 'Stop after a step that called this tool.' })),
          steps: Type.Optional(Type.Integer({ minimum: 1, description: 'Stop after this many steps.' })),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);

/** An agent declared as plain JSON. */
export type AgentConfig = Static<typeof agentConfigSchema>;

/** Named resources a config may refer to. */
export interface AgentResources {
  /** Chat models by name. */
  models?: Readonly<Record<string, ChatModel>>;
  /** Tools by name (the name in the config, usually the tool's own name). */
  tools?: Readonly<Record<string, AnyTool>>;
  /** Knowledge bases by name. */
  knowledgeBases?: Readonly<Record<string, KnowledgeBase>>;
  /** Code sandboxes by name. */
  sandboxes?: Readonly<Record<string, CodeSandbox>>;
  /** Conversation memories by name. */
  memories?: Readonly<Record<string, ConversationMemory>>;
  /** Runtime event bus given to every agent built. */
  events?: EventBus<RuntimeEvents>;
  /**
   * A plugin runtime: names not found above are looked up in its registries (models, tools, sandbox
   * providers), and every agent built runs through it (hooks, events, spans).
   */
  runtime?: Runtime;
}

const validator = compileSchema(agentConfigSchema);

/** Validates a config without building it; throws `invalid-config` listing every problem. */
export function parseAgentConfig(input: unknown): AgentConfig {
  return validator.parse(input, { scope: 'agents', code: 'invalid-config', what: 'agent config' });
}

function pick<T>(
  kind: string,
  table: Readonly<Record<string, T>> | undefined,
  name: string,
  agent: string,
  registry?: { get(name: string): T | undefined; names(): string[] },
): T {
  const found = (table !== undefined && Object.hasOwn(table, name) ? table[name] : undefined) ?? registry?.get(name);
  if (found === undefined) {
    const available = [...new Set([...Object.keys(table ?? {}), ...(registry?.names() ?? [])])];
    throw new AgenticGenError(
      'invalid-config',
      `[agents] agent "${agent}" refers to unknown ${kind} "${name}"; available: ${available.join(', ') || '(none)'}`,
      { data: { kind, name, available } },
    );
  }
  return found;
}

function runtimeTools(resources: AgentResources) {
  const tools = resources.runtime?.tools;
  return tools === undefined
    ? undefined
    : { get: (name: string) => tools.get(name), names: () => tools.list().map((tool) => tool.name) };
}

/** Builds an agent from plain JSON (for example one entry of a config file), resolving names in `resources`. */
export function createAgentFromConfig(
  input: unknown,
  resources: AgentResources = {},
): Agent & { dispose?(): Promise<void> } {
  const config = parseAgentConfig(input);
  const kind = config.kind ?? 'basic';
  const stopWhen: StopCondition[] = [];
  if (config.stopWhen?.toolCalled !== undefined) stopWhen.push(hasToolCall(config.stopWhen.toolCalled));
  if (config.stopWhen?.steps !== undefined) stopWhen.push(stepCountIs(config.stopWhen.steps));
  const common: Omit<CreateAgentOptions, 'instructions'> = {
    name: config.name,
    model: pick('model', resources.models, config.model, config.name, resources.runtime?.models),
    tools: (config.tools ?? []).map((name) =>
      pick('tool', resources.tools, name, config.name, runtimeTools(resources)),
    ),
  };
  const copied = [
    'description',
    'temperature',
    'topP',
    'maxOutputTokens',
    'seed',
    'maxSteps',
    'stepTimeoutMs',
    'timeoutMs',
    'parallelToolCalls',
    'contextBudgetTokens',
  ] as const;
  for (const key of copied) {
    if (config[key] !== undefined) Object.assign(common, { [key]: config[key] });
  }
  if (stopWhen.length > 0) common.stopWhen = stopWhen;
  if (config.memory !== undefined) common.memory = pick('memory', resources.memories, config.memory, config.name);
  if (resources.events !== undefined) common.events = resources.events;
  if (resources.runtime !== undefined) common.runtime = resources.runtime;
  const instructions = config.instructions === undefined ? {} : { instructions: config.instructions };
  const misplaced = (field: string, owner: string) =>
    new AgenticGenError(
      'invalid-config',
      `[agents] agent "${config.name}": "${field}" only applies to kind "${owner}"`,
    );
  if (kind !== 'research' && (config.knowledgeBase !== undefined || config.topK !== undefined)) {
    throw misplaced(config.knowledgeBase !== undefined ? 'knowledgeBase' : 'topK', 'research');
  }
  if (kind !== 'coding' && (config.sandbox !== undefined || config.approveCode !== undefined)) {
    throw misplaced(config.sandbox !== undefined ? 'sandbox' : 'approveCode', 'coding');
  }
  switch (kind) {
    case 'coding':
      return createCodingAgent({
        ...common,
        ...instructions,
        ...(config.sandbox === undefined
          ? {}
          : {
              sandbox: pick(
                'sandbox',
                resources.sandboxes,
                config.sandbox,
                config.name,
                resources.runtime?.providers.sandbox,
              ),
            }),
        ...(config.approveCode === undefined ? {} : { approveCode: config.approveCode }),
      });
    case 'research': {
      if (config.knowledgeBase === undefined) {
        throw new AgenticGenError('invalid-config', `[agents] research agent "${config.name}" needs "knowledgeBase"`);
      }
      return createResearchAgent({
        ...common,
        ...instructions,
        knowledgeBase: pick('knowledge base', resources.knowledgeBases, config.knowledgeBase, config.name),
        ...(config.topK === undefined ? {} : { topK: config.topK }),
      });
    }
    case 'creative': {
      if (config.tools !== undefined && config.tools.length > 0) {
        throw new AgenticGenError('invalid-config', `[agents] creative agent "${config.name}" takes no tools`);
      }
      const { tools: _tools, ...withoutTools } = common;
      return createCreativeAgent({ ...withoutTools, ...instructions });
    }
    default:
      return createAgent({ ...common, instructions: config.instructions ?? '' });
  }
}
