import type { Static, TSchema } from '@sinclair/typebox';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { Errors } from '@sinclair/typebox/errors';
// Named imports, not the `Value` namespace: bundlers then keep only these four functions (≈6 KB min+gzip less).
import { Check, Clone, Default } from '@sinclair/typebox/value';
import { AgenticGenError, type ErrorCode } from '../errors/agenticgen-error.js';

/** One validation problem, readable by people and by models. */
export interface ValidationIssue {
  /** JSON pointer of the offending value, `''` for the root (e.g. `/options/limit`). */
  path: string;
  /** What was expected, e.g. `Expected number`. */
  expected: string;
  /** The value found there (truncated when large). */
  received: unknown;
}

export type ValidationResult<T> = { ok: true; value: T } | { ok: false; issues: ValidationIssue[] };

/** A compiled validator for one schema. */
export interface Validator<T> {
  /** The schema. */
  readonly schema: TSchema;
  /** `compiled` (generated code) or `interpreted` (TypeBox's interpreter, e.g. under a strict CSP). */
  readonly mode: 'compiled' | 'interpreted';
  /** Validates `input` after filling defaults; never throws. */
  validate(input: unknown): ValidationResult<T>;
  /** Validates and returns the value, or throws an AgenticGenError listing every issue. */
  parse(input: unknown, context: { scope: string; code?: ErrorCode; what?: string }): T;
}

export interface CompileSchemaOptions {
  /**
   * `auto` (default): generate code, fall back to the interpreter where code generation is forbidden;
   * `interpreted`: never generate code (for pages with a strict CSP, to skip the failed attempt).
   */
  mode?: 'auto' | 'interpreted';
}

const maxIssues = 20;

/**
 * Compiles a TypeBox schema. Compilation generates code; where a Content-Security-Policy forbids that
 * (strict pages, the sandbox iframe), it falls back to TypeBox's interpreter, which is slower but equal.
 */
export function compileSchema<S extends TSchema>(schema: S, options: CompileSchemaOptions = {}): Validator<Static<S>> {
  let check: (value: unknown) => boolean = (value) => Check(schema, value);
  let errors: (value: unknown) => Iterable<{ path: string; message: string; value: unknown }> = (value) =>
    Errors(schema, value);
  let mode: Validator<Static<S>>['mode'] = 'interpreted';
  if (options.mode !== 'interpreted') {
    try {
      const compiled = TypeCompiler.Compile(schema);
      check = (value) => compiled.Check(value);
      errors = (value) => compiled.Errors(value);
      mode = 'compiled';
    } catch (error) {
      // Only a refused code generation (CSP: EvalError) falls back; a malformed schema must still fail loudly.
      if (!(error instanceof EvalError)) {
        throw new AgenticGenError(
          'invalid-argument',
          `[schema] cannot compile the schema: ${error instanceof Error ? error.message : String(error)}; build it with TypeBox's Type.* functions`,
          { cause: error },
        );
      }
    }
  }

  const hasDefaults = JSON.stringify(schema).includes('"default":');
  const validate = (input: unknown): ValidationResult<Static<S>> => {
    // Filling defaults needs a private copy; schemas without defaults skip both (the common hot path).
    const value = hasDefaults && input !== null && typeof input === 'object' ? Default(schema, Clone(input)) : input;
    if (check(value)) return { ok: true, value: value as Static<S> };
    const issues: ValidationIssue[] = [];
    const missing = new Set<string>();
    for (const error of errors(value)) {
      // TypeBox reports a missing property twice ("required property", then "Expected string"): keep one.
      if (error.value === undefined) {
        if (missing.has(error.path)) continue;
        missing.add(error.path);
      }
      issues.push({ path: error.path, expected: error.message, received: summarize(error.value) });
      if (issues.length >= maxIssues) break;
    }
    return { ok: false, issues };
  };

  return {
    schema,
    mode,
    validate,
    parse(input, context) {
      const result = validate(input);
      if (result.ok) return result.value;
      throw new AgenticGenError(
        context.code ?? 'validation-failed',
        `[${context.scope}] invalid ${context.what ?? 'value'}: ${formatIssues(result.issues)}`,
        { data: { issues: result.issues } },
      );
    },
  };
}

/** `at /a/b: Expected number, received "x"; …` */
export function formatIssues(issues: readonly ValidationIssue[]): string {
  return issues
    .map(
      (issue) =>
        `at ${issue.path === '' ? '(root)' : issue.path}: ${issue.expected}, received ${describe(issue.received)}`,
    )
    .join('; ');
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

function summarize(value: unknown): unknown {
  if (typeof value === 'string' && value.length > 200) return `${value.slice(0, 200)}…`;
  if (value !== null && typeof value === 'object') {
    const text = describe(value);
    return text.length > 200 ? `${text.slice(0, 200)}…` : value;
  }
  return value;
}
