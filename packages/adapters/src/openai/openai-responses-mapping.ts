import {
  AgenticGenError,
  type ChatRequest,
  type ChatResponse,
  type ChatStreamPart,
  type FinishReason,
  toJsonSchema,
} from '@agenticgen/core';
import type OpenAI from 'openai';
import { AnswerParts } from '../shared/answer-parts.js';
import { parseArguments, usageOf } from '../shared/chat-model-runtime.js';
import { resolvedImageUrl, toolOutputText } from '../shared/content.js';
import type { StreamMapper } from '../shared/managed-stream.js';
import { type UserPartWriter, userParts } from '../shared/message-parts.js';
import { toolInputAsArgumentsText } from '../shared/tool-call-input.js';

type Body = Record<string, unknown>;
const scope = 'adapters:openai';

const responsesUserPart: UserPartWriter<Body> = {
  text: (text) => ({ type: 'input_text', text }),
  image: (image) => ({ type: 'input_image', image_url: resolvedImageUrl(image), detail: 'auto' }),
};

/** Builds a Responses API request. System messages become `instructions`; tool results `function_call_output`. */
export function toResponsesBody(modelId: string, request: ChatRequest): Body {
  const instructions: string[] = [];
  const input: Body[] = [];
  for (const message of request.messages) {
    switch (message.role) {
      case 'system':
        instructions.push(message.content);
        break;
      case 'user':
        input.push({
          role: 'user',
          content:
            typeof message.content === 'string'
              ? message.content
              : userParts(message.content, scope, responsesUserPart),
        });
        break;
      case 'assistant':
        if (typeof message.content === 'string') {
          input.push({ role: 'assistant', content: message.content });
          break;
        }
        for (const part of message.content) {
          if (part.type === 'text' && part.text !== '') input.push({ role: 'assistant', content: part.text });
          if (part.type === 'tool-call') {
            input.push({
              type: 'function_call',
              call_id: part.toolCallId,
              name: part.toolName,
              arguments: toolInputAsArgumentsText(part.input),
            });
          }
        }
        break;
      case 'tool':
        for (const result of message.content) {
          input.push({
            type: 'function_call_output',
            call_id: result.toolCallId,
            output: toolOutputText(result.output),
          });
        }
        break;
    }
  }
  const body: Body = { model: modelId, input };
  if (instructions.length > 0) body.instructions = instructions.join('\n\n');
  if (request.tools !== undefined && request.tools.length > 0) {
    body.tools = request.tools.map((tool) => ({
      type: 'function',
      name: tool.name,
      description: tool.description,
      parameters: tool.strict === true ? toJsonSchema(tool.parameters, 'openai-strict') : tool.parameters,
      // The Responses API treats a missing `strict` as true, which rejects ordinary schemas.
      strict: tool.strict === true,
    }));
    if (request.parallelToolCalls !== undefined) body.parallel_tool_calls = request.parallelToolCalls;
  }
  if (request.toolChoice !== undefined) {
    body.tool_choice =
      typeof request.toolChoice === 'string'
        ? request.toolChoice
        : { type: 'function', name: request.toolChoice.toolName };
  }
  const format = request.responseFormat;
  if (format?.type === 'json') {
    body.text = {
      format:
        format.schema === undefined
          ? { type: 'json_object' }
          : {
              type: 'json_schema',
              name: format.name ?? 'response',
              ...(format.description === undefined ? {} : { description: format.description }),
              schema: toJsonSchema(format.schema, 'openai-strict'),
              strict: true,
            },
    };
  }
  if (request.temperature !== undefined) body.temperature = request.temperature;
  if (request.topP !== undefined) body.top_p = request.topP;
  if (request.maxOutputTokens !== undefined) body.max_output_tokens = request.maxOutputTokens;
  Object.assign(body, request.providerOptions?.openai);
  return body;
}

function usageFrom(usage: OpenAI.Responses.ResponseUsage | null | undefined): ChatResponse['usage'] {
  return usageOf(usage?.input_tokens, usage?.output_tokens, {
    total: usage?.total_tokens,
    reasoning: usage?.output_tokens_details?.reasoning_tokens,
    cached: usage?.input_tokens_details?.cached_tokens,
  });
}

function finishReasonOf(response: OpenAI.Responses.Response, hasToolCalls: boolean): FinishReason {
  if (response.status === 'incomplete') {
    const reason = response.incomplete_details?.reason;
    return reason === 'max_output_tokens' ? 'length' : reason === 'content_filter' ? 'content-filter' : 'other';
  }
  if (response.status === 'failed') return 'error';
  return hasToolCalls ? 'tool-calls' : 'stop';
}

