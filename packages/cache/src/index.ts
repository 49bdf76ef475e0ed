/**
 * @agenticgen/cache — tiered cache (quick-lru L1 + L2 drivers), LLM-response and semantic caching.
 * This entry is browser-safe; the Node entry (index.node.ts) adds the file-system and Redis drivers.
 */

export type {
  CacheLoader,
  CacheLoaderContext,
  CacheOptions,
  CacheStats,
  GetOrSetOptions,
  L1Options,
  L2CircuitOptions,
  SetOptions,
  TieredCache,
} from './cache/cache-types.js';
export type {
  CacheEventName,
  CacheEvents,
  CacheListener,
  CacheTier,
  EvictionReason,
} from './cache/events.js';
export { sizeOf } from './cache/size-of.js';
export { createCache } from './cache/tiered-cache.js';
export type { CacheDriver, CacheEntry, CacheInvalidation } from './drivers/driver.js';
export { createIndexedDbDriver, type IndexedDbDriverOptions } from './drivers/indexeddb.js';
export { createMemoryDriver, type MemoryDriverOptions } from './drivers/memory.js';
export { cacheErrorCodes } from './error-codes.js';
export type { CacheErrorCode } from './errors.js';
export {
  type CachedChatModelOptions,
  type ChatCacheCallOptions,
  type ChatCacheLookup,
  chatCacheOptionsKey,
  createCachedChatModel,
} from './llm/cached-chat-model.js';
export {
  createSemanticCache,
  type SemanticCache,
  type SemanticCacheOptions,
  type SemanticLookupOptions,
  type SemanticMatch,
  type SemanticSetOptions,
} from './llm/semantic-cache.js';
export type { CodecOptions } from './serialization/codec.js';
