import { type Context, context, type Span, SpanKind, trace } from '@opentelemetry/api';
import type { ChatModel, ChatRequest, ChatResponse, ChatStreamPart } from '../contracts/chat-model.js';
import { AgenticGenError, toAgenticGenError } from '../errors/agenticgen-error.js';
import type { ModelCallFinishEvent } from '../events/runtime-events.js';
import { ChatStreamFolder } from '../models/collect-stream.js';
import { definedAttributes, getTracer, markSpanFailed } from '../telemetry/with-span.js';
import type { Runtime, RuntimeModelCall } from './runtime.js';

let callCounter = 0;

/**
 * What a model call needs from its runtime. A plugin runtime is one; an agent created without a runtime gets a
 * bare one (`createBareRuntime`), so every agent model call takes this single path.
 */
export type ModelCallHost = Pick<Runtime, 'id' | 'events' | 'hooks' | 'models' | 'signal' | 'disposed'>;

/** What one model call through the runtime shares between its start, success and failure. */
interface CallScope {
  model: ChatModel;
  request: ChatRequest;
  callId: string;
  common: { runId?: string; agentName?: string };
  span: Span;
  /** Context whose active span is the `chat` span: the model's own spans nest under it. */
  spanContext: Context;
  started: number;
}

/**
 * `runtime.generate`: `beforeModelCall` hooks (which may replace the request), `model-call-start`, a
 * `chat {model}` CLIENT span per the OpenTelemetry GenAI conventions, `model-call-finish` with usage and
 * latency, `afterModelCall` hooks (which may replace the response).
 */
export async function generateThroughRuntime(runtime: ModelCallHost, call: RuntimeModelCall): Promise<ChatResponse> {
  const scope = await begin(runtime, call, false, undefined);
  let response: ChatResponse;
  try {
    const request = withRuntimeSignal(runtime, scope.request);
    response = await context.with(scope.spanContext, () => scope.model.generate(request));
  } catch (thrown) {
    return fail(runtime, scope, thrown, false);
  }
  return succeed(runtime, scope, response, false, undefined);
}

/**
 * `runtime.stream`: as `generate`, for streams; a consumer that stops early ends the call as `aborted`.
 * `parent` parents the `chat` span explicitly (agents pass their step span), which browsers need: they have
 * no async context manager to carry the active span across awaits.
 */
export async function* streamThroughRuntime(
  runtime: ModelCallHost,
  call: RuntimeModelCall,
  parent?: Context,
): AsyncGenerator<ChatStreamPart, void, undefined> {
  const scope = await begin(runtime, call, true, parent);
  // Folded as the parts pass, so the call's usage is known at the end without keeping every part.
  const folder = new ChatStreamFolder({ modelId: scope.model.modelId });
  let firstContentMs: number | undefined;
  let settled = false;
  try {
    const source = context.with(scope.spanContext, () => scope.model.stream(withRuntimeSignal(runtime, scope.request)));
    for await (const part of inContext(source, scope.spanContext)) {
      if (firstContentMs === undefined && isContent(part)) firstContentMs = performance.now() - scope.started;
      folder.add(part);
      yield part;
    }
    // A stream that ended without `finish` throws here, before settling: it is reported as a failed call.
    const response = folder.response();
    settled = true;
    await succeed(runtime, scope, response, true, firstContentMs);
  } catch (thrown) {
    if (settled) throw thrown;
    settled = true;
    await fail(runtime, scope, thrown, true);
  } finally {
    // Reached without settling only when the consumer broke out of the loop.
    if (!settled) {
      const error = new AgenticGenError('aborted', '[runtime] the consumer stopped reading the stream');
      await fail(runtime, scope, error, true).catch(() => undefined);
    }
  }
}

async function begin(
  runtime: ModelCallHost,
  call: RuntimeModelCall,
  streaming: boolean,
  parent: Context | undefined,
): Promise<CallScope> {
  const model = typeof call.model === 'string' ? runtime.models.require(call.model) : call.model;
  const common: CallScope['common'] = {};
  if (call.runId !== undefined) common.runId = call.runId;
  if (call.agentName !== undefined) common.agentName = call.agentName;
  const before = await runtime.hooks.run('beforeModelCall', { ...common, model, request: call.request });
  const request = before.request;
  const callId = `${runtime.id}:model-${++callCounter}`;
  runtime.events.emit('model-call-start', {
    ...common,
    callId,
    provider: model.provider,
    modelId: model.modelId,
    streaming,
    timestamp: Date.now(),
  });
  const parentContext = parent ?? context.active();
  const span = getTracer().startSpan(
    `chat ${model.modelId}`,
    {
      kind: SpanKind.CLIENT,
      attributes: definedAttributes({
        'gen_ai.operation.name': 'chat',
        'gen_ai.provider.name': model.provider,
        'gen_ai.request.model': model.modelId,
        'gen_ai.agent.name': call.agentName,
        'gen_ai.request.temperature': request.temperature,
        'gen_ai.request.top_p': request.topP,
        'gen_ai.request.max_tokens': request.maxOutputTokens,
        'gen_ai.request.seed': request.seed,
        'gen_ai.request.stop_sequences': request.stopSequences,
      }),
    },
    parentContext,
  );
  const spanContext = trace.setSpan(parentContext, span);
  return { model, request, callId, common, span, spanContext, started: performance.now() };
}

