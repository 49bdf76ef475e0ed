import type { ChatResponse, FinishReason, Usage } from '../contracts/chat-model.js';
import { throwIfAborted } from '../errors/abort.js';
import { addUsage } from '../models/usage.js';
import type { AnySchema, InferSchema } from './output-schema.js';
import { createOutputStrategy, type OutputStrategy, type OutputStrategyOptions } from './output-strategy.js';
import {
  answerText,
  invalidOutputError,
  isRefusal,
  parseJsonAnswer,
  planStructuredRequest,
  refusalError,
  repairMessages,
  type StructuredCallOptions,
} from './structured-request.js';

/** `generateObject` for one object (the default output). */
export interface GenerateObjectOptions<S extends AnySchema> extends StructuredCallOptions {
  /** The object's schema: TypeBox or any Standard Schema (zod 4, valibot, arktype). */
  schema: S;
  /** `object` (default). */
  output?: 'object';
}

/** `generateObject` for a list: the schema describes one element. */
export interface GenerateArrayOptions<S extends AnySchema> extends StructuredCallOptions {
  /** The schema of one element. */
  schema: S;
  output: 'array';
}

/** `generateObject` choosing one of a few strings (classification). */
export interface GenerateEnumOptions<V extends string> extends StructuredCallOptions {
  output: 'enum';
  /** The allowed values. */
  enum: readonly V[];
}

/** `generateObject` for any JSON object, unvalidated. */
export interface GenerateJsonOptions extends StructuredCallOptions {
  output: 'no-schema';
}

/** What `generateObject` returns. */
export interface GenerateObjectResult<T> {
  /** The validated answer, typed from the schema. */
  object: T;
  /** Tokens of every call, repairs included. */
  usage: Usage;
  /** Why the last call stopped. */
  finishReason: FinishReason;
  /** The last model response as the adapter returned it. */
  raw: ChatResponse;
  /** Model calls made: 1, plus one per repair. */
  attempts: number;
}

type AnyGenerateOptions =
  | GenerateObjectOptions<AnySchema>
  | GenerateArrayOptions<AnySchema>
  | GenerateEnumOptions<string>
  | GenerateJsonOptions;

const scope = 'structured';

/**
 * Asks a model for structured data and validates it. The provider's native structured output is used where
 * it exists; an answer that does not validate is sent back with its errors (`maxOutputRepairs`, default 1), then
 * the call fails with `invalid-output` (carrying the text, the issues and the usage). A refusal is
 * `output-refused`.
 */
export function generateObject<S extends AnySchema>(
  options: GenerateObjectOptions<S>,
): Promise<GenerateObjectResult<InferSchema<S>>>;
export function generateObject<S extends AnySchema>(
  options: GenerateArrayOptions<S>,
): Promise<GenerateObjectResult<Array<InferSchema<S>>>>;
export function generateObject<V extends string>(options: GenerateEnumOptions<V>): Promise<GenerateObjectResult<V>>;
export function generateObject(options: GenerateJsonOptions): Promise<GenerateObjectResult<unknown>>;
export async function generateObject(options: AnyGenerateOptions): Promise<GenerateObjectResult<unknown>> {
  const strategy = strategyFor(options);
  const plan = planStructuredRequest(options, strategy, scope);
  const { maxRepairs } = plan;
  const messages = [...plan.request.messages];
  let usage: Usage = { inputTokens: 0, outputTokens: 0, totalTokens: 0 };
  for (let attempt = 1; ; attempt++) {
    throwIfAborted(options.signal, scope);
    const response = await options.model.generate({ ...plan.request, messages });
    usage = addUsage(usage, response.usage);
    const text = answerText(response, plan);
    if (isRefusal(response.finishReason, response))
      throw refusalError(scope, text, usage, response.providerMetadata?.refusal);
    const parsed = parseJsonAnswer(text);
    const checked = parsed.ok ? await strategy.finalize(parsed.value) : parsed;
    if (checked.ok) {
      return { object: checked.value, usage, finishReason: response.finishReason, raw: response, attempts: attempt };
    }
    // A cut answer would be cut again: only a complete but wrong answer is worth a repair.
    if (attempt > maxRepairs || response.finishReason === 'length') {
      throw invalidOutputError(scope, text, checked.issues, usage, attempt, response.finishReason);
    }
    messages.push(...repairMessages(plan, response, checked.issues));
  }
}

/** The output strategy of any of the option shapes above. */
export function strategyFor(options: AnyGenerateOptions): OutputStrategy<unknown> {
  const strategyOptions: OutputStrategyOptions = { kind: options.output ?? 'object', scope };
  if ('schema' in options) strategyOptions.schema = options.schema;
  if ('enum' in options) strategyOptions.enumValues = options.enum;
  if (options.jsonSchema !== undefined) strategyOptions.jsonSchema = options.jsonSchema;
  return createOutputStrategy(strategyOptions);
}

export type { AnyGenerateOptions };
