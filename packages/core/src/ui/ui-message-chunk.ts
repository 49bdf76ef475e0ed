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
  | {
      /** The assistant message starts; the first chunk of every stream. */
      type: 'start';
      /** The id the client gives the message, when the server chose one. */
      messageId?: string;
      /** Message metadata (AgenticGen: `AgenticGenMessageMetadata` with `runId` and `model`). */
      messageMetadata?: unknown;
    }
  | {
      /** The message ended; the last chunk before `[DONE]`. */
      type: 'finish';
      /** Why it ended. */
      finishReason?: UIFinishReason;
      /** Message metadata (AgenticGen: `AgenticGenMessageMetadata` with the total `usage`). */
      messageMetadata?: unknown;
    }
  | {
      /** The run was aborted; the stream ends without `finish`. */
      type: 'abort';
      /** Why, when known. */
      reason?: string;
    }
  | {
      /** Message metadata changed during the stream. */
      type: 'message-metadata';
      /** The new metadata. */
      messageMetadata: unknown;
    }
  | {
      /** A model step starts (one model call of the agent loop). */
      type: 'start-step';
    }
  | {
      /** The model step ended (its tool results included). */
      type: 'finish-step';
    }
  | {
      /** A text part starts. */
      type: 'text-start';
      /** The part's id, repeated by its deltas and its end. */
      id: string;
    }
  | {
      /** More text of a text part. */
      type: 'text-delta';
      /** The id of the part (from its `text-start`). */
      id: string;
      /** The text to append. */
      delta: string;
    }
  | {
      /** The text part is complete. */
      type: 'text-end';
      /** The id of the part. */
      id: string;
    }
  | {
      /** A reasoning part starts. */
      type: 'reasoning-start';
      /** The part's id, repeated by its deltas and its end. */
      id: string;
    }
  | {
      /** More reasoning text. */
      type: 'reasoning-delta';
      /** The id of the part (from its `reasoning-start`). */
      id: string;
      /** The text to append. */
      delta: string;
    }
  | {
      /** The reasoning part is complete. */
      type: 'reasoning-end';
      /** The id of the part. */
      id: string;
    }
  | {
      /** The run failed; the client shows `errorText`. */
      type: 'error';
      /** The error's message, for the client to show. */
      errorText: string;
    }
  | {
      /** The model started a tool call; its input streams next. */
      type: 'tool-input-start';
      /** The model's call id. */
      toolCallId: string;
      /** The tool called. */
      toolName: string;
    }
  | {
      /** More of the tool call's input JSON text. */
      type: 'tool-input-delta';
      /** The model's call id. */
      toolCallId: string;
      /** JSON text to append to the input. */
      inputTextDelta: string;
    }
  | {
      /** The tool call's input is complete and parsed. */
      type: 'tool-input-available';
      /** The model's call id. */
      toolCallId: string;
      /** The tool called. */
      toolName: string;
      /** The parsed input. */
      input: unknown;
    }
  | {
      /** The tool call's input was invalid (unparsable or failing the tool's schema). */
      type: 'tool-input-error';
      /** The model's call id. */
      toolCallId: string;
      /** The tool called. */
      toolName: string;
      /** The input as the model sent it. */
      input: unknown;
      /** Why it was rejected. */
      errorText: string;
    }
  | {
      /** The tool call needs a person's approval before it runs (`needsApproval`). */
      type: 'tool-approval-request';
      /** The id to answer the approval with. */
      approvalId: string;
      /** The model's call id. */
      toolCallId: string;
    }
  | {
      /** The tool returned. */
      type: 'tool-output-available';
      /** The model's call id. */
      toolCallId: string;
      /** The tool's output. */
      output: unknown;
    }
  | {
      /** The tool failed. */
      type: 'tool-output-error';
      /** The model's call id. */
      toolCallId: string;
      /** The error's message. */
      errorText: string;
    }
  | {
      /** A person denied the tool call; it did not run. */
      type: 'tool-output-denied';
      /** The model's call id. */
      toolCallId: string;
    }
  | {
      /** The answer cites a web page. */
      type: 'source-url';
      /** The source's id. */
      sourceId: string;
      /** The page's URL. */
      url: string;
      /** The page's title, when known. */
      title?: string;
    }
  | {
      /** The answer cites a document. */
      type: 'source-document';
      /** The source's id. */
      sourceId: string;
      /** The document's media type. */
      mediaType: string;
      /** The document's title. */
      title: string;
      /** The document's file name, when known. */
      filename?: string;
    }
  | {
      /** A file belongs to the message. */
      type: 'file';
      /** The file's URL (or a data URL). */
      url: string;
      /** The file's media type. */
      mediaType: string;
    }
  | {
      /** Application data (`data-<name>`), kept on the message unless `transient`. */
      type: `data-${string}`;
      /** An id: a later chunk with the same name and id replaces this one's data. */
      id?: string;
      /** The data. */
      data: unknown;
      /** When true the client receives it but does not keep it on the message. */
      transient?: boolean;
    };

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
