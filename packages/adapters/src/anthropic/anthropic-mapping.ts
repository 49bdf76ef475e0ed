import type {
  ChatRequest,
  ChatResponse,
  ChatStreamPart,
  FinishReason,
  ReasoningPart,
  TextPart,
  ToolCallPart,
} from '@agenticgen/core';
import type Anthropic from '@anthropic-ai/sdk';
import { AnswerParts } from '../shared/answer-parts.js';
import { parseArguments, usageOf } from '../shared/chat-model-runtime.js';
import { toolOutputText } from '../shared/content.js';
import type { StreamMapper } from '../shared/managed-stream.js';
import { type TurnWriter, toAlternatingTurns, type UserPartWriter } from '../shared/message-parts.js';
import { toolInputAsObject } from '../shared/tool-call-input.js';

type Body = Record<string, unknown>;
type Block = Record<string, unknown>;
const scope = 'adapters:anthropic';

const anthropicUserPart: UserPartWriter<Block> = {
  text: (text) => ({ type: 'text', text }),
  image: (image) => ({
    type: 'image',
    source:
      image.kind === 'url'
        ? { type: 'url', url: image.url }
        : { type: 'base64', media_type: image.mediaType, data: image.data },
  }),
};

const anthropicTurns: TurnWriter<'assistant', Block> = {
  assistantRole: 'assistant',
  skipEmptyTurns: false,
  user: anthropicUserPart,
  assistant: (content) => assistantBlocks(content),
  toolResults: (results) =>
    results.map((result) => ({
      type: 'tool_result',
      tool_use_id: result.toolCallId,
      content: toolOutputText(result.output),
      ...(result.isError === true ? { is_error: true } : {}),
    })),
};

/** Builds a Messages API request. Tool results travel in user turns; consecutive user turns are merged. */
export function toMessagesBody(modelId: string, request: ChatRequest, defaultMaxTokens: number): Body {
  const { system, turns } = toAlternatingTurns(request.messages, scope, anthropicTurns);
  const messages = turns.map((turn) => ({ role: turn.role, content: turn.items }));
  const body: Body = { model: modelId, max_tokens: request.maxOutputTokens ?? defaultMaxTokens, messages };
  if (system.length > 0) body.system = system.join('\n\n');
  if (request.tools !== undefined && request.tools.length > 0) {
    body.tools = request.tools.map((tool) => ({
      name: tool.name,
      description: tool.description,
      input_schema: tool.parameters,
      ...(tool.strict === true ? { strict: true } : {}),
    }));
  }
  const disableParallel = request.parallelToolCalls === false ? { disable_parallel_tool_use: true } : {};
  if (request.toolChoice !== undefined) {
    const choice = request.toolChoice;
    body.tool_choice =
      choice === 'none'
        ? { type: 'none' }
        : choice === 'auto'
          ? { type: 'auto', ...disableParallel }
          : choice === 'required'
            ? { type: 'any', ...disableParallel }
            : { type: 'tool', name: choice.toolName, ...disableParallel };
  } else if (request.parallelToolCalls === false && body.tools !== undefined) {
    body.tool_choice = { type: 'auto', ...disableParallel };
  }
  if (request.responseFormat?.type === 'json') {
    body.output_config = {
      format: { type: 'json_schema', schema: request.responseFormat.schema ?? { type: 'object' } },
    };
  }
  if (request.temperature !== undefined) body.temperature = request.temperature;
  if (request.topP !== undefined) body.top_p = request.topP;
  if (request.stopSequences !== undefined) body.stop_sequences = request.stopSequences;
  Object.assign(body, request.providerOptions?.anthropic);
  return body;
}

function assistantBlocks(parts: Array<TextPart | ReasoningPart | ToolCallPart>): Block[] {
  const blocks: Block[] = [];
  for (const part of parts) {
    // Thinking can only be sent back with its signature; unsigned reasoning is dropped.
    if (part.type === 'reasoning' && part.signature !== undefined) {
      blocks.push({ type: 'thinking', thinking: part.text, signature: part.signature });
    } else if (part.type === 'text' && part.text !== '') {
      blocks.push({ type: 'text', text: part.text });
    } else if (part.type === 'tool-call') {
      blocks.push({ type: 'tool_use', id: part.toolCallId, name: part.toolName, input: toolInputAsObject(part.input) });
    }
  }
  return blocks;
}

export function finishReasonOf(reason: string | null | undefined): FinishReason {
  switch (reason) {
    case 'end_turn':
    case 'stop_sequence':
    case 'pause_turn':
      return 'stop';
    case 'max_tokens':
    case 'model_context_window_exceeded':
      return 'length';
    case 'tool_use':
      return 'tool-calls';
    case 'refusal':
      return 'content-filter';
    default:
      return 'other';
  }
}

