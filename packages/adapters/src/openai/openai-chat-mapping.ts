import {
  type ChatRequest,
  type ChatResponse,
  type ChatStreamPart,
  type FinishReason,
  type ToolCallPart,
  toJsonSchema,
} from '@agenticgen/core';
import type OpenAI from 'openai';
import { AnswerParts } from '../shared/answer-parts.js';
import { parseArguments, usageOf } from '../shared/chat-model-runtime.js';
import { resolvedImageUrl, toolOutputText } from '../shared/content.js';
import type { StreamMapper } from '../shared/managed-stream.js';
import { type UserPartWriter, userParts } from '../shared/message-parts.js';
import { toolInputAsArgumentsText } from '../shared/tool-call-input.js';

/** Differences between OpenAI itself and OpenAI-compatible servers (Ollama, vLLM, llama.cpp, LM Studio). */
export interface ChatCompletionsDialect {
  /** Provider name, used for `providerOptions` lookup and errors. */
  provider: string;
  /** `max_completion_tokens` (OpenAI) or the older `max_tokens` most compatible servers know. */
  maxTokensField: 'max_completion_tokens' | 'max_tokens';
  /** Convert schemas to OpenAI strict mode for structured output. */
  strictJsonSchema: boolean;
}

type Body = Record<string, unknown>;

const chatUserPart: UserPartWriter<Body> = {
  text: (text) => ({ type: 'text', text }),
  image: (image) => ({ type: 'image_url', image_url: { url: resolvedImageUrl(image) } }),
};

export function toChatCompletionsBody(modelId: string, request: ChatRequest, dialect: ChatCompletionsDialect): Body {
  const scope = `adapters:${dialect.provider}`;
  const messages: Body[] = [];
  for (const message of request.messages) {
    switch (message.role) {
      case 'system':
        messages.push({ role: 'system', content: message.content });
        break;
      case 'user':
        messages.push({
          role: 'user',
          content:
            typeof message.content === 'string' ? message.content : userParts(message.content, scope, chatUserPart),
        });
        break;
      case 'assistant': {
        if (typeof message.content === 'string') {
          messages.push({ role: 'assistant', content: message.content });
          break;
        }
        const text = message.content.flatMap((part) => (part.type === 'text' ? [part.text] : [])).join('');
        const calls = message.content.filter((part): part is ToolCallPart => part.type === 'tool-call');
        const assistant: Body = { role: 'assistant', content: text === '' && calls.length > 0 ? null : text };
        if (calls.length > 0) {
          assistant.tool_calls = calls.map((call) => ({
            id: call.toolCallId,
            type: 'function',
            function: { name: call.toolName, arguments: toolInputAsArgumentsText(call.input) },
          }));
        }
        messages.push(assistant);
        break;
      }
      case 'tool':
        for (const result of message.content) {
          messages.push({ role: 'tool', tool_call_id: result.toolCallId, content: toolOutputText(result.output) });
        }
        break;
    }
  }
  const body: Body = { model: modelId, messages };
  if (request.tools !== undefined && request.tools.length > 0) {
    body.tools = request.tools.map((tool) => ({
      type: 'function',
      function: {
        name: tool.name,
        description: tool.description,
        parameters: tool.strict === true ? toJsonSchema(tool.parameters, 'openai-strict') : tool.parameters,
        ...(tool.strict === true ? { strict: true } : {}),
      },
    }));
    if (request.parallelToolCalls !== undefined) body.parallel_tool_calls = request.parallelToolCalls;
  }
  if (request.toolChoice !== undefined) {
    body.tool_choice =
      typeof request.toolChoice === 'string'
        ? request.toolChoice
        : { type: 'function', function: { name: request.toolChoice.toolName } };
  }
  const format = request.responseFormat;
  if (format?.type === 'json') {
    body.response_format =
      format.schema === undefined
        ? { type: 'json_object' }
        : {
            type: 'json_schema',
            json_schema: {
              name: format.name ?? 'response',
              ...(format.description === undefined ? {} : { description: format.description }),
              schema: dialect.strictJsonSchema ? toJsonSchema(format.schema, 'openai-strict') : format.schema,
              strict: dialect.strictJsonSchema,
            },
          };
  }
  if (request.temperature !== undefined) body.temperature = request.temperature;
  if (request.topP !== undefined) body.top_p = request.topP;
  if (request.maxOutputTokens !== undefined) body[dialect.maxTokensField] = request.maxOutputTokens;
  if (request.stopSequences !== undefined) body.stop = request.stopSequences;
  if (request.seed !== undefined) body.seed = request.seed;
  Object.assign(body, request.providerOptions?.[dialect.provider]);
  return body;
}

export function finishReasonOf(reason: string | null | undefined): FinishReason {
  switch (reason) {
    case 'stop':
      return 'stop';
    case 'length':
      return 'length';
    case 'tool_calls':
    case 'function_call':
      return 'tool-calls';
    case 'content_filter':
      return 'content-filter';
    default:
      return 'other';
  }
}

