import type { CacheStore, ChatRequest, ChatResponse } from '@agenticgen/core';

/** Response cache settings of the model manager. */
export interface ResponseCacheOptions {
  /** Where responses are kept (e.g. a `@agenticgen/cache` tiered cache, or any CacheStore). */
  store: CacheStore;
  /** Time to live in milliseconds (default: the store's default). */
  ttlMs?: number;
  /** Key prefix (default `agenticgen:model-response`). */
  namespace?: string;
  /** Which requests may be served from the cache (default: every request without tools results pending). */
  when?: (request: ChatRequest) => boolean;
}

/**
 * The cache key: a SHA-256 over the model and everything in the request that shapes the answer. Signals,
 * timeouts and headers are left out: they change how a request travels, not what it asks.
 */
export async function responseCacheKey(namespace: string, modelKey: string, request: ChatRequest): Promise<string> {
  const { signal: _signal, timeoutMs: _timeout, headers: _headers, ...shape } = request;
  const text = stableStringify({ model: modelKey, request: shape });
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  const hex = Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, '0')).join('');
  return `${namespace}:${hex}`;
}

/** JSON with sorted object keys, so equal requests hash equally; bytes are hex-encoded. */
export function stableStringify(value: unknown): string {
  if (value instanceof Uint8Array)
    return JSON.stringify(`bytes:${Array.from(value, (byte) => byte.toString(16)).join('')}`);
  if (Array.isArray(value)) return `[${value.map((item) => stableStringify(item)).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== undefined)
      .sort(([left], [right]) => (left < right ? -1 : left > right ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${stableStringify(item)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** Only finished answers are worth replaying. */
export function cacheable(response: ChatResponse): boolean {
  return response.finishReason !== 'error';
}