async function succeed(
  runtime: ModelCallHost,
  scope: CallScope,
  response: ChatResponse,
  streaming: boolean,
  timeToFirstTokenMs: number | undefined,
): Promise<ChatResponse> {
  const durationMs = performance.now() - scope.started;
  scope.span.setAttributes({
    'gen_ai.response.model': response.modelId,
    'gen_ai.response.finish_reasons': [response.finishReason],
    'gen_ai.usage.input_tokens': response.usage.inputTokens,
    'gen_ai.usage.output_tokens': response.usage.outputTokens,
  });
  scope.span.end();
  reportFailedAttempts(runtime, scope, response.providerMetadata?.fallbacks, streaming);
  const answeredBy = modelNamed(response.providerMetadata?.answeredBy) ?? scope.model;
  const event: ModelCallFinishEvent = {
    ...scope.common,
    callId: scope.callId,
    provider: answeredBy.provider,
    modelId: answeredBy.modelId,
    responseModelId: response.modelId,
    streaming,
    status: 'success',
    durationMs,
    usage: response.usage,
    finishReason: response.finishReason,
    timestamp: Date.now(),
  };
  if (timeToFirstTokenMs !== undefined) event.timeToFirstTokenMs = timeToFirstTokenMs;
  if (response.costUsd !== undefined) event.costUsd = response.costUsd;
  runtime.events.emit('model-call-finish', event);
  if (runtime.disposed) return response;
  const after = await runtime.hooks.run('afterModelCall', {
    ...scope.common,
    model: scope.model,
    request: scope.request,
    response,
    durationMs,
  });
  return after.response ?? response;
}

async function fail(runtime: ModelCallHost, scope: CallScope, thrown: unknown, streaming: boolean): Promise<never> {
  const error = toAgenticGenError(thrown, 'internal', `runtime model ${scope.model.modelId}`);
  const durationMs = performance.now() - scope.started;
  markSpanFailed(scope.span, error);
  scope.span.end();
  reportFailedAttempts(runtime, scope, error.data?.fallbacks, streaming);
  const failedModel = modelNamed(error.data?.failedModel) ?? scope.model;
  runtime.events.emit('model-call-finish', {
    ...scope.common,
    callId: scope.callId,
    provider: failedModel.provider,
    modelId: failedModel.modelId,
    streaming,
    status: error.code === 'aborted' || error.code === 'disposed' ? 'aborted' : 'error',
    durationMs,
    errorCode: error.code,
    timestamp: Date.now(),
  });
  if (!runtime.disposed) {
    await runtime.hooks.run('afterModelCall', {
      ...scope.common,
      model: scope.model,
      request: scope.request,
      error,
      durationMs,
    });
  }
  throw error;
}

const maxReportedAttempts = 32;

/** `{ provider, modelId }` when `value` names a model, else undefined. */
function modelNamed(value: unknown): { provider: string; modelId: string } | undefined {
  const record = value as { provider?: unknown; modelId?: unknown } | null | undefined;
  return typeof record?.provider === 'string' && typeof record.modelId === 'string'
    ? { provider: record.provider, modelId: record.modelId }
    : undefined;
}

/**
 * A model that routes to others (the adapters' model manager) lists the attempts that failed before the answer
 * (`providerMetadata.fallbacks`, or `data.fallbacks` of the final error). Each becomes a call of its own, with
 * a start and a finish, so metrics count every failure under the model that failed and stay balanced.
 */
function reportFailedAttempts(runtime: ModelCallHost, scope: CallScope, attempts: unknown, streaming: boolean): void {
  if (!Array.isArray(attempts)) return;
  // Metadata comes from the model: a fallback chain is short, so a long list is cut rather than replayed.
  attempts.slice(0, maxReportedAttempts).forEach((attempt: { code?: unknown; durationMs?: unknown }, index) => {
    const model = modelNamed(attempt);
    if (model === undefined) return;
    const callId = `${scope.callId}:attempt-${index + 1}`;
    const timestamp = Date.now();
    runtime.events.emit('model-call-start', { ...scope.common, callId, ...model, streaming, timestamp });
    runtime.events.emit('model-call-finish', {
      ...scope.common,
      callId,
      ...model,
      streaming,
      status: 'error',
      durationMs: typeof attempt.durationMs === 'number' ? attempt.durationMs : 0,
      errorCode: typeof attempt.code === 'string' ? attempt.code : 'internal',
      timestamp,
    });
  });
}

/** Disposal of the runtime cancels model calls in flight, as it does tool calls. */
function withRuntimeSignal(runtime: ModelCallHost, request: ChatRequest): ChatRequest {
  const signal = request.signal === undefined ? runtime.signal : AbortSignal.any([runtime.signal, request.signal]);
  return { ...request, signal };
}

function isContent(part: ChatStreamPart): boolean {
  return part.type === 'text-delta' || part.type === 'reasoning-delta' || part.type === 'tool-call-start';
}

/** Pulls each part with `active` as the active context, so spans the source opens nest under the call's span. */
async function* inContext<T>(iterable: AsyncIterable<T>, active: Context): AsyncGenerator<T> {
  const iterator = iterable[Symbol.asyncIterator]();
  let done = false;
  try {
    for (;;) {
      const next = await context.with(active, () => iterator.next());
      if (next.done) {
        done = true;
        return;
      }
      yield next.value;
    }
  } finally {
    if (!done) await iterator.return?.();
  }
}
