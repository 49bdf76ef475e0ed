import { SpanKind } from '@opentelemetry/api';
import { AgenticGenError } from '../errors/agenticgen-error.js';
import { definedAttributes, getTracer, markSpanFailed } from '../telemetry/with-span.js';
import type { ToolOutcome } from '../tools/execute-tool.js';
import type { Runtime, RuntimeToolCall } from './runtime.js';

/**
 * One tool call through a runtime: hooks, events, and an `execute_tool {name}` span per the OpenTelemetry
 * GenAI conventions (`gen_ai.operation.name`, `gen_ai.tool.name`, `gen_ai.tool.call.id`, `gen_ai.tool.type`;
 * a failed outcome sets status ERROR and `error.type` to the AgenticGen error code).
 */
export async function callToolThroughRuntime(runtime: Runtime, call: RuntimeToolCall): Promise<ToolOutcome> {
  const scoped = definedFields({ runId: call.runId, agentName: call.agentName });
  const before = await runtime.hooks.run('beforeToolCall', {
    ...scoped,
    toolName: call.toolName,
    toolCallId: call.toolCallId,
    arguments: call.arguments,
  });
  runtime.events.emit('tool-call-start', {
    ...scoped,
    toolCallId: call.toolCallId,
    toolName: call.toolName,
    arguments: before.arguments,
    timestamp: Date.now(),
  });
  const tool = runtime.tools.get(call.toolName);
  const span = getTracer().startSpan(`execute_tool ${call.toolName}`, {
    kind: SpanKind.INTERNAL,
    attributes: definedAttributes({
      'gen_ai.operation.name': 'execute_tool',
      'gen_ai.tool.name': call.toolName,
      'gen_ai.tool.call.id': call.toolCallId,
      'gen_ai.tool.type': 'function',
      'gen_ai.tool.description': tool?.description,
      'gen_ai.agent.name': call.agentName,
    }),
  });
  // Disposal of the runtime cancels calls in flight.
  const outcome = await runtime.tools.execute(call.toolName, before.arguments, {
    toolCallId: call.toolCallId,
    signal: anySignal(runtime.signal, call.signal),
    ...definedFields({ timeoutMs: call.timeoutMs, values: call.values }),
  });
  if (outcome.ok) span.end();
  else {
    markSpanFailed(span, AgenticGenError.fromJSON(outcome.cause), outcome.error.code);
    span.end();
  }
  runtime.events.emit('tool-call-finish', {
    ...scoped,
    toolCallId: call.toolCallId,
    toolName: call.toolName,
    status: outcome.ok ? 'success' : cancelled.has(outcome.error.code) ? 'aborted' : 'error',
    durationMs: outcome.durationMs,
    ...(outcome.ok ? {} : { errorCode: outcome.error.code }),
    timestamp: Date.now(),
  });
  // Plugins are going away: their hooks must not run against released resources.
  if (runtime.disposed) return outcome;
  const after = await runtime.hooks.run('afterToolCall', {
    ...scoped,
    toolName: call.toolName,
    toolCallId: call.toolCallId,
    arguments: before.arguments,
    outcome,
  });
  return after.outcome;
}

/** Codes that mean the call was cancelled rather than failed. */
const cancelled: ReadonlySet<string> = new Set(['aborted', 'disposed']);

function anySignal(first: AbortSignal, second: AbortSignal | undefined): AbortSignal {
  return second === undefined ? first : AbortSignal.any([first, second]);
}

/** Copies the fields that are not undefined (exactOptionalPropertyTypes forbids explicit undefined). */
function definedFields<T extends Record<string, unknown>>(values: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  const result: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(values)) if (value !== undefined) result[key] = value;
  return result as { [K in keyof T]?: Exclude<T[K], undefined> };
}
