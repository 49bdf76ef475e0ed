import {
  AgenticGenError,
  type CacheStore,
  type ChatCacheCallOptions,
  type ChatModel,
  type ChatRequest,
  type ChatResponse,
  type ChatStreamPart,
  chatCacheOptionsKey,
  checkResponseCacheRules,
  collectStream,
  isCacheableResponse,
  partsFromResponse,
  planResponseCache,
  type ResponseCacheRules,
  raceWithSignal,
  responseCacheKey,
} from '@agenticgen/core';
import { cacheError } from '../errors.js';
import { assertTtl } from '../validation.js';

/** What a lookup found, for logs and metrics. */
export interface ChatCacheLookup {
  /** The cache key of the request. */
  key: string;
  /** Whether a stored answer was used. */
  hit: boolean;
  /** Which method was called. */
  method: 'generate' | 'stream';
}

/** Core's response cache rules (`maxTemperature`, `cacheUnsetTemperature`, `ttlMs`, `shouldCache`) and a store. */
export interface CachedChatModelOptions extends ResponseCacheRules {
  /** Where answers are stored: a `createCache()` cache or any `CacheStore`. */
  cache: CacheStore;
  /** Prefix of the cache keys (default `chat`). */
  keyPrefix?: string;
  /** Told about every lookup (hit or miss). May not throw. */
  onLookup?: (lookup: ChatCacheLookup) => void;
}

/** Per-call cache settings and their `providerOptions` key, defined in core with the rules. */
export { type ChatCacheCallOptions, chatCacheOptionsKey };

type StoredAnswer = { kind: 'parts'; parts: ChatStreamPart[] } | { kind: 'response'; response: ChatResponse };

/**
 * Wraps a chat model so identical requests are answered from a cache. The key is a SHA-256 of the model and
 * everything in the request that shapes the answer (messages, tools, tool choice, response format, sampling
 * parameters, provider options); signals, timeouts and headers are not part of it. A streamed answer is stored as
 * its exact parts and replayed as the same parts; `generate` and `stream` share entries (each converts the other's).
 * Concurrent identical `generate` calls share one model call; when the caller that started it cancels, the others
 * share one new call. Failed or abandoned calls are never stored.
 */
export function createCachedChatModel(model: ChatModel, options: CachedChatModelOptions): ChatModel {
  if (typeof options?.cache?.getOrSet !== 'function') {
    throw cacheError('invalid-config', 'createCachedChatModel needs { cache: createCache() } or another CacheStore');
  }
  if (options.ttlMs !== undefined) assertTtl(options.ttlMs, 'ttlMs');
  checkResponseCacheRules(options, 'cache');
  const { cache } = options;
  const keyPrefix = options.keyPrefix ?? 'chat';

  function plan(request: ChatRequest) {
    const planned = planResponseCache(request, options);
    return { forwarded: planned.request, enabled: planned.enabled, storeOptions: planned.storeOptions };
  }

  const keyOf = (request: ChatRequest) => responseCacheKey(keyPrefix, model, request);

  function report(lookup: ChatCacheLookup): void {
    try {
      options.onLookup?.(lookup);
    } catch {
      // Observers must not break model calls.
    }
  }

  return {
    provider: model.provider,
    modelId: model.modelId,
    capabilities: model.capabilities,

    async generate(request) {
      const { forwarded, enabled, storeOptions } = plan(request);
      if (!enabled) return model.generate(forwarded);
      const key = await keyOf(forwarded);
      let called = false;
      let uncached: ChatResponse | undefined;
      const load = async (): Promise<StoredAnswer | undefined> => {
        called = true;
        const response = await model.generate(forwarded);
        // `undefined` is not stored by getOrSet: an answer that ended in an error is handed back, never cached.
        if (!isCacheableResponse(response)) {
          uncached = response;
          return undefined;
        }
        return { kind: 'response', response };
      };
      // With a tiered cache the signal also keeps a cancelled call out of negative caching; other stores ignore it.
      const lookupOptions: typeof storeOptions & { signal?: AbortSignal } = { ...storeOptions };
      if (request.signal !== undefined) lookupOptions.signal = request.signal;
      let stored: StoredAnswer | undefined;
      for (;;) {
        try {
          // A caller that joins another caller's flight still gets its own cancellation: the race drops only its wait.
          const shared = cache.getOrSet(key, load, lookupOptions);
          stored = await (request.signal === undefined ? shared : raceWithSignal(shared, request.signal, 'cache chat'));
          break;
        } catch (error) {
          // The caller that started the shared call cancelled it; this caller did not, so it joins (or starts) one
          // new shared call instead of calling the model alone. Ends: a caller that started a call never loops.
          if (!AgenticGenError.hasCode(error, 'aborted') || request.signal?.aborted === true || called) throw error;
        }
      }
      if (stored === undefined) {
        report({ key, hit: false, method: 'generate' });
        // A caller that joined another's call whose answer was not cacheable asks the model itself.
        return uncached ?? model.generate(forwarded);
      }
      report({ key, hit: !called, method: 'generate' });
      return stored.kind === 'response' ? structuredClone(stored.response) : collectStream(replay(stored.parts));
    },

    stream(request) {
      const { forwarded, enabled, storeOptions } = plan(request);
      if (!enabled) return model.stream(forwarded);
      return (async function* cachedStream(): AsyncGenerator<ChatStreamPart, void, undefined> {
        const key = await keyOf(forwarded);
        const stored = (await cache.get(key)) as StoredAnswer | undefined;
        if (stored !== undefined && (stored.kind === 'parts' || stored.kind === 'response')) {
          report({ key, hit: true, method: 'stream' });
          yield* stored.kind === 'parts' ? replay(stored.parts) : partsFromResponse(structuredClone(stored.response));
          return;
        }
        report({ key, hit: false, method: 'stream' });
        const parts: ChatStreamPart[] = [];
        let finished = false;
        for await (const part of model.stream(forwarded)) {
          parts.push(structuredClone(part)); // the consumer may edit the part it is given; the stored one stays
          if (part.type === 'finish') finished = part.finishReason !== 'error';
          yield part;
        }
        // Only complete answers are stored: an error, an early `break` or a `finish` with reason `error` is not.
        if (finished) await cache.set(key, { kind: 'parts', parts } satisfies StoredAnswer, storeOptions);
      })();
    },
  };
}

/** Yields copies: L1 holds the stored parts by reference, and a consumer that edits a part must not edit the cache. */
async function* replay(parts: readonly ChatStreamPart[]): AsyncGenerator<ChatStreamPart, void, undefined> {
  for (const part of parts) yield structuredClone(part);
}
