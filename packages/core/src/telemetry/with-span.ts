import {
  type Attributes,
  type AttributeValue,
  type Context,
  context,
  type Span,
  SpanKind,
  SpanStatusCode,
  type Tracer,
  trace,
} from '@opentelemetry/api';
import { AgenticGenError } from '../errors/agenticgen-error.js';

/** The instrumentation scope of every AgenticGen span. */
export const tracerName = '@agenticgen/core';

/** The tracer AgenticGen uses; a no-op tracer until the app registers an OpenTelemetry SDK. */
export function getTracer(): Tracer {
  // Looked up per call: the app may register its provider after this module loaded.
  return trace.getTracer(tracerName);
}

/** Attribute values as callers have them: `undefined` entries are dropped (OTel rejects them). */
export type SpanAttributes = Readonly<Record<string, AttributeValue | undefined>>;

export interface WithSpanOptions {
  /** Span kind (default `INTERNAL`; use `CLIENT` for calls to a model provider). */
  kind?: SpanKind;
  /** Parent context; default: the active context. */
  parent?: Context;
  /** Tracer to use (default: the registered provider's tracer named `tracerName`, looked up per call). */
  tracer?: Tracer;
}

/**
 * Runs `fn` inside a span named `name` (e.g. `invoke_agent support`, `chat gpt-4.1-mini`) that is the active
 * span for `fn`. When `fn` throws, the span gets status ERROR, the exception, and `error.type` (the
 * AgenticGen error code, else the error's class name), and the error is rethrown unchanged.
 */
export async function withSpan<T>(
  name: string,
  attributes: SpanAttributes,
  fn: (span: Span) => Promise<T> | T,
  options: WithSpanOptions = {},
): Promise<T> {
  const tracer = options.tracer ?? getTracer();
  const parent = options.parent ?? context.active();
  const span = tracer.startSpan(
    name,
    { kind: options.kind ?? SpanKind.INTERNAL, attributes: definedAttributes(attributes) },
    parent,
  );
  try {
    return await context.with(trace.setSpan(parent, span), () => fn(span));
  } catch (error) {
    markSpanFailed(span, error);
    throw error;
  } finally {
    span.end();
  }
}

/** Sets status ERROR, `error.type` and records the exception (no-op for non-recording spans). */
export function markSpanFailed(span: Span, error: unknown, errorType = errorTypeOf(error)): void {
  span.setAttribute('error.type', errorType);
  span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
  if (error instanceof Error) span.recordException(error);
}

/** Low-cardinality error identifier for `error.type`: the AgenticGen code, the class name, or `_OTHER`. */
export function errorTypeOf(error: unknown): string {
  if (AgenticGenError.isInstance(error)) return error.code;
  if (error instanceof Error && error.name !== '') return error.name;
  return '_OTHER';
}

/** Drops `undefined` values. */
export function definedAttributes(values: SpanAttributes): Attributes {
  const attributes: Attributes = {};
  for (const [key, value] of Object.entries(values)) if (value !== undefined) attributes[key] = value;
  return attributes;
}
