import type { ChatResponse, ChatStreamPart, ToolCallPart } from '@agenticgen/core';
import { AgenticGenError } from '@agenticgen/core';

/**
 * Folds stream parts into the ChatResponse `generate` would have returned. Consecutive text (and reasoning)
 * deltas merge into one part; tool calls take their final parsed input from `tool-call-end`.
 */
export class StreamCollector {
  private readonly content: ChatResponse['content'] = [];
  private readonly toolCalls: ToolCallPart[] = [];
  private modelId = '';
  private id: string | undefined;
  private finish: Extract<ChatStreamPart, { type: 'finish' }> | undefined;

  constructor(private readonly fallbackModelId: string) {}

  add(part: ChatStreamPart): void {
    const last = this.content.at(-1);
    switch (part.type) {
      case 'response-start':
        this.modelId = part.modelId;
        this.id = part.id;
        break;
      case 'text-delta':
        if (last?.type === 'text') last.text += part.delta;
        else this.content.push({ type: 'text', text: part.delta });
        break;
      case 'reasoning-delta':
        if (last?.type === 'reasoning') {
          last.text += part.delta;
          if (part.signature !== undefined) last.signature = part.signature;
        } else {
          this.content.push({
            type: 'reasoning',
            text: part.delta,
            ...(part.signature === undefined ? {} : { signature: part.signature }),
          });
        }
        break;
      case 'tool-call-end': {
        const call: ToolCallPart = {
          type: 'tool-call',
          toolCallId: part.toolCallId,
          toolName: part.toolName,
          input: part.input,
        };
        this.toolCalls.push(call);
        this.content.push(call);
        break;
      }
      case 'finish':
        this.finish = part;
        break;
      default:
        break;
    }
  }

  /** The response; throws when the stream never finished. */
  response(): ChatResponse {
    const finish = this.finish;
    if (finish === undefined) {
      throw new AgenticGenError('invalid-response', '[adapters] the stream ended without a finish part');
    }
    const response: ChatResponse = {
      text: this.content.flatMap((part) => (part.type === 'text' ? [part.text] : [])).join(''),
      content: this.content,
      toolCalls: this.toolCalls,
      finishReason: finish.finishReason,
      usage: finish.usage,
      modelId: this.modelId || this.fallbackModelId,
    };
    if (finish.costUsd !== undefined) response.costUsd = finish.costUsd;
    const metadata = { ...(this.id === undefined ? {} : { id: this.id }), ...finish.providerMetadata };
    if (Object.keys(metadata).length > 0) response.providerMetadata = metadata;
    return response;
  }
}

/** Replays a complete response as stream parts (cache hits, tests). */
export function* responseToParts(response: ChatResponse): Generator<ChatStreamPart> {
  const id = response.providerMetadata?.id;
  yield { type: 'response-start', modelId: response.modelId, ...(typeof id === 'string' ? { id } : {}) };
  for (const part of response.content) {
    if (part.type === 'text') yield { type: 'text-delta', delta: part.text };
    else if (part.type === 'reasoning') {
      yield {
        type: 'reasoning-delta',
        delta: part.text,
        ...(part.signature === undefined ? {} : { signature: part.signature }),
      };
    } else {
      yield { type: 'tool-call-start', toolCallId: part.toolCallId, toolName: part.toolName };
      yield { type: 'tool-call-delta', toolCallId: part.toolCallId, argumentsDelta: JSON.stringify(part.input) };
      yield { type: 'tool-call-end', toolCallId: part.toolCallId, toolName: part.toolName, input: part.input };
    }
  }
  yield { type: 'usage', usage: response.usage };
  yield {
    type: 'finish',
    finishReason: response.finishReason,
    usage: response.usage,
    ...(response.costUsd === undefined ? {} : { costUsd: response.costUsd }),
    ...(response.providerMetadata === undefined ? {} : { providerMetadata: response.providerMetadata }),
  };
}
