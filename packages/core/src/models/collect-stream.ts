import type {
  ChatResponse,
  ChatStreamPart,
  ReasoningPart,
  TextPart,
  ToolCallPart,
  Usage,
} from '../contracts/chat-model.js';
import { AgenticGenError } from '../errors/agenticgen-error.js';

export interface CollectStreamOptions {
  /** Model id used when the stream has no `response-start` part. */
  modelId?: string;
  /** Called with every part as it arrives (for progress UIs and events); may not throw. */
  onPart?: (part: ChatStreamPart) => void;
}

/** Usage of zero tokens, for streams that report none. */
export const emptyUsage: Readonly<Usage> = Object.freeze({ inputTokens: 0, outputTokens: 0, totalTokens: 0 });

interface PendingToolCall {
  part: ToolCallPart;
  argumentsText: string;
  ended: boolean;
}

/**
 * Assembles a streamed answer into the `ChatResponse` that `generate` would have returned: consecutive text
 * and reasoning deltas merge into one part each, tool calls take their place in `content` at their start,
 * their input comes from `tool-call-end` (or from the argument deltas when a stream omits the end), and
 * usage/finish come from the last such parts. A stream that ends without `finish` is an `invalid-response`.
 */
export async function collectStream(
  stream: AsyncIterable<ChatStreamPart>,
  options: CollectStreamOptions = {},
): Promise<ChatResponse> {
  const content: ChatResponse['content'] = [];
  const toolCalls = new Map<string, PendingToolCall>();
  let modelId = options.modelId ?? '';
  let usage: Usage | undefined;
  let finish: Extract<ChatStreamPart, { type: 'finish' }> | undefined;
  let responseId: string | undefined;

  const last = () => content[content.length - 1];
  for await (const part of stream) {
    options.onPart?.(part);
    switch (part.type) {
      case 'response-start':
        modelId = part.modelId;
        if (part.id !== undefined) responseId = part.id;
        break;
      case 'text-delta': {
        const current = last();
        if (current?.type === 'text') current.text += part.delta;
        else content.push({ type: 'text', text: part.delta } satisfies TextPart);
        break;
      }
      case 'reasoning-delta': {
        const current = last();
        // A signature closes a reasoning block (Anthropic), so the next delta starts a new part.
        if (current?.type === 'reasoning' && current.signature === undefined) current.text += part.delta;
        else content.push({ type: 'reasoning', text: part.delta } satisfies ReasoningPart);
        const target = last() as ReasoningPart;
        if (part.signature !== undefined) target.signature = part.signature;
        break;
      }
      case 'tool-call-start': {
        const call: ToolCallPart = {
          type: 'tool-call',
          toolCallId: part.toolCallId,
          toolName: part.toolName,
          input: undefined,
        };
        toolCalls.set(part.toolCallId, { part: call, argumentsText: '', ended: false });
        content.push(call);
        break;
      }
      case 'tool-call-delta': {
        const pending = toolCalls.get(part.toolCallId);
        if (pending === undefined) throw unknownCall(part.toolCallId);
        pending.argumentsText += part.argumentsDelta;
        break;
      }
      case 'tool-call-end': {
        let pending = toolCalls.get(part.toolCallId);
        if (pending === undefined) {
          // Some providers send a complete call without a start; accept it as one.
          const call: ToolCallPart = {
            type: 'tool-call',
            toolCallId: part.toolCallId,
            toolName: part.toolName,
            input: part.input,
          };
          pending = { part: call, argumentsText: '', ended: true };
          toolCalls.set(part.toolCallId, pending);
          content.push(call);
        }
        pending.part.input = part.input === undefined ? parseArguments(pending.argumentsText) : part.input;
        pending.ended = true;
        break;
      }
      case 'usage':
        usage = part.usage;
        break;
      case 'finish':
        finish = part;
        usage = part.usage;
        break;
    }
  }
  if (finish === undefined) {
    throw new AgenticGenError(
      'invalid-response',
      '[models] the stream ended without a finish part; the model adapter must end every stream with one',
    );
  }
  for (const pending of toolCalls.values()) {
    if (!pending.ended) pending.part.input = parseArguments(pending.argumentsText);
  }
  const response: ChatResponse = {
    text: content.map((part) => (part.type === 'text' ? part.text : '')).join(''),
    content,
    toolCalls: content.filter((part): part is ToolCallPart => part.type === 'tool-call'),
    finishReason: finish.finishReason,
    usage: usage ?? { ...emptyUsage },
    modelId,
  };
  if (finish.costUsd !== undefined) response.costUsd = finish.costUsd;
  const metadata = { ...(responseId === undefined ? {} : { id: responseId }), ...finish.providerMetadata };
  if (Object.keys(metadata).length > 0) response.providerMetadata = metadata;
  return response;
}

/** Parsed JSON arguments; the raw text when they do not parse (the tool layer reports it to the model). */
function parseArguments(text: string): unknown {
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function unknownCall(toolCallId: string): AgenticGenError {
  return new AgenticGenError(
    'invalid-response',
    `[models] tool-call-delta for unknown call "${toolCallId}"; a tool-call-start must come first`,
  );
}
