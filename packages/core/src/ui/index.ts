export {
  type FromUIMessagesLimits,
  type FromUIMessagesResult,
  fromUIMessages,
} from './from-ui-messages.js';
export {
  type ToUIMessageStreamOptions,
  type ToUIMessageStreamResponseOptions,
  toUIMessageSseBytes,
  toUIMessageStream,
  toUIMessageStreamResponse,
  type UIMessageStreamSource,
} from './to-ui-message-stream.js';
export {
  type AgenticGenMessageMetadata,
  createUIMessageSseStream,
  encodeUIMessageChunk,
  type UIFinishReason,
  type UIMessageChunk,
  uiMessageStreamDone,
  uiMessageStreamHeaders,
} from './ui-message-chunk.js';
