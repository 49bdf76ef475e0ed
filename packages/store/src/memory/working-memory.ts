/**
 * Working memory: a JSON object per user or per thread, with a TypeBox schema, that the agent reads in its
 * instructions and replaces through a tool. Stored through any `WorkingMemoryStore`.
 */
import {
  type AnyTool,
  compileSchema,
  defineTool,
  type Static,
  type TSchema,
  Type,
  type WorkingMemoryScope,
  type WorkingMemoryStore,
} from '@agenticgen/core';
import { storeError } from '../errors.js';

export interface WorkingMemoryOptions<S extends TSchema> {
  /** Where it is stored. */
  store: WorkingMemoryStore;
  /** The shape of the memory; every write is validated against it. */
  schema: S;
  /** Whose memory a tool call updates, from the run's host values (e.g. `{ kind: 'resource', id: values.userId }`). */
  scopeOf: (values: Readonly<Record<string, unknown>>) => WorkingMemoryScope;
  /** Largest memory as JSON, in characters (default 8,000): it is sent with every prompt. */
  maxCharacters?: number;
  /** @deprecated Use `maxCharacters` (no abbreviations in public names, as core's loaders); removed in the next minor release. */
  maxChars?: number;
  /** Name of the update tool (default `update_working_memory`). */
  toolName?: string;
}

export interface WorkingMemory<S extends TSchema> {
  /** The stored memory, or `undefined` before the first write. */
  get(scope: WorkingMemoryScope): Promise<Static<S> | undefined>;
  /** Validates and stores a whole new memory. */
  set(scope: WorkingMemoryScope, value: Static<S>): Promise<void>;
  /** The memory as an instructions block to append to the agent's system prompt. */
  instructions(scope: WorkingMemoryScope): Promise<string>;
  /** The tool the model calls with the complete updated memory (`{ memory }`). */
  readonly tool: AnyTool;
}

export function createWorkingMemory<S extends TSchema>(options: WorkingMemoryOptions<S>): WorkingMemory<S> {
  const maxCharacters = options.maxCharacters ?? options.maxChars ?? 8000;
  if (!(Number.isInteger(maxCharacters) && maxCharacters > 0))
    throw storeError('invalid-config', 'maxCharacters must be an integer > 0');
  const validator = compileSchema(options.schema);
  const memory: WorkingMemory<S> = {
    async get(scope) {
      return (await options.store.getWorkingMemory(scope))?.value as Static<S> | undefined;
    },
    async set(scope, value) {
      const valid = validator.parse(value, { scope: 'store', code: 'invalid-argument', what: 'working memory' });
      const length = JSON.stringify(valid).length;
      if (length > maxCharacters) {
        throw storeError(
          'invalid-argument',
          `working memory is ${length} characters of JSON; at most ${maxCharacters} are allowed, keep only what matters`,
        );
      }
      await options.store.setWorkingMemory(scope, valid as Record<string, unknown>);
    },
    async instructions(scope) {
      const value = await memory.get(scope);
      return [
        'Working memory (what you know about the user; keep it current by calling the update tool with the whole object):',
        JSON.stringify(value ?? {}),
      ].join('\n');
    },
    tool: defineTool({
      name: options.toolName ?? 'update_working_memory',
      description: 'Replaces the working memory with the complete updated object.',
      parameters: Type.Object({ memory: options.schema }),
      async execute(input, context) {
        // The generic schema erases the argument type; the validator has already checked `{ memory }`.
        const { memory: value } = input as unknown as { memory: Static<S> };
        await memory.set(options.scopeOf(context.values), value);
        return { saved: true };
      },
    }),
  };
  return memory;
}
