import type { GetPromptResult, Prompt, PromptMessage } from '@modelcontextprotocol/sdk/types.js';
import { clip, mcpError } from '../errors.js';
import type { McpCompleter } from './resources.js';

/** A prompt template served in `prompts/list` and `prompts/get`. */
export interface McpPrompt {
  name: string;
  description: string;
  /** Its arguments; required ones must be present in `prompts/get`. */
  arguments?: ReadonlyArray<{ name: string; description?: string; required?: boolean }>;
  /**
   * Fills the prompt: a string is one user text message; messages may carry images, audio and embedded
   * resources.
   */
  get(args: Readonly<Record<string, string>>): string | PromptMessage[] | Promise<string | PromptMessage[]>;
  /** Completers of its arguments, by argument name (`completion/complete`). */
  complete?: Readonly<Record<string, McpCompleter>>;
}

/** Longest value of one prompt argument; a client is not trusted to send a short one. */
const maxArgumentChars = 100_000;

export interface PromptCatalog {
  list(): Prompt[];
  get(name: string, args: Record<string, string>): Promise<GetPromptResult>;
  completer(name: string, argument: string): McpCompleter | undefined;
}

export function createPromptCatalog(prompts: readonly McpPrompt[]): PromptCatalog {
  const byName = new Map<string, McpPrompt>();
  for (const prompt of prompts) {
    if (byName.has(prompt.name)) throw mcpError('invalid-config', `two prompts are named "${clip(prompt.name, 64)}"`);
    byName.set(prompt.name, prompt);
  }
  return {
    list: () =>
      prompts.map(({ name, description, arguments: args }) =>
        args === undefined ? { name, description } : { name, description, arguments: args.map((arg) => ({ ...arg })) },
      ),
    async get(name, args) {
      const prompt = byName.get(name);
      if (prompt === undefined) throw mcpError('not-found', `no prompt ${JSON.stringify(clip(name, 64))}`);
      for (const argument of prompt.arguments ?? []) {
        if (argument.required === true && args[argument.name] === undefined) {
          throw mcpError('invalid-argument', `prompt "${prompt.name}" needs the argument "${argument.name}"`);
        }
      }
      for (const [key, value] of Object.entries(args)) {
        if (value.length > maxArgumentChars) {
          throw mcpError(
            'mcp-limit-exceeded',
            `argument "${clip(key, 64)}" is longer than ${maxArgumentChars} characters`,
          );
        }
      }
      const filled = await prompt.get(args);
      const messages: PromptMessage[] =
        typeof filled === 'string' ? [{ role: 'user', content: { type: 'text', text: filled } }] : filled;
      return { description: prompt.description, messages };
    },
    completer: (name, argument) => byName.get(name)?.complete?.[argument],
  };
}
