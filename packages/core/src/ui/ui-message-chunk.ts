/**
 * The chunks of the AI SDK UI message stream protocol (v1) that AgenticGen writes, as plain types so core does
 * not depend on the `ai` package. Field names and shapes follow `uiMessageChunkSchema` of `ai` exactly; the
 * tests validate every chunk we produce against that schema.
 */
import type { Usage } from '../contracts/chat-model.js';

/** Why a message ended, in the protocol's vocabulary. */
export type UIFinishReason = 'stop' | 'length' | 'content-filter' | 'tool-calls' | 'error' | 'interrupted' | 'other';

/** What AgenticGen puts in the message metadata (on `start` and `finish`). */
export interface AgenticGenMessageMetadata {
  /** The agent run's id, when the stream comes from an agent run. */
  runId?: string;
  /** The model that answered, when known. */
  model?: string;
  /** Tokens used by the whole message, set on `finish`. */
  usage?: Usage;
}

/** One chunk of a UI message stream. */
export type UIMessageChunk =
  | { type: 'start'; messageId?: string; messageMetadata?: unknown }
  | { type: 'finish'; finishReason?: UIFinishReason; messageMetadata?: unknown }
  | { type: 'abort'; reason?: string }
  | { type: 'message-metadata'; messageMetadata: unknown }
  | { type: 'start-step' }
  | { type: 'finish-step' }
  | { type: 'text-start'; id: string }
  | { type: 'text-delta'; id: string; delta: string }
  | { type: 'text-end'; id: string }
  | { type: 'reasoning-start'; id: string }
  | { type: 'reasoning-delta'; id: string; delta: string }
  | { type: 'reasoning-end'; id: string }
  | { type: 'error'; errorText: string }
  | { type: 'tool-input-start'; toolCallId: string; toolName: string }
  | { type: 'tool-input-delta'; toolCallId: string; inputTextDelta: string }
  | { type: 'tool-input-available'; toolCallId: string; toolName: string; input: unknown }
  | { type: 'tool-input-error'; toolCallId: string; toolName: string; input: unknown; errorText: string }
  | { type: 'tool-approval-request'; approvalId: string; toolCallId: string }
  | { type: 'tool-output-available'; toolCallId: string; output: unknown }
  | { type: 'tool-output-error'; toolCallId: string; errorText: string }
  | { type: 'tool-output-denied'; toolCallId: string }
  | { type: 'source-url'; sourceId: string; url: string; title?: string }
  | { type: 'source-document'; sourceId: string; mediaType: string; title: string; filename?: string }
  | { type: 'file'; url: string; mediaType: string }
  | { type: `data-${string}`; id?: string; data: unknown; transient?: boolean };

/** Response headers of a UI message stream (the same values as the `ai` package's `UI_MESSAGE_STREAM_HEADERS`). */
export const uiMessageStreamHeaders: Readonly<Record<string, string>> = Object.freeze({
  'content-type': 'text/event-stream',
  'cache-control': 'no-cache',
  connection: 'keep-alive',
  'x-vercel-ai-ui-message-stream': 'v1',
  'x-accel-buffering': 'no',
});

/** The SSE event that ends every UI message stream. */
export const uiMessageStreamDone = 'data: [DONE]\n\n';

/** Frames one chunk as an SSE event, byte for byte as `JsonToSseTransformStream` does. */
export function encodeUIMessageChunk(chunk: UIMessageChunk): string {
  return `data: ${JSON.stringify(chunk)}\n\n`;
}

/** A TransformStream from chunks to SSE text, ending with `data: [DONE]`. */
export function createUIMessageSseStream(): TransformStream<UIMessageChunk, string> {
  return new TransformStream<UIMessageChunk, string>({
    transform(chunk, controller) {
      controller.enqueue(encodeUIMessageChunk(chunk));
    },
    flush(controller) {
      controller.enqueue(uiMessageStreamDone);
    },
  });
}
