import type { ChatResponse, ChatStreamPart } from '../contracts/chat-model.js';

export interface StreamFromResponseOptions {
  /**
   * Split text, reasoning and tool arguments into deltas of at most this many characters (default: one delta
   * per part). Lets caches and mocks replay a stored answer the way a provider would stream it.
   */
  chunkSize?: number;
}

/**
 * Replays a complete answer as stream parts: `response-start`, then each content part in order (text and
 * reasoning deltas, tool calls as start / argument deltas / end), then `usage` and `finish`.
 * `collectStream(streamFromResponse(r))` gives back `r` (adjacent text parts merged).
 */
export async function* streamFromResponse(
  response: ChatResponse,
  options: StreamFromResponseOptions = {},
): AsyncGenerator<ChatStreamPart, void, undefined> {
  for (const part of partsFromResponse(response, options)) yield part;
}

/** The same parts as `streamFromResponse`, as an array (for tests and synchronous replays). */
export function partsFromResponse(response: ChatResponse, options: StreamFromResponseOptions = {}): ChatStreamPart[] {
  const size = options.chunkSize !== undefined && options.chunkSize > 0 ? Math.floor(options.chunkSize) : Infinity;
  const parts: ChatStreamPart[] = [];
  const id = response.providerMetadata?.id;
  parts.push(
    typeof id === 'string'
      ? { type: 'response-start', modelId: response.modelId, id }
      : { type: 'response-start', modelId: response.modelId },
  );
  for (const part of response.content) {
    if (part.type === 'text') {
      for (const delta of chunk(part.text, size)) parts.push({ type: 'text-delta', delta });
    } else if (part.type === 'reasoning') {
      const deltas = chunk(part.text, size);
      deltas.forEach((delta, index) => {
        // The signature rides on the last delta, as Anthropic sends it after the thinking text.
        if (index === deltas.length - 1 && part.signature !== undefined) {
          parts.push({ type: 'reasoning-delta', delta, signature: part.signature });
        } else parts.push({ type: 'reasoning-delta', delta });
      });
    } else {
      parts.push({ type: 'tool-call-start', toolCallId: part.toolCallId, toolName: part.toolName });
      const argumentsText = typeof part.input === 'string' ? part.input : JSON.stringify(part.input ?? {});
      for (const argumentsDelta of chunk(argumentsText, size)) {
        if (argumentsDelta !== '') parts.push({ type: 'tool-call-delta', toolCallId: part.toolCallId, argumentsDelta });
      }
      parts.push({ type: 'tool-call-end', toolCallId: part.toolCallId, toolName: part.toolName, input: part.input });
    }
  }
  parts.push({ type: 'usage', usage: { ...response.usage } });
  const finish: Extract<ChatStreamPart, { type: 'finish' }> = {
    type: 'finish',
    finishReason: response.finishReason,
    usage: { ...response.usage },
  };
  if (response.costUsd !== undefined) finish.costUsd = response.costUsd;
  if (response.providerMetadata !== undefined) finish.providerMetadata = { ...response.providerMetadata };
  parts.push(finish);
  return parts;
}

function chunk(text: string, size: number): string[] {
  if (text.length <= size) return [text];
  const chunks: string[] = [];
  for (let start = 0; start < text.length; start += size) chunks.push(text.slice(start, start + size));
  return chunks;
}
