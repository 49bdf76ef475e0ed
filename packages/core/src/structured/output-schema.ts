import { Kind, type Static, type TSchema } from '@sinclair/typebox';
import type { StandardSchemaV1 } from '@standard-schema/spec';
import type { JsonSchema } from '../contracts/chat-model.js';
import { AgenticGenError } from '../errors/agenticgen-error.js';
import { compileSchema, type ValidationIssue, type ValidationResult } from '../schema/validator.js';
import { toJsonSchema } from '../tools/json-schema.js';

/**
 * A schema for structured data: a TypeBox schema, or any Standard Schema (zod 4, valibot, arktype, …).
 * TypeBox schemas are JSON Schema already; Standard Schemas give theirs through the Standard JSON Schema
 * interface (`~standard.jsonSchema`), which zod 4 and arktype implement and valibot gains with
 * `toStandardJsonSchema()` from `@valibot/to-json-schema`.
 */
export type AnySchema = TSchema | StandardSchemaV1;

/** The TypeScript type a schema describes (its output, after any transforms). */
export type InferSchema<S> = S extends TSchema
  ? Static<S>
  : S extends StandardSchemaV1
    ? StandardSchemaV1.InferOutput<S>
    : never;

/** A schema made usable: its JSON Schema for the provider and a validator for the answer. */
export interface ResolvedSchema<T> {
  /** JSON Schema (draft 2020-12) sent to the provider. */
  readonly jsonSchema: JsonSchema;
  /** Which library the schema comes from: `typebox`, or the Standard Schema vendor (`zod`, `valibot`, …). */
  readonly vendor: string;
  /** Validates a parsed value; Standard Schema validators may be asynchronous. */
  validate(value: unknown): ValidationResult<T> | Promise<ValidationResult<T>>;
}

export interface ResolveSchemaOptions {
  /** Scope for error messages, e.g. `structured`. */
  scope: string;
  /** The JSON Schema to send, when the library cannot produce one itself. */
  jsonSchema?: JsonSchema;
}

/** True for a Standard Schema (any library implementing `~standard`). */
export function isStandardSchema(value: unknown): value is StandardSchemaV1 {
  return (
    (typeof value === 'object' || typeof value === 'function') &&
    value !== null &&
    typeof (value as Partial<StandardSchemaV1>)['~standard']?.validate === 'function'
  );
}

/** True for a TypeBox schema. */
export function isTypeBoxSchema(value: unknown): value is TSchema {
  return typeof value === 'object' && value !== null && Kind in value;
}

/** Turns a TypeBox or Standard Schema into a JSON Schema and a validator. */
export function resolveSchema<S extends AnySchema>(
  schema: S,
  options: ResolveSchemaOptions,
): ResolvedSchema<InferSchema<S>> {
  if (isTypeBoxSchema(schema)) {
    const validator = compileSchema(schema);
    return {
      jsonSchema: options.jsonSchema ?? toJsonSchema(schema, 'json-schema'),
      vendor: 'typebox',
      validate: (value) => validator.validate(value) as ValidationResult<InferSchema<S>>,
    };
  }
  if (isStandardSchema(schema)) {
    const standard = schema['~standard'];
    return {
      jsonSchema: options.jsonSchema ?? standardJsonSchema(schema, options.scope),
      vendor: standard.vendor,
      validate(value) {
        const result = standard.validate(value);
        return result instanceof Promise
          ? result.then((settled) => fromStandardResult<InferSchema<S>>(settled, value))
          : fromStandardResult<InferSchema<S>>(result, value);
      },
    };
  }
  throw new AgenticGenError(
    'invalid-argument',
    `[${options.scope}] the schema is neither a TypeBox schema nor a Standard Schema: build it with Type.* from @agenticgen/core, or with zod 4, valibot or arktype`,
  );
}

interface StandardJsonSchemaProps {
  jsonSchema?: { input?: (options: { target: string }) => Record<string, unknown> };
}

/** The JSON Schema of a Standard Schema, from the Standard JSON Schema interface or the library's own method. */
function standardJsonSchema(schema: StandardSchemaV1, scope: string): JsonSchema {
  const standard = schema['~standard'] as StandardSchemaV1['~standard'] & StandardJsonSchemaProps;
  const vendor = standard.vendor;
  try {
    // The model writes the schema's input (what validation then reads, before transforms).
    const fromStandard = standard.jsonSchema?.input?.({ target: 'draft-2020-12' });
    if (fromStandard !== undefined) return withoutDialect(fromStandard);
    const own = schema as unknown as { toJsonSchema?: () => JsonSchema; toJSONSchema?: () => JsonSchema };
    if (vendor === 'arktype' && typeof own.toJsonSchema === 'function') return withoutDialect(own.toJsonSchema());
    if (vendor === 'zod' && typeof own.toJSONSchema === 'function') return withoutDialect(own.toJSONSchema());
  } catch (error) {
    throw new AgenticGenError(
      'unsupported',
      `[${scope}] ${vendor} could not convert the schema to JSON Schema (${error instanceof Error ? error.message.slice(0, 200) : 'unknown error'}): use types JSON Schema can describe (no transforms, functions or dates), or pass jsonSchema explicitly`,
      { cause: error },
    );
  }
  const fix =
    vendor === 'valibot'
      ? 'wrap it with toStandardJsonSchema() from @valibot/to-json-schema'
      : vendor === 'zod'
        ? 'use zod 4 (zod 3 has no JSON Schema conversion)'
        : 'pass jsonSchema explicitly';
  throw new AgenticGenError('unsupported', `[${scope}] cannot get a JSON Schema from this ${vendor} schema: ${fix}`, {
    data: { vendor },
  });
}

/** Drops `$schema`: some providers reject the dialect keyword. */
function withoutDialect(schema: Record<string, unknown>): JsonSchema {
  const { $schema: _dialect, ...rest } = schema;
  return rest;
}

function fromStandardResult<T>(result: StandardSchemaV1.Result<unknown>, input: unknown): ValidationResult<T> {
  if (result.issues === undefined) return { ok: true, value: result.value as T };
  const issues: ValidationIssue[] = result.issues.slice(0, 20).map((issue) => {
    const segments = (issue.path ?? []).map((segment) =>
      typeof segment === 'object' && segment !== null ? segment.key : segment,
    );
    return {
      path: segments.map((segment) => `/${String(segment)}`).join(''),
      expected: issue.message,
      received: summarize(valueAt(input, segments)),
    };
  });
  return { ok: false, issues };
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let current = input;
  for (const segment of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[segment];
  }
  return current;
}

/** Keeps issues small: long strings and large containers are cut. */
function summarize(value: unknown): unknown {
  if (typeof value === 'string') return value.length > 100 ? `${value.slice(0, 100)}…` : value;
  if (Array.isArray(value)) return `[array of ${value.length}]`;
  if (value !== null && typeof value === 'object') return '{object}';
  return value;
}
