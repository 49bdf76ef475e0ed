export { ChatStreamFolder, type CollectStreamOptions, collectStream } from './collect-stream.js';
export {
  type ChatCacheCallOptions,
  chatCacheOptionsKey,
  checkResponseCacheRules,
  defaultMaxCachedTemperature,
  isCacheableResponse,
  planResponseCache,
  type ResponseCachePlan,
  type ResponseCacheRules,
  responseCacheKey,
} from './response-cache.js';
export { canonicalJson, stableHash } from './stable-hash.js';
export { partsFromResponse, type StreamFromResponseOptions, streamFromResponse } from './stream-from-response.js';
