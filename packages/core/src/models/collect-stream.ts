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
 * Folds stream parts, pushed one at a time, into the `ChatResponse` that `generate` would have returned:
 * consecutive text and reasoning deltas merge into one part each, tool calls take their place in `content` at
 * their start, their input comes from `tool-call-end` (or from the argument deltas when a stream omits the
 * end), and usage/finish come from the last such parts. The one owner of stream folding: `collectStream`,
 * the runtime, caches and the adapters' model manager all use it.
 */
export class ChatStreamFolder {
  readonly #content: ChatResponse['content'] = [];
  readonly #toolCalls = new Map<string, PendingToolCall>();
  #modelId: string;
  #usage: Usage | undefined;
  #finish: Extract<ChatStreamPart, { type: 'finish' }> | undefined;
  #responseId: string | undefined;

  /** `modelId` is used when the stream has no `response-start` part. */
  constructor(options: { modelId?: string } = {}) {
    this.#modelId = options.modelId ?? '';
  }

  /** Adds the next part; a `tool-call-delta` for a call that never started is an `invalid-response`. */
  add(part: ChatStreamPart): void {
    const content = this.#content;
    const last = content[content.length - 1];
    switch (part.type) {
      case 'response-start':
        this.#modelId = part.modelId;
        if (part.id !== undefined) this.#responseId = part.id;
        break;
      case 'text-delta':
        if (last?.type === 'text') last.text += part.delta;
        else content.push({ type: 'text', text: part.delta } satisfies TextPart);
        break;
      case 'reasoning-delta': {
        // A signature closes a reasoning block (Anthropic), so the next delta starts a new part.
        const target: ReasoningPart =
          last?.type === 'reasoning' && last.signature === undefined ? last : { type: 'reasoning', text: '' };
        if (target !== last) content.push(target);
        target.text += part.delta;
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
        this.#toolCalls.set(part.toolCallId, { part: call, argumentsText: '', ended: false });
        content.push(call);
        break;
      }
      case 'tool-call-delta': {
        const pending = this.#toolCalls.get(part.toolCallId);
        if (pending === undefined) throw unknownCall(part.toolCallId);
        pending.argumentsText += part.argumentsDelta;
        break;
      }
      case 'tool-call-end': {
        let pending = this.#toolCalls.get(part.toolCallId);
        if (pending === undefined) {
          // Some providers send a complete call without a start; accept it as one.
          const call: ToolCallPart = {
            type: 'tool-call',
            toolCallId: part.toolCallId,
            toolName: part.toolName,
            input: part.input,
          };
          pending = { part: call, argumentsText: '', ended: true };
          this.#toolCalls.set(part.toolCallId, pending);
          content.push(call);
        }
        pending.part.input = part.input === undefined ? parseArguments(pending.argumentsText) : part.input;
        pending.ended = true;
        break;
      }
      case 'usage':
        this.#usage = part.usage;
        break;
      case 'finish':
        this.#finish = part;
        this.#usage = part.usage;
        break;
    }
  }

  /** The folded response; a stream that ended without `finish` is an `invalid-response`. */
  response(): ChatResponse {
    const finish = this.#finish;
    if (finish === undefined) {
      throw new AgenticGenError(
        'invalid-response',
        '[models] the stream ended without a finish part; the model adapter must end every stream with one',
      );
    }
    for (const pending of this.#toolCalls.values()) {
      if (!pending.ended) pending.part.input = parseArguments(pending.argumentsText);
    }
    const content = this.#content;
    const response: ChatResponse = {
      text: content.map((part) => (part.type === 'text' ? part.text : '')).join(''),
      content,
      toolCalls: content.filter((part): part is ToolCallPart => part.type === 'tool-call'),
      finishReason: finish.finishReason,
      usage: this.#usage ?? { ...emptyUsage },
      modelId: this.#modelId,
    };
    if (finish.costUsd !== undefined) response.costUsd = finish.costUsd;
    const id = this.#responseId;
    const metadata = { ...(id === undefined ? {} : { id }), ...finish.providerMetadata };
    if (Object.keys(metadata).length > 0) response.providerMetadata = metadata;
    return response;
  }
}

/** Assembles a streamed answer with a `ChatStreamFolder`, calling `onPart` with each part first. */
export async function collectStream(
  stream: AsyncIterable<ChatStreamPart>,
  options: CollectStreamOptions = {},
): Promise<ChatResponse> {
  const folder = new ChatStreamFolder(options.modelId === undefined ? {} : { modelId: options.modelId });
  for await (const part of stream) {
    options.onPart?.(part);
    folder.add(part);
  }
  return folder.response();
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
