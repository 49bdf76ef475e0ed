import type { UIMessageChunk } from './ui-message-chunk.js';

/** A part of a UI message, as `useChat` holds it (the subset AgenticGen streams). */
export type UIMessagePart =
  | { type: 'text'; text: string; state?: 'streaming' | 'done' }
  | { type: 'reasoning'; id?: string; text: string; state?: 'streaming' | 'done' }
  | { type: 'step-start' }
  | { type: 'source-url'; sourceId: string; url: string; title?: string }
  | { type: 'source-document'; sourceId: string; mediaType: string; title: string; filename?: string }
  | { type: 'file'; url: string; mediaType: string; filename?: string }
  | { type: `data-${string}`; id?: string; data: unknown }
  | UIToolPart;

/** A tool call part (`tool-<name>`), in one of the protocol's states. */
export interface UIToolPart {
  /** `tool-<tool name>`. */
  type: `tool-${string}`;
  /** The model's call id. */
  toolCallId: string;
  /** Where the call is. */
  state:
    | 'input-streaming'
    | 'input-available'
    | 'approval-requested'
    | 'approval-responded'
    | 'output-available'
    | 'output-error'
    | 'output-denied';
  /** Arguments (undefined while streaming). */
  input?: unknown;
  /** Raw argument text received so far, while streaming. */
  rawInput?: string;
  /** The result, in `output-available`. */
  output?: unknown;
  /** The failure, in `output-error`. */
  errorText?: string;
  /** The approval request and, once answered, the decision. */
  approval?: { id: string; approved?: boolean; reason?: string };
}

/** A chat message as `useChat` and `createChatClient` hold it (the shape `fromUIMessages` reads). */
export interface UIMessage {
  /** Message id. */
  id: string;
  /** Who wrote it. */
  role: 'system' | 'user' | 'assistant';
  /** Metadata sent with `start`, `message-metadata` and `finish` (AgenticGen: run id, model, usage). */
  metadata?: unknown;
  /** The parts, in order. */
  parts: UIMessagePart[];
}

/**
 * Applies chunks to an assistant message, as the AI SDK's client does. Mutates `message` and returns what the
 * chunk means for the chat status.
 */
