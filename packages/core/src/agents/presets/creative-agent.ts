import { AgenticGenError } from '../../errors/agenticgen-error.js';
import { type Agent, type CreateAgentOptions, createAgent } from '../create-agent.js';

export interface CreativeAgentOptions extends Omit<CreateAgentOptions, 'name' | 'instructions' | 'tools'> {
  /** Name (default `creative-agent`). */
  name?: string;
  /** System prompt (default: an imaginative writer with a distinct voice). */
  instructions?: string;
}

/** Sampling defaults for creative writing: more randomness than the provider default, nucleus-trimmed. */
export const creativeSamplingDefaults = { temperature: 0.9, topP: 0.95 } as const;

/** Creates a creative-writing agent: no tools, higher-temperature sampling. */
export function createCreativeAgent(options: CreativeAgentOptions): Agent {
  if ((options as { tools?: unknown }).tools !== undefined) {
    throw new AgenticGenError(
      'invalid-config',
      '[agents] the creative agent takes no tools; use createAgent for a tool-using agent',
    );
  }
  return createAgent({
    ...creativeSamplingDefaults,
    ...options,
    name: options.name ?? 'creative-agent',
    instructions:
      options.instructions ??
      'You are an imaginative writer. Use vivid, concrete images and a distinct voice; vary rhythm; avoid clichés. Follow the requested form and length.',
  });
}
