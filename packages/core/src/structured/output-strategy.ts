import type { JsonSchema } from '../contracts/chat-model.js';
import { AgenticGenError } from '../errors/agenticgen-error.js';
import type { ValidationResult } from '../schema/validator.js';
import { dropNullOptionals } from '../tools/drop-null-optionals.js';
import { type AnySchema, type ResolvedSchema, resolveSchema } from './output-schema.js';

/** What the model is asked to produce. */
export type OutputKind = 'object' | 'array' | 'enum' | 'no-schema';

/**
 * How one kind of output is asked for and read back. Providers want an object at the root of a structured
 * answer, so arrays travel as `{ elements: [...] }` and enum values as `{ result: "..." }`; the strategy
 * wraps the schema on the way out and unwraps the value on the way back.
 */
export interface OutputStrategy<T> {
  readonly kind: OutputKind;
  /** JSON Schema for the provider; `undefined` asks for any JSON object. */
  readonly jsonSchema: JsonSchema | undefined;
  /** Unwraps and validates the parsed answer. */
  finalize(parsed: unknown): Promise<ValidationResult<T>>;
  /** Unwraps a deep-partial snapshot for partial streams. */
  partial(snapshot: unknown): unknown;
  /** Parser depth of streamed array elements (array output only). */
  readonly elementDepth?: number;
  /** Validates one streamed element (array output only). */
  validateElement?(value: unknown): Promise<ValidationResult<unknown>>;
}

export interface OutputStrategyOptions {
  kind: OutputKind;
  schema?: AnySchema;
  enumValues?: readonly string[];
  jsonSchema?: JsonSchema;
  scope: string;
}

export function createOutputStrategy<T>(options: OutputStrategyOptions): OutputStrategy<T> {
  const { kind, scope } = options;
  switch (kind) {
    case 'object': {
      const resolved = requireSchema(options);
      if (resolved.jsonSchema.type !== undefined && resolved.jsonSchema.type !== 'object') {
        throw new AgenticGenError(
          'invalid-argument',
          `[${scope}] output "object" needs an object schema (the root of a structured answer is an object); use output "array" or "enum" for other shapes`,
        );
      }
      return {
        kind,
        jsonSchema: resolved.jsonSchema,
        // OpenAI strict mode makes optional properties required and nullable, so "not given" arrives as null.
        finalize: async (parsed) =>
          (await resolved.validate(dropNullOptionals(resolved.jsonSchema, parsed))) as ValidationResult<T>,
        partial: (snapshot) => snapshot,
      };
    }
    case 'array': {
      const element = requireSchema(options);
      const validateArray = async (parsed: unknown): Promise<ValidationResult<T>> => {
        const elements = (parsed as { elements?: unknown } | null)?.elements;
        if (!Array.isArray(elements)) {
          return { ok: false, issues: [{ path: '/elements', expected: 'Expected array', received: typeof elements }] };
        }
        const values: unknown[] = [];
        for (let index = 0; index < elements.length; index++) {
          const result = await element.validate(dropNullOptionals(element.jsonSchema, elements[index]));
          if (!result.ok) {
            return {
              ok: false,
              issues: result.issues.map((issue) => ({ ...issue, path: `/elements/${index}${issue.path}` })),
            };
          }
          values.push(result.value);
        }
        return { ok: true, value: values as T };
      };
      return {
        kind,
        jsonSchema: {
          type: 'object',
          properties: { elements: { type: 'array', items: element.jsonSchema } },
          required: ['elements'],
          additionalProperties: false,
        },
        finalize: validateArray,
        partial: (snapshot) => (snapshot as { elements?: unknown } | undefined)?.elements,
        elementDepth: 2,
        validateElement: async (value) => element.validate(dropNullOptionals(element.jsonSchema, value)),
      };
    }
    case 'enum': {
      const values = options.enumValues;
      if (values === undefined || values.length === 0 || !values.every((value) => typeof value === 'string')) {
        throw new AgenticGenError(
          'invalid-argument',
          `[${scope}] output "enum" needs a non-empty list of strings in enum`,
        );
      }
      return {
        kind,
        jsonSchema: {
          type: 'object',
          properties: { result: { type: 'string', enum: [...values] } },
          required: ['result'],
          additionalProperties: false,
        },
        async finalize(parsed) {
          const result = (parsed as { result?: unknown } | null)?.result;
          if (typeof result === 'string' && values.includes(result)) return { ok: true, value: result as T };
          return {
            ok: false,
            issues: [
              {
                path: '/result',
                expected: `one of ${values.map((value) => JSON.stringify(value)).join(', ')}`,
                received: result,
              },
            ],
          };
        },
        // A value in progress is no enum value yet.
        partial: () => undefined,
      };
    }
    case 'no-schema':
      return {
        kind,
        jsonSchema: undefined,
        finalize: async (parsed) => ({ ok: true, value: parsed as T }),
        partial: (snapshot) => snapshot,
      };
    default:
      throw new AgenticGenError(
        'invalid-argument',
        `[${scope}] unknown output ${JSON.stringify(String(kind).slice(0, 40))}: use object, array, enum or no-schema`,
      );
  }
}

function requireSchema(options: OutputStrategyOptions): ResolvedSchema<unknown> {
  if (options.schema === undefined) {
    throw new AgenticGenError('invalid-argument', `[${options.scope}] output "${options.kind}" needs a schema`);
  }
  const resolveOptions: Parameters<typeof resolveSchema>[1] = { scope: options.scope };
  if (options.jsonSchema !== undefined) resolveOptions.jsonSchema = options.jsonSchema;
  return resolveSchema(options.schema, resolveOptions) as ResolvedSchema<unknown>;
}
