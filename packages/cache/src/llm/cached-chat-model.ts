import {
  AgenticGenError,
  type CacheStore,
  type ChatModel,
  type ChatRequest,
  type ChatResponse,
  type ChatStreamPart,
  collectStream,
  partsFromResponse,
  raceWithSignal,
} from '@agenticgen/core';
import { cacheError } from '../errors.js';
import { assertTtl } from '../validation.js';
import { stableHash } from './stable-hash.js';

/** Per-call cache settings, passed as `request.providerOptions.cache` (removed before the model sees the request). */
export interface ChatCacheCallOptions {
  /** `false` skips the cache for this call: no lookup, no store. */
  enabled?: boolean;
  /** TTL of this answer, overriding the middleware's. */
  ttlMs?: number;
  /** Tags stored with this answer (for `invalidateTags`). */
  tags?: string[];
}

/** What a lookup found, for logs and metrics. */
export interface ChatCacheLookup {
  /** The cache key of the request. */
  key: string;
  /** Whether a stored answer was used. */
  hit: boolean;
  /** Which method was called. */
  method: 'generate' | 'stream';
}

export interface CachedChatModelOptions {
  /** Where answers are stored: a `createCache()` cache or any `CacheStore`. */
  cache: CacheStore;
  /** TTL of stored answers (default: the store's default). */
  ttlMs?: number;
  /**
   * Requests with a temperature above this are not cached: their callers asked for variety. Default 0.3.
   * Requests without a temperature are cached (see `cacheUnsetTemperature`).
   */
  maxTemperature?: number;
  /** Cache requests that do not set a temperature (the provider's default applies). Default true. */
  cacheUnsetTemperature?: boolean;
  /** Prefix of the cache keys (default `chat`). */
  keyPrefix?: string;
  /** Extra veto: return false to skip the cache for a request (runs after the built-in checks). */
  shouldCache?: (request: ChatRequest) => boolean;
  /** Told about every lookup (hit or miss). May not throw. */
  onLookup?: (lookup: ChatCacheLookup) => void;
}

/** The name under `providerOptions` that carries per-call cache settings. */
export const chatCacheOptionsKey = 'cache';

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
  const maxTemperature = options.maxTemperature ?? 0.3;
  if (typeof maxTemperature !== 'number' || Number.isNaN(maxTemperature)) {
    throw cacheError('invalid-config', `maxTemperature must be a number, got ${String(maxTemperature)}`);
  }
  if (options.ttlMs !== undefined) assertTtl(options.ttlMs, 'ttlMs');
  const { cache } = options;
  const keyPrefix = options.keyPrefix ?? 'chat';

  function plan(request: ChatRequest) {
    const { [chatCacheOptionsKey]: callOptions, ...providerOptions } = request.providerOptions ?? {};
    const call = (callOptions ?? {}) as ChatCacheCallOptions;
    const forwarded: ChatRequest = { ...request };
    if (request.providerOptions !== undefined) {
      if (Object.keys(providerOptions).length > 0) forwarded.providerOptions = providerOptions;
      else delete forwarded.providerOptions;
    }
    const temperature = request.temperature;
    const enabled =
      call.enabled !== false &&
      (temperature === undefined ? options.cacheUnsetTemperature !== false : temperature <= maxTemperature) &&
      (options.shouldCache?.(forwarded) ?? true);
    const storeOptions: { ttlMs?: number; tags?: string[] } = {};
    const ttlMs = call.ttlMs ?? options.ttlMs;
    if (ttlMs !== undefined) storeOptions.ttlMs = ttlMs;
    if (call.tags !== undefined) storeOptions.tags = call.tags;
    return { forwarded, enabled, storeOptions };
  }

  async function keyOf(request: ChatRequest): Promise<string> {
    const { signal: _signal, timeoutMs: _timeout, headers: _headers, ...shaping } = request;
    const hash = await stableHash({ v: 1, provider: model.provider, modelId: model.modelId, request: shaping });
    return `${keyPrefix}:${model.provider}:${model.modelId}:${hash}`;
  }

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
      const load = async (): Promise<StoredAnswer> => {
        called = true;
        return { kind: 'response', response: await model.generate(forwarded) };
      };
      // With a tiered cache the signal also keeps a cancelled call out of negative caching; other stores ignore it.
      const lookupOptions: typeof storeOptions & { signal?: AbortSignal } = { ...storeOptions };
      if (request.signal !== undefined) lookupOptions.signal = request.signal;
      let stored: StoredAnswer;
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
          if (part.type === 'finish') finished = true;
          yield part;
        }
        // Only complete answers are stored: an error or an early `break` never reaches this line.
        if (finished) await cache.set(key, { kind: 'parts', parts } satisfies StoredAnswer, storeOptions);
      })();
    },
  };
}

/** Yields copies: L1 holds the stored parts by reference, and a consumer that edits a part must not edit the cache. */
async function* replay(parts: readonly ChatStreamPart[]): AsyncGenerator<ChatStreamPart, void, undefined> {
  for (const part of parts) yield structuredClone(part);
}