export function applyUIMessageChunk(
  message: UIMessage,
  chunk: UIMessageChunk,
): 'continue' | 'finish' | 'abort' | { error: string } {
  // The ai package keeps the block id on reasoning parts only; we match its message shape exactly.
  const openBlock = (kind: 'text' | 'reasoning', id: string) => {
    if (kind === 'text') message.parts.push({ type: 'text', text: '', state: 'streaming' });
    else message.parts.push({ type: 'reasoning', id, text: '', state: 'streaming' });
  };
  const lastBlock = (kind: 'text' | 'reasoning') =>
    [...message.parts].reverse().find((part) => part.type === kind) as { text: string; state?: string } | undefined;
  const tool = (toolCallId: string) =>
    message.parts.find((part) => 'toolCallId' in part && part.toolCallId === toolCallId) as UIToolPart | undefined;

  switch (chunk.type) {
    case 'start':
      if (chunk.messageId !== undefined) message.id = chunk.messageId;
      if (chunk.messageMetadata !== undefined)
        message.metadata = mergeMetadata(message.metadata, chunk.messageMetadata);
      return 'continue';
    case 'message-metadata':
      message.metadata = mergeMetadata(message.metadata, chunk.messageMetadata);
      return 'continue';
    case 'finish':
      if (chunk.messageMetadata !== undefined)
        message.metadata = mergeMetadata(message.metadata, chunk.messageMetadata);
      return 'finish';
    case 'abort':
      return 'abort';
    case 'error':
      return { error: chunk.errorText };
    case 'start-step':
      message.parts.push({ type: 'step-start' });
      return 'continue';
    case 'finish-step':
      return 'continue';
    case 'text-start':
    case 'reasoning-start':
      openBlock(chunk.type === 'text-start' ? 'text' : 'reasoning', chunk.id);
      return 'continue';
    case 'text-delta':
    case 'reasoning-delta': {
      const block = lastBlock(chunk.type === 'text-delta' ? 'text' : 'reasoning');
      if (block !== undefined) block.text += chunk.delta;
      return 'continue';
    }
    case 'text-end':
    case 'reasoning-end': {
      const block = lastBlock(chunk.type === 'text-end' ? 'text' : 'reasoning');
      if (block !== undefined) block.state = 'done';
      return 'continue';
    }
    case 'tool-input-start':
      message.parts.push({ type: `tool-${chunk.toolName}`, toolCallId: chunk.toolCallId, state: 'input-streaming' });
      return 'continue';
    case 'tool-input-delta': {
      const part = tool(chunk.toolCallId);
      if (part !== undefined) part.rawInput = (part.rawInput ?? '') + chunk.inputTextDelta;
      return 'continue';
    }
    case 'tool-input-available':
    case 'tool-input-error': {
      let part = tool(chunk.toolCallId);
      if (part === undefined) {
        part = { type: `tool-${chunk.toolName}`, toolCallId: chunk.toolCallId, state: 'input-available' };
        message.parts.push(part);
      }
      delete part.rawInput;
      part.input = chunk.input;
      if (chunk.type === 'tool-input-error') {
        part.state = 'output-error';
        part.errorText = chunk.errorText;
      } else part.state = 'input-available';
      return 'continue';
    }
    case 'tool-approval-request': {
      const part = tool(chunk.toolCallId);
      if (part !== undefined) {
        part.state = 'approval-requested';
        part.approval = { id: chunk.approvalId };
      }
      return 'continue';
    }
    case 'tool-output-available':
    case 'tool-output-error':
    case 'tool-output-denied': {
      const part = tool(chunk.toolCallId);
      if (part === undefined) return 'continue';
      if (chunk.type === 'tool-output-available') {
        part.state = 'output-available';
        part.output = chunk.output;
      } else if (chunk.type === 'tool-output-error') {
        part.state = 'output-error';
        part.errorText = chunk.errorText;
      } else part.state = 'output-denied';
      return 'continue';
    }
    case 'source-url':
    case 'source-document':
    case 'file': {
      const { type: _type, ...rest } = chunk;
      message.parts.push({ type: chunk.type, ...rest } as UIMessagePart);
      return 'continue';
    }
    default: {
      if (!chunk.type.startsWith('data-')) return 'continue';
      const data = chunk as { type: `data-${string}`; id?: string; data: unknown; transient?: boolean };
      if (data.transient === true) return 'continue';
      const existing =
        data.id === undefined
          ? undefined
          : (message.parts.find((part) => part.type === data.type && 'id' in part && part.id === data.id) as
              | { data: unknown }
              | undefined);
      if (existing !== undefined) existing.data = data.data;
      else message.parts.push({ type: data.type, ...(data.id === undefined ? {} : { id: data.id }), data: data.data });
      return 'continue';
    }
  }
}

function mergeMetadata(current: unknown, update: unknown): unknown {
  if (typeof current === 'object' && current !== null && typeof update === 'object' && update !== null)
    return { ...current, ...update };
  return update;
}

/** Splits SSE text into the JSON chunks of a UI message stream; keeps the unfinished tail for the next call. */
export function parseUIMessageSse(buffer: string): {
  chunks: UIMessageChunk[];
  rest: string;
  events: number;
  done: boolean;
} {
  const chunks: UIMessageChunk[] = [];
  let events = 0;
  let done = false;
  let rest = buffer;
  let end = rest.indexOf('\n\n');
  while (end !== -1) {
    const event = rest.slice(0, end);
    rest = rest.slice(end + 2);
    end = rest.indexOf('\n\n');
    events += 1;
    const data = event
      .split('\n')
      .filter((line) => line.startsWith('data:'))
      .map((line) => line.slice(line.startsWith('data: ') ? 6 : 5))
      .join('\n');
    if (data === '[DONE]') done = true;
    else if (data !== '') chunks.push(JSON.parse(data) as UIMessageChunk);
  }
  return { chunks, rest, events, done };
}
