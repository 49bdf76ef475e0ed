import type { Static, TSchema } from '@sinclair/typebox';
import type { JsonSchema, ToolSpec } from '../contracts/chat-model.js';
import { AgenticGenError } from '../errors/agenticgen-error.js';
import type { ValidationResult } from '../schema/validator.js';
import { type AnySchema, type InferSchema, resolveSchema } from '../structured/output-schema.js';
import { type JsonSchemaFlavour, toJsonSchema } from './json-schema.js';

/** What a tool's `execute` receives besides its arguments. */
export interface ToolContext {
  /** Aborts when the run is cancelled or the tool's timeout fires. */
  signal: AbortSignal;
  /** The model's id for this call. */
  toolCallId: string;
  /** Free-form values the host passes down (user id, sandbox session, …). */
  values: Readonly<Record<string, unknown>>;
  /** In a durable run: `<runId>:<toolCallId>`, stable across a crash and resume; pass it to external APIs. */
  idempotencyKey?: string;
  /** In a durable run: waits for a payload from outside (see {@link suspend}, which is how tools call it). */
  suspend?: ToolSuspend;
}

/** What a tool asks for when it suspends its run. */
export interface ToolSuspendRequest<S extends TSchema> {
  /** Why the run waits, shown to whoever answers. */
  reason: string;
  /** The payload's schema (TypeBox); a resume with a payload that does not satisfy it is refused. */
  schema: S;
  /** Names the suspension within the call when a tool suspends more than once (default: its order, `1`, `2`, …). */
  id?: string;
}

/** `context.suspend` of a tool call in a durable run. */
export type ToolSuspend = <S extends TSchema>(request: ToolSuspendRequest<S>) => Promise<Static<S>>;

/**
 * Suspends the durable run this tool call belongs to until a payload arrives (human input, an external event):
 * the first time, the run stops with status `input-required` and the suspension is stored; when the run is
 * resumed with a payload (`durableAgent.resume(runId, { payloads })`, in any process), the tool runs again and
 * this call returns the validated payload. Code before it runs again on resume: put side effects after it, or
 * make them idempotent with `context.idempotencyKey`. Outside a durable run it throws `unsupported`.
 */
export function suspend<S extends TSchema>(context: ToolContext, request: ToolSuspendRequest<S>): Promise<Static<S>> {
  if (context.suspend === undefined) {
    throw new AgenticGenError(
      'unsupported',
      '[tools] suspend() needs a durable run: wrap the agent with createDurableAgent(agent, { store })',
    );
  }
  return context.suspend(request);
}

export interface ToolDefinition<S extends AnySchema, R> {
  /** Unique name, `^[a-zA-Z0-9_-]{1,64}$` (the providers' common rule). */
  name: string;
  /** What the tool does and when to use it; the model reads this. */
  description: string;
  /** Schema of the arguments object: TypeBox, or any Standard Schema with a JSON Schema (zod 4, valibot, arktype). */
  parameters: S;
  /** Runs the tool with validated arguments. Must honour `context.signal`. */
  execute(args: InferSchema<S>, context: ToolContext): Promise<R> | R;
  /** Time limit per call in milliseconds (default 60 s). */
  timeoutMs?: number;
  /** When true an agent suspends the run before calling it until a person approves. */
  needsApproval?: boolean;
  /** Ask providers to enforce the schema exactly (OpenAI strict mode). Default false. */
  strict?: boolean;
  /**
   * Default true. `false` tells a durable run that calling it twice is harmful: when a crash leaves its outcome
   * unknown, the run reports it for a decision instead of calling it again.
   */
  idempotent?: boolean;
  /**
   * Default false. `true` promises that `execute` itself rejects at `timeoutMs` (with a `timeout` error) and as
   * soon as `context.signal` aborts (with the abort error), as a protocol client that enforces both does (MCP
   * tools). `executeTool` then arms no timer of its own and does not race the call (one timer and one promise
   * per call fewer); it still gives `execute` a signal of its own, and a caller's `timeoutMs` override still
   * gets a timer. Called without a signal, `context.signal` is the shared `uncancellableSignal`: pass a signal on
   * only when `isCancellable(context.signal)`, never add a listener to that one.
   */
  enforcesLimits?: boolean;
}

/** Validates a tool's arguments; Standard Schema validators may be asynchronous, TypeBox ones never are. */
export interface ArgumentsValidator<T> {
  validate(input: unknown): ValidationResult<T> | Promise<ValidationResult<T>>;
}

/** The validator of TypeBox parameters: synchronous. */
export interface SyncArgumentsValidator<T> {
  validate(input: unknown): ValidationResult<T>;
}

/** A defined tool: the definition plus its compiled validator. */
export interface Tool<S extends AnySchema = TSchema, R = unknown> extends ToolDefinition<S, R> {
  /** Validates raw arguments from a model. */
  readonly validator: S extends TSchema ? SyncArgumentsValidator<InferSchema<S>> : ArgumentsValidator<InferSchema<S>>;
  /** The parameters as plain JSON Schema. */
  readonly jsonSchema: JsonSchema;
  /** The tool as the model sees it, in a provider flavour of JSON Schema. */
  toSpec(flavour?: JsonSchemaFlavour): ToolSpec;
}

// biome-ignore lint/suspicious/noExplicitAny: a heterogeneous tool list needs an open argument type.
export type AnyTool = Tool<any, unknown>;

const toolNamePattern = /^[a-zA-Z0-9_-]{1,64}$/;

export function defineTool<S extends AnySchema, R>(definition: ToolDefinition<S, R>): Tool<S, R> {
  if (!toolNamePattern.test(definition.name)) {
    throw new AgenticGenError(
      'invalid-argument',
      `[tools] invalid tool name ${JSON.stringify(definition.name)}: use 1–64 letters, digits, "_" or "-"`,
    );
  }
  const resolved = resolveSchema(definition.parameters, { scope: `tools ${definition.name}` });
  if (resolved.jsonSchema.type !== 'object') {
    throw new AgenticGenError(
      'invalid-argument',
      `[tools] tool "${definition.name}" parameters must be an object schema (Type.Object, z.object, …)`,
    );
  }
  if (definition.timeoutMs !== undefined && !(definition.timeoutMs > 0)) {
    throw new AgenticGenError('invalid-argument', `[tools] tool "${definition.name}" timeoutMs must be > 0`);
  }
  return {
    ...definition,
    // resolveSchema validates TypeBox synchronously, which the conditional type states.
    validator: resolved as unknown as Tool<S, R>['validator'],
    jsonSchema: resolved.jsonSchema,
    toSpec(flavour: JsonSchemaFlavour = definition.strict ? 'openai-strict' : 'json-schema') {
      const spec: ToolSpec = {
        name: definition.name,
        description: definition.description,
        parameters: toJsonSchema(resolved.jsonSchema, flavour),
      };
      if (definition.strict) spec.strict = true;
      return spec;
    },
  };
}