/** A failed response as an error the shared mapping understands (code, message). */
function failure(response: OpenAI.Responses.Response): Error {
  const detail = response.error ?? { code: 'server_error', message: 'the response failed' };
  return Object.assign(new Error(detail.message), {
    error: { type: detail.code, code: detail.code, message: detail.message },
  });
}

export function fromResponse(response: OpenAI.Responses.Response): ChatResponse {
  if (response?.status === 'failed') throw failure(response);
  if (!Array.isArray(response?.output)) throw new TypeError('the response has no output list');
  const parts = new AnswerParts();
  let refusal = '';
  for (const item of response.output) {
    if (item.type === 'reasoning') {
      const summary = (item.summary ?? []).map((part) => part.text).join('');
      if (summary !== '') parts.addReasoning({ type: 'reasoning', text: summary });
    } else if (item.type === 'message') {
      for (const part of item.content) {
        if (part.type === 'output_text') parts.addText(part.text);
        else if (part.type === 'refusal') refusal += part.refusal;
      }
    } else if (item.type === 'function_call') {
      parts.addToolCall(item.call_id, item.name, parseArguments(item.arguments));
    }
  }
  return parts.answer({
    // A structured-output refusal is a content part of its own: report it as a content filter.
    finishReason: refusal === '' ? finishReasonOf(response, parts.hasToolCalls) : 'content-filter',
    usage: usageFrom(response.usage),
    modelId: response.model,
    providerMetadata: refusal === '' ? { id: response.id } : { id: response.id, refusal },
  });
}

/** Maps Responses API stream events onto stream parts; tool calls are keyed by their output item id. */
export class ResponseEventMapper implements StreamMapper<OpenAI.Responses.ResponseStreamEvent> {
  private readonly calls = new Map<string, { id: string; name: string }>();
  private sawToolCall = false;
  private finished = false;
  /** Refusal text streamed in `response.refusal.delta` events, reported on the finish part. */
  private refusal = '';

  push(event: OpenAI.Responses.ResponseStreamEvent, out: ChatStreamPart[]): void {
    switch (event.type) {
      case 'response.created':
        out.push({ type: 'response-start', modelId: event.response.model, id: event.response.id });
        break;
      case 'response.output_text.delta':
        out.push({ type: 'text-delta', delta: event.delta });
        break;
      case 'response.reasoning_summary_text.delta':
      case 'response.reasoning_text.delta':
        out.push({ type: 'reasoning-delta', delta: event.delta });
        break;
      case 'response.refusal.delta':
        this.refusal += event.delta;
        break;
      case 'response.output_item.added':
        if (event.item.type === 'function_call') {
          const call = { id: event.item.call_id, name: event.item.name };
          this.calls.set(event.item.id ?? call.id, call);
          this.sawToolCall = true;
          out.push({ type: 'tool-call-start', toolCallId: call.id, toolName: call.name });
        }
        break;
      case 'response.function_call_arguments.delta': {
        const call = this.calls.get(event.item_id);
        if (call !== undefined) out.push({ type: 'tool-call-delta', toolCallId: call.id, argumentsDelta: event.delta });
        break;
      }
      case 'response.output_item.done':
        if (event.item.type === 'function_call') {
          out.push({
            type: 'tool-call-end',
            toolCallId: event.item.call_id,
            toolName: event.item.name,
            input: parseArguments(event.item.arguments),
          });
        }
        break;
      case 'response.completed':
      case 'response.incomplete': {
        if (this.finished) break;
        this.finished = true;
        const usage = usageFrom(event.response.usage);
        out.push({ type: 'usage', usage });
        out.push({
          type: 'finish',
          finishReason: this.refusal === '' ? finishReasonOf(event.response, this.sawToolCall) : 'content-filter',
          usage,
          providerMetadata:
            this.refusal === '' ? { id: event.response.id } : { id: event.response.id, refusal: this.refusal },
        });
        break;
      }
      case 'response.failed':
        throw failure(event.response);
      case 'error':
        throw Object.assign(new Error(event.message), {
          error: { type: event.code, code: event.code, message: event.message },
        });
      default:
        break;
    }
  }

  end(): void {
    // response.completed / response.incomplete carry the finish; nothing is owed at the end.
  }
}

export function assertNoStopSequences(request: ChatRequest): void {
  if (request.stopSequences !== undefined && request.stopSequences.length > 0) {
    throw new AgenticGenError(
      'unsupported',
      `[${scope}] the Responses API has no stop sequences; use createOpenAIChatModel (Chat Completions) for them`,
    );
  }
}