interface AnthropicUsage {
  input_tokens?: number | null;
  output_tokens?: number | null;
  cache_read_input_tokens?: number | null;
  cache_creation_input_tokens?: number | null;
  output_tokens_details?: { thinking_tokens?: number | null } | null;
}

/** Anthropic's `input_tokens` excludes cache reads and writes; the contract's inputTokens counts them all. */
function usageFrom(usage: AnthropicUsage | null | undefined): ChatResponse['usage'] {
  const cached = usage?.cache_read_input_tokens ?? 0;
  const input = (usage?.input_tokens ?? 0) + cached + (usage?.cache_creation_input_tokens ?? 0);
  return usageOf(input, usage?.output_tokens, {
    cached: usage?.cache_read_input_tokens,
    reasoning: usage?.output_tokens_details?.thinking_tokens,
  });
}

export function fromMessage(message: Anthropic.Message): ChatResponse {
  if (!Array.isArray(message?.content)) throw new TypeError('the message has no content list');
  const parts = new AnswerParts();
  for (const block of message.content) {
    if (block.type === 'text') parts.addText(block.text);
    else if (block.type === 'thinking') {
      parts.addReasoning({ type: 'reasoning', text: block.thinking, signature: block.signature });
    } else if (block.type === 'tool_use') parts.addToolCall(block.id, block.name, block.input);
  }
  return parts.answer({
    finishReason: finishReasonOf(message.stop_reason),
    usage: usageFrom(message.usage as AnthropicUsage),
    modelId: message.model,
    providerMetadata: { id: message.id },
  });
}

/** Maps Messages SSE events (message_start, content_block_*, message_delta, message_stop) onto stream parts. */
export class MessageEventMapper implements StreamMapper<Anthropic.RawMessageStreamEvent> {
  private readonly blocks = new Map<number, { id: string; name: string; json: string }>();
  private usage: AnthropicUsage = {};
  private stopReason: string | null | undefined;
  private id: string | undefined;

  push(event: Anthropic.RawMessageStreamEvent, out: ChatStreamPart[]): void {
    switch (event.type) {
      case 'message_start':
        this.id = event.message.id;
        this.usage = { ...(event.message.usage as AnthropicUsage) };
        out.push({ type: 'response-start', modelId: event.message.model, id: event.message.id });
        break;
      case 'content_block_start':
        if (event.content_block.type === 'tool_use') {
          const block = { id: event.content_block.id, name: event.content_block.name, json: '' };
          this.blocks.set(event.index, block);
          out.push({ type: 'tool-call-start', toolCallId: block.id, toolName: block.name });
        }
        break;
      case 'content_block_delta': {
        const delta = event.delta;
        if (delta.type === 'text_delta') out.push({ type: 'text-delta', delta: delta.text });
        else if (delta.type === 'thinking_delta') out.push({ type: 'reasoning-delta', delta: delta.thinking });
        else if (delta.type === 'signature_delta')
          out.push({ type: 'reasoning-delta', delta: '', signature: delta.signature });
        else if (delta.type === 'input_json_delta') {
          const block = this.blocks.get(event.index);
          if (block !== undefined && delta.partial_json !== '') {
            block.json += delta.partial_json;
            out.push({ type: 'tool-call-delta', toolCallId: block.id, argumentsDelta: delta.partial_json });
          }
        }
        break;
      }
      case 'content_block_stop': {
        const block = this.blocks.get(event.index);
        if (block !== undefined) {
          out.push({
            type: 'tool-call-end',
            toolCallId: block.id,
            toolName: block.name,
            input: parseArguments(block.json),
          });
        }
        break;
      }
      case 'message_delta':
        this.stopReason = event.delta.stop_reason;
        // message_delta carries cumulative counts; keep the start's values where it omits them.
        for (const [key, value] of Object.entries(event.usage ?? {})) {
          if (value !== null && value !== undefined) (this.usage as Record<string, unknown>)[key] = value;
        }
        break;
      case 'message_stop': {
        const usage = usageFrom(this.usage);
        out.push({ type: 'usage', usage });
        out.push({
          type: 'finish',
          finishReason: finishReasonOf(this.stopReason),
          usage,
          ...(this.id === undefined ? {} : { providerMetadata: { id: this.id } }),
        });
        break;
      }
      default:
        break;
    }
  }

  end(): void {
    // message_stop carries the finish; a stream without it was cut.
  }
}
