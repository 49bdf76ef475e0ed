import type { AgenticGenError, ChatModel, ChatRequest, ChatResponse, ChatStreamPart, EventBus } from '@agenticgen/core';
import type { LimiterClock } from './limits.js';
import type { ModelHealthOptions } from './model-health.js';
import type { ModelRequirements } from './model-selection.js';
import type { ResponseCacheOptions } from './response-cache.js';

/** A registered model with its limits. */
export interface ModelEntry {
  /** The model. */
  model: ChatModel;
  /** Other names that resolve to it (e.g. `fast`). */
  aliases?: string[];
  /** Requests in flight at once (default unlimited). */
  concurrency?: number;
  /** @deprecated Use `concurrency` (the name core's scheduler and DAG use for the idea); removed in the next minor release. */
  maxConcurrency?: number;
  /** Requests per minute, token bucket (default unlimited). */
  requestsPerMinute?: number;
  /** Input plus output tokens per minute, token bucket (default unlimited). */
  tokensPerMinute?: number;
  /** Models to try, in order, when this one fails with a fallback-worthy error. */
  fallbacks?: string[];
}

/** A manager event; names are noun-verb. */
export type ModelManagerEvent =
  | {
      /** A model failed with a fallback-worthy error and the next model of its chain is tried. */
      type: 'model-fallback';
      /** The model that failed (its name in the manager). */
      from: string;
      /** The model tried next. */
      to: string;
      /** The failure's error code. */
      code: string;
      /** The failure's message. */
      message: string;
    }
  | {
      /** The response cache answered the request; no model was called. */
      type: 'cache-hit';
      /** The model the request named. */
      model: string;
      /** The cache key of the request. */
      key: string;
    }
  | {
      /** The response cache had no answer; the model is called and its response stored. */
      type: 'cache-miss';
      /** The model the request named. */
      model: string;
      /** The cache key of the request. */
      key: string;
    }
  | {
      /** A request waited for a rate limit (`requestsPerMinute` or `tokensPerMinute`) before it was sent. */
      type: 'rate-limit-wait';
      /** The model whose limit applied. */
      model: string;
      /** Which limit: requests or tokens per minute. */
      limit: 'requests' | 'tokens';
      /** How long the request waited, in milliseconds. */
      waitedMs: number;
    }
  | {
      /** A model failed in a way that puts it in cooldown (health tracking): it is skipped until `until`. */
      type: 'model-cooldown-start';
      /** The model in cooldown. */
      model: string;
      /** When the cooldown ends, in epoch milliseconds of the manager's clock. */
      until: number;
      /** The error code that started it. */
      code: string;
    }
  | {
      /** A fallback chain skipped a model in cooldown. */
      type: 'model-skip';
      /** The model skipped. */
      model: string;
      /** When its cooldown ends, in epoch milliseconds of the manager's clock. */
      until: number;
    };

/** The manager's events by name (`manager.events.on('model-fallback', …)`); each payload keeps its `type`. */
export type ModelManagerEvents = { [Event in ModelManagerEvent as Event['type']]: Event };

/** Every event name, so the deprecated `onEvent` callback can listen to all of them. */
export const modelManagerEventTypes = [
  'model-fallback',
  'cache-hit',
  'cache-miss',
  'rate-limit-wait',
  'model-cooldown-start',
  'model-skip',
] as const satisfies readonly (keyof ModelManagerEvents)[];

/** One failed attempt in a fallback chain, recorded on the response as `providerMetadata.fallbacks`. */
export interface FallbackRecord {
  /** The model that failed (its name in the manager). */
  model: string;
  /** Its provider, so metrics can record the failure under the model that failed. */
  provider: string;
  /** Its provider model id. */
  modelId: string;
  /** Its error code. */
  code: string;
  /** Its error message. */
  message: string;
  /** How long the attempt took, in milliseconds. */
  durationMs: number;
}

/** The model that answered after a fallback, as `providerMetadata.answeredBy` (metrics and cost go under it). */
export interface AnsweringModel {
  provider: string;
  modelId: string;
}

export interface ModelManagerOptions {
  /** Models by name, e.g. `{ 'openai:gpt-4.1-mini': model }` or with limits `{ name: { model, … } }`. */
  models: Record<string, ChatModel | ModelEntry>;
  /** Extra aliases: alias → model name. */
  aliases?: Record<string, string>;
  /** Optional response cache. */
  cache?: ResponseCacheOptions;
  /** Which errors move on to the next model of a chain (default: retryable ones). */
  shouldFallback?: (error: AgenticGenError) => boolean;
  /** Token estimate of a request for the tokens-per-minute bucket (default: characters / 4 + maxOutputTokens). */
  estimateTokens?: (request: ChatRequest) => number;
  /**
   * Manager events (fallbacks, cache hits and misses, rate-limit waits).
   * @deprecated Listen on `manager.events` (core's `EventBus`) instead; this callback is subscribed to every
   * event there, so a throwing callback is reported as an `error` event like any listener, never thrown into
   * the model call.
   */
  onEvent?: (event: ModelManagerEvent) => void;
  /**
   * Health-aware routing: a model that keeps failing is skipped by fallback chains during a cool-down, then
   * tried again by one request (default: 3 failures, 30 s). `false` always tries every model in order.
   */
  health?: ModelHealthOptions | false;
  /** Time source for the rate limiters and the health cool-downs (tests). */
  clock?: LimiterClock;
}

export interface ModelManager {
  /**
   * Typed events (core's `EventBus`): `model-fallback`, `cache-hit`, `cache-miss`, `rate-limit-wait`,
   * `model-cooldown-start`, `model-skip`, and `error` for a listener that threw (code `listener-failed`; logged
   * with `console.error` when nobody listens to `error`). A listener never breaks the model call.
   */
  readonly events: EventBus<ModelManagerEvents>;
  /** The canonical name for a name or alias; throws `not-found`. */
  resolve(name: string): string;
  /** Registered model names (not aliases), in registration order. */
  names(): string[];
  /** The raw model registered under a name or alias. */
  model(name: string): ChatModel;
  /** A ChatModel for a name or alias that applies limits, cache and the fallback chain. */
  get(name: string): ChatModel;
  /** Names of models meeting every requirement, in registration order. */
  select(requirements: ModelRequirements): string[];
  /** `get(name).generate(request)`. */
  generate(name: string, request: ChatRequest): Promise<ChatResponse>;
  /** `get(name).stream(request)`. */
  stream(name: string, request: ChatRequest): AsyncIterable<ChatStreamPart>;
  /** Live concurrency figures of a model. */
  stats(name: string): { inFlight: number; queued: number };
}
