/**
 * @agenticgen/core/ui — agents in a web UI: the AI SDK UI message stream protocol (encode, decode, validate),
 * resumable streams (memory and Redis drivers) and a framework-free chat client. A subpath of its own, so pages
 * that do not chat pay nothing for it in their bundle.
 */
export {
  type ChatClient,
  type ChatClientOptions,
  type ChatState,
  type ChatStatus,
  createChatClient,
} from './chat-client.js';
export {
  type FromUIMessagesLimits,
  type FromUIMessagesResult,
  fromUIMessages,
} from './from-ui-messages.js';
export {
  createMemoryUIStreamDriver,
  type MemoryUIStreamDriverOptions,
} from './memory-ui-stream-driver.js';
export {
  createRedisUIStreamDriver,
  type RedisUIStreamDriverOptions,
  type UIStreamRedisClient,
  type UIStreamRedisPipeline,
  type UIStreamRedisSubscriber,
} from './redis-ui-stream-driver.js';
export {
  type ToUIMessageStreamOptions,
  type ToUIMessageStreamResponseOptions,
  toUIMessageSseBytes,
  toUIMessageSseStream,
  toUIMessageStream,
  toUIMessageStreamResponse,
  type UIMessageStreamSource,
} from './to-ui-message-stream.js';
export {
  applyUIMessageChunk,
  parseUIMessageSse,
  type UIMessage,
  type UIMessagePart,
  type UIToolPart,
} from './ui-message-assembler.js';
export {
  type AgenticGenMessageMetadata,
  createUIMessageSseStream,
  encodeUIMessageChunk,
  type UIFinishReason,
  type UIMessageChunk,
  uiMessageStreamDone,
  uiMessageStreamHeaders,
} from './ui-message-chunk.js';
export type { UIStreamDriver } from './ui-stream-driver.js';
export {
  createUIStreamRegistry,
  type ResumeOptions,
  type UIStreamRegistry,
  type UIStreamRegistryOptions,
} from './ui-stream-registry.js';