function usageFrom(usage: OpenAI.CompletionUsage | null | undefined): ChatResponse['usage'] {
  return usageOf(usage?.prompt_tokens, usage?.completion_tokens, {
    total: usage?.total_tokens,
    reasoning: usage?.completion_tokens_details?.reasoning_tokens,
    cached: usage?.prompt_tokens_details?.cached_tokens,
  });
}

/** Compatible servers (vLLM, DeepSeek, llama.cpp) put reasoning in `reasoning_content` or `reasoning`. */
function reasoningOf(value: object | null | undefined): string | undefined {
  const record = (value ?? {}) as Record<string, unknown>;
  const text = record.reasoning_content ?? record.reasoning;
  return typeof text === 'string' && text !== '' ? text : undefined;
}

export function fromChatCompletion(completion: OpenAI.ChatCompletion): ChatResponse {
  const choice = Array.isArray(completion?.choices) ? completion.choices[0] : undefined;
  if (typeof choice?.message !== 'object' || choice.message === null) {
    throw new TypeError('the completion has no choice with a message');
  }
  const parts = new AnswerParts();
  const reasoning = reasoningOf(choice.message);
  if (reasoning !== undefined) parts.addReasoning({ type: 'reasoning', text: reasoning });
  const text = choice.message.content ?? '';
  if (text !== '') parts.addText(text);
  for (const call of choice.message.tool_calls ?? []) {
    if (call.type === 'function')
      parts.addToolCall(call.id, call.function.name, parseArguments(call.function.arguments));
  }
  // A structured-output refusal comes as `message.refusal` with finish_reason `stop`: it is a content filter.
  const refusal =
    typeof choice.message.refusal === 'string' && choice.message.refusal !== '' ? choice.message.refusal : undefined;
  return parts.answer({
    finishReason: refusal === undefined ? finishReasonOf(choice.finish_reason) : 'content-filter',
    usage: usageFrom(completion.usage),
    modelId: completion.model,
    providerMetadata: refusal === undefined ? { id: completion.id } : { id: completion.id, refusal },
  });
}

/** Maps Chat Completions chunks onto stream parts; tool calls are keyed by their `index`. */
export class ChatCompletionChunkMapper implements StreamMapper<OpenAI.ChatCompletionChunk> {
  private readonly calls = new Map<number, { id: string; name: string; arguments: string }>();
  private finishReason: FinishReason | undefined;
  private usage: ChatResponse['usage'] | undefined;
  private started = false;
  private id: string | undefined;
  /** Refusal text streamed in `delta.refusal` (structured outputs), reported on the finish part. */
  private refusal = '';

  push(chunk: OpenAI.ChatCompletionChunk, out: ChatStreamPart[]): void {
    // Some compatible servers leave `choices` out of usage-only chunks; a `choices` that is not a list is unreadable.
    if (chunk?.choices != null && !Array.isArray(chunk.choices)) {
      throw new TypeError('the chunk has a choices field that is not a list');
    }
    if (!this.started) {
      this.started = true;
      this.id = chunk.id;
      out.push({ type: 'response-start', modelId: chunk.model, ...(chunk.id ? { id: chunk.id } : {}) });
    }
    if (chunk.usage) this.usage = usageFrom(chunk.usage);
    const choice = chunk.choices?.[0];
    if (choice === undefined) return;
    const delta = choice.delta;
    const reasoning = reasoningOf(delta);
    if (reasoning !== undefined) out.push({ type: 'reasoning-delta', delta: reasoning });
    if (typeof delta?.content === 'string' && delta.content !== '')
      out.push({ type: 'text-delta', delta: delta.content });
    if (typeof delta?.refusal === 'string') this.refusal += delta.refusal;
    if (delta?.tool_calls !== undefined) {
      for (const callDelta of delta.tool_calls) {
        let call = this.calls.get(callDelta.index);
        if (call === undefined) {
          call = { id: callDelta.id ?? `call_${callDelta.index}`, name: callDelta.function?.name ?? '', arguments: '' };
          this.calls.set(callDelta.index, call);
          out.push({ type: 'tool-call-start', toolCallId: call.id, toolName: call.name });
        }
        const argumentsDelta = callDelta.function?.arguments;
        if (argumentsDelta) {
          call.arguments += argumentsDelta;
          out.push({ type: 'tool-call-delta', toolCallId: call.id, argumentsDelta });
        }
      }
    }
    if (choice.finish_reason) this.finishReason = finishReasonOf(choice.finish_reason);
  }

  end(out: ChatStreamPart[]): void {
    const finishReason = this.finishReason;
    if (finishReason === undefined) return; // cut stream: the caller reports it
    for (const call of this.calls.values()) {
      out.push({
        type: 'tool-call-end',
        toolCallId: call.id,
        toolName: call.name,
        input: parseArguments(call.arguments),
      });
    }
    const usage = this.usage ?? usageOf(0, 0);
    if (this.usage !== undefined) out.push({ type: 'usage', usage });
    const metadata: Record<string, unknown> = {};
    if (this.id) metadata.id = this.id;
    if (this.refusal !== '') metadata.refusal = this.refusal;
    out.push({
      type: 'finish',
      finishReason: this.refusal === '' ? finishReason : 'content-filter',
      usage,
      ...(Object.keys(metadata).length > 0 ? { providerMetadata: metadata } : {}),
    });
  }
}
