import type { ToolSpec } from '../contracts/chat-model.js';
import { AgenticGenError } from '../errors/agenticgen-error.js';
import type { AnyTool } from './define-tool.js';
import { type ExecuteToolOptions, executeTool, type ToolOutcome } from './execute-tool.js';
import type { JsonSchemaFlavour } from './json-schema.js';

/** A set of tools by unique name. */
export class ToolRegistry {
  readonly #tools = new Map<string, AnyTool>();

  constructor(tools: Iterable<AnyTool> = []) {
    for (const tool of tools) this.register(tool);
  }

  /** Adds a tool; a second tool with the same name is an `already-exists` error. */
  register(tool: AnyTool): this {
    if (this.#tools.has(tool.name)) {
      throw new AgenticGenError('already-exists', `[tools] a tool named "${tool.name}" is already registered`);
    }
    this.#tools.set(tool.name, tool);
    return this;
  }

  /** Removes a tool; returns whether it existed. */
  unregister(name: string): boolean {
    return this.#tools.delete(name);
  }

  get(name: string): AnyTool | undefined {
    return this.#tools.get(name);
  }

  has(name: string): boolean {
    return this.#tools.has(name);
  }

  list(): AnyTool[] {
    return [...this.#tools.values()];
  }

  get size(): number {
    return this.#tools.size;
  }

  /** The tools as the model sees them. */
  specs(flavour?: JsonSchemaFlavour): ToolSpec[] {
    return this.list().map((tool) => tool.toSpec(flavour));
  }

  /** Runs a tool by name; an unknown name is a model-readable `tool-not-found` outcome. */
  async execute(name: string, rawArguments: unknown, options: ExecuteToolOptions): Promise<ToolOutcome> {
    const tool = this.#tools.get(name);
    if (tool !== undefined) return executeTool(tool, rawArguments, options);
    const error = new AgenticGenError(
      'tool-not-found',
      `[tools] no tool named "${name}"; available: ${[...this.#tools.keys()].join(', ') || '(none)'}`,
    );
    return { ok: false, error: { code: error.code, message: error.message }, cause: error.toJSON(), durationMs: 0 };
  }
}
