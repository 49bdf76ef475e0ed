import { type Attributes, type Context, context, type Span, SpanKind, trace } from '@opentelemetry/api';
import { definedAttributes, getTracer, markSpanFailed, type SpanAttributes } from '../telemetry/with-span.js';

/**
 * Spans of an agent run, named and attributed after the OpenTelemetry GenAI semantic conventions
 * (`invoke_agent {agent}`, `chat {model}`, `execute_tool {tool}`). The parent is passed explicitly rather than
 * through the active context, so nesting is right in browsers too, where no async context manager exists.
 * Without a registered tracer provider the API hands out no-op spans, so this costs almost nothing.
 */
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

export function startSpan(
  name: string,
  attributes: SpanAttributes,
  parent: Context | undefined,
  kind: SpanKind = SpanKind.INTERNAL,
): SpanHandle {
  const parentContext = parent ?? context.active();
  const span = getTracer().startSpan(name, { kind, attributes: definedAttributes(attributes) }, parentContext);
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
      markSpanFailed(span, error);
      span.end();
    },
  };
}
