export { type AgentStore, createMemoryStore } from './memory-store.js';
export {
  checkChatMessage,
  checkMetadata,
  checkPageSize,
  checkStoreId,
  checkThreadSummary,
  decodeSeqCursor,
  decodeThreadCursor,
  encodeThreadCursor,
  idempotencyKeyOf,
  metadataMatches,
  newStoreId,
  storeLimits,
  toStoreJson,
} from './store-input.js';
