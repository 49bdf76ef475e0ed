import type { CacheStore, ChatRequest, ResponseCacheRules } from '@agenticgen/core';

/**
 * Response cache settings of the model manager: core's response cache rules (the same ones
 * `createCachedChatModel` applies: `maxTemperature`, `cacheUnsetTemperature`, `ttlMs`, `shouldCache`, per-call
 * `providerOptions.cache`) and where answers are kept.
 */
export interface ResponseCacheOptions extends ResponseCacheRules {
  /** Where responses are kept (e.g. a `@agenticgen/cache` tiered cache, or any CacheStore). */
  store: CacheStore;
  /** Key prefix (default `agenticgen:model-response`). */
  namespace?: string;
  /** @deprecated Use `shouldCache` (the same veto, one name for both caches); removed in the next minor release. */
  when?: (request: ChatRequest) => boolean;
}

/** The rules of `options`, with the deprecated `when` folded into `shouldCache`. */
export function responseCacheRules(options: ResponseCacheOptions): ResponseCacheRules {
  const { shouldCache, when } = options;
  if (when === undefined) return options;
  return {
    ...options,
    shouldCache: (request) => when(request) && (shouldCache?.(request) ?? true),
  };
}
