/**
 * @agenticgen/core/internal — helpers the sibling packages share with core (the SQL store reuses the in-memory
 * store's input checks and cursor encoding). Not part of the public API: no semver promise, may change in any
 * release. Users import from `@agenticgen/core`.
 */
export {
  checkChatMessage,
  checkMetadata,
  checkPageSize,
  checkScope,
  checkStoreId,
  checkThreadSummary,
  decodeSeqCursor,
  decodeThreadCursor,
  encodeThreadCursor,
  metadataMatches,
  newStoreId,
  type PreparedMessage,
  prepareMessages,
  storeText,
  toStoreJson,
  workingMemoryJson,
} from '../storage/store-input.js';
