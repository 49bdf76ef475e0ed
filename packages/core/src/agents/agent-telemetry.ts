import { type Attributes, type Context, context, type Span, SpanStatusCode, trace } from '@opentelemetry/api';
import { AgenticGenError } from '../errors/agenticgen-error.js';

/**
 * Spans of an agent run, named and attributed after the OpenTelemetry GenAI semantic conventions
 * (`invoke_agent {agent}`, `chat {model}`, `execute_tool {tool}`). Without a registered tracer provider the
 * API hands out no-op spans, so this costs almost nothing unless the host enables tracing.
 */
const tracer = () => trace.getTracer('@agenticgen/core');

export interface SpanHandle {
  /** The span. */
  readonly span: Span;
  /** Context whose active span is this one, to parent child spans. */
  readonly context: Context;
  /** Ends the span as successful, with extra attributes. */
  end(attributes?: Attributes): void;
  /** Records the error (its code as `error.type`) and ends the span. */
  fail(error: unknown, attributes?: Attributes): void;
}

export function startSpan(name: string, attributes: Attributes, parent: Context | undefined): SpanHandle {
  const parentContext = parent ?? context.active();
  const span = tracer().startSpan(name, { attributes }, parentContext);
  let ended = false;
  return {
    span,
    context: trace.setSpan(parentContext, span),
    end(extra) {
      if (ended) return;
      ended = true;
      if (extra !== undefined) span.setAttributes(extra);
      span.end();
    },
    fail(error, extra) {
      if (ended) return;
      ended = true;
      if (extra !== undefined) span.setAttributes(extra);
      const code = AgenticGenError.isInstance(error) ? error.code : 'internal';
      span.setAttribute('error.type', code);
      span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
      if (error instanceof Error) span.recordException(error);
      span.end();
    },
  };
}

/** Drops undefined values (OTel attributes may not be undefined). */
export function definedAttributes(
  values: Record<string, string | number | boolean | string[] | undefined>,
): Attributes {
  const attributes: Attributes = {};
  for (const [key, value] of Object.entries(values)) if (value !== undefined) attributes[key] = value;
  return attributes;
}
