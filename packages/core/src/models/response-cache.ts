import type { ChatRequest, ChatResponse } from '../contracts/chat-model.js';
import { AgenticGenError } from '../errors/agenticgen-error.js';
import { stableHash } from './stable-hash.js';

/**
 * The rules of the LLM response cache: which requests may be answered from a cache, under which key, and which
 * answers may be stored. One owner for both caches built on them: `createCachedChatModel` (`@agenticgen/cache`)
 * and the model manager's `cache` option (`@agenticgen/adapters`).
 */
export interface ResponseCacheRules {
  /** TTL of stored answers (default: the store's default). */
  ttlMs?: number;
  /**
   * Requests with a temperature above this are not cached: their callers asked for variety. Default 0.3.
   * Requests without a temperature are cached (see `cacheUnsetTemperature`).
   */
  maxTemperature?: number;
  /** Cache requests that do not set a temperature (the provider's default applies). Default true. */
  cacheUnsetTemperature?: boolean;
  /** Extra veto: return false to skip the cache for a request (runs after the built-in checks). */
  shouldCache?: (request: ChatRequest) => boolean;
}

/** Per-call cache settings, passed as `request.providerOptions.cache` (removed before the model sees the request). */
export interface ChatCacheCallOptions {
  /** `false` skips the cache for this call: no lookup, no store. */
  enabled?: boolean;
  /** TTL of this answer, overriding the cache's. */
  ttlMs?: number;
  /** Tags stored with this answer (for `invalidateTags`). */
  tags?: string[];
}

/** The name under `providerOptions` that carries per-call cache settings. */
export const chatCacheOptionsKey = 'cache';

/** Default `maxTemperature`. */
export const defaultMaxCachedTemperature = 0.3;

/** What the rules decided for one request. */
export interface ResponseCachePlan {
  /** The request to send to the model: `providerOptions.cache` removed. */
  request: ChatRequest;
  /** Whether the cache may answer or store this request. */
  enabled: boolean;
  /** Options to store the answer with. */
  storeOptions: { ttlMs?: number; tags?: string[] };
}

/** Checks the rules' options once, at creation: mistakes are `invalid-config` errors naming `scope`. */
export function checkResponseCacheRules(rules: ResponseCacheRules, scope: string): void {
  const { maxTemperature, ttlMs } = rules;
  if (maxTemperature !== undefined && (typeof maxTemperature !== 'number' || Number.isNaN(maxTemperature))) {
    throw new AgenticGenError(
      'invalid-config',
      `[${scope}] maxTemperature must be a number, got ${typeof maxTemperature}`,
    );
  }
  if (ttlMs !== undefined && (typeof ttlMs !== 'number' || !(ttlMs > 0))) {
    throw new AgenticGenError('invalid-config', `[${scope}] ttlMs must be a positive number of milliseconds`);
  }
}

/** Applies the rules to a request: per-call settings, the temperature rule, then `shouldCache`. */
export function planResponseCache(request: ChatRequest, rules: ResponseCacheRules): ResponseCachePlan {
  const { [chatCacheOptionsKey]: callOptions, ...providerOptions } = request.providerOptions ?? {};
  const call = (typeof callOptions === 'object' && callOptions !== null ? callOptions : {}) as ChatCacheCallOptions;
  const forwarded: ChatRequest = { ...request };
  if (request.providerOptions !== undefined) {
    if (Object.keys(providerOptions).length > 0) forwarded.providerOptions = providerOptions;
    else delete forwarded.providerOptions;
  }
  const temperature = request.temperature;
  const maxTemperature = rules.maxTemperature ?? defaultMaxCachedTemperature;
  const enabled =
    call.enabled !== false &&
    (temperature === undefined ? rules.cacheUnsetTemperature !== false : temperature <= maxTemperature) &&
    (rules.shouldCache?.(forwarded) ?? true);
  const storeOptions: ResponseCachePlan['storeOptions'] = {};
  const ttlMs = call.ttlMs ?? rules.ttlMs;
  if (ttlMs !== undefined) storeOptions.ttlMs = ttlMs;
  if (call.tags !== undefined) storeOptions.tags = call.tags;
  return { request: forwarded, enabled, storeOptions };
}

/**
 * The cache key: `prefix:provider:modelId:` and a SHA-256 over the model, `scope` (e.g. the manager's model name)
 * and everything in the request that shapes the answer (messages, tools, tool choice, response format, sampling
 * parameters, provider options). Signals, timeouts and headers change how a request travels, not what it asks.
 */
export async function responseCacheKey(
  prefix: string,
  model: { readonly provider: string; readonly modelId: string },
  request: ChatRequest,
  scope?: string,
): Promise<string> {
  const { signal: _signal, timeoutMs: _timeout, headers: _headers, ...shaping } = request;
  const { provider, modelId } = model;
  const hash = await stableHash({ v: 1, provider, modelId, scope, request: shaping });
  return `${prefix}:${provider}:${modelId}:${hash}`;
}

/** Only finished answers are worth replaying: one that ended in an error is never stored. */
export function isCacheableResponse(response: ChatResponse): boolean {
  return response.finishReason !== 'error';
}
