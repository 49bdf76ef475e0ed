import {
  AgenticGenError,
  type ChatModel,
  type ChatRequest,
  type ChatResponse,
  ChatStreamFolder,
  type ChatStreamPart,
  checkResponseCacheRules,
  createEventBus,
  isCacheableResponse,
  partsFromResponse,
  planResponseCache,
  responseCacheKey,
} from '@agenticgen/core';
import { sleep } from '../shared/retry.js';
import { type LimiterClock, Semaphore, TokenBucket } from './limits.js';
import { ModelHealth, resolveHealthOptions } from './model-health.js';
import {
  type AnsweringModel,
  type FallbackRecord,
  type ModelEntry,
  type ModelManager,
  type ModelManagerEvent,
  type ModelManagerEvents,
  type ModelManagerOptions,
  modelManagerEventTypes,
} from './model-manager-types.js';
import { defaultTokenEstimate, meets } from './model-selection.js';
import { responseCacheRules } from './response-cache.js';

export type {
  AnsweringModel,
  FallbackRecord,
  ModelEntry,
  ModelManager,
  ModelManagerEvent,
  ModelManagerOptions,
} from './model-manager-types.js';

const realClock: LimiterClock = { now: () => Date.now(), sleep: (ms, signal) => sleep(ms, signal) };

interface Slot {
  name: string;
  entry: ModelEntry;
  health: ModelHealth;
  semaphore?: Semaphore;
  requests?: TokenBucket;
  tokens?: TokenBucket;
}

/** Creates a registry of named models with aliases, capability selection, fallbacks, limits and caching. */
export function createModelManager(options: ModelManagerOptions): ModelManager {
  const clock = options.clock ?? realClock;
  const slots = new Map<string, Slot>();
  const aliases = new Map<string, string>();
  const events = createEventBus<ModelManagerEvents>();
  const onEvent = options.onEvent;
  if (onEvent !== undefined) for (const type of modelManagerEventTypes) events.on(type, onEvent);
  const emit = (event: ModelManagerEvent) => {
    if (events.hasListeners(event.type)) events.emit(event.type, event as never);
  };
  const shouldFallback = options.shouldFallback ?? ((error: AgenticGenError) => error.retryable);
  const estimate = options.estimateTokens ?? defaultTokenEstimate;
  const namespace = options.cache?.namespace ?? 'agenticgen:model-response';
  if (options.cache !== undefined) checkResponseCacheRules(options.cache, 'adapters model manager');
  const cacheRules = options.cache === undefined ? undefined : responseCacheRules(options.cache);
  const healthOptions = resolveHealthOptions(options.health);

  for (const [name, value] of Object.entries(options.models)) {
    const entry: ModelEntry = 'model' in value ? value : { model: value };
    const slot: Slot = {
      name,
      entry,
      health: new ModelHealth(healthOptions.failureThreshold, healthOptions.coolDownMs, clock),
    };
    const concurrency = entry.concurrency ?? entry.maxConcurrency;
    if (concurrency !== undefined) slot.semaphore = new Semaphore(positive(concurrency, name, 'concurrency'));
    if (entry.requestsPerMinute !== undefined) {
      slot.requests = new TokenBucket(positive(entry.requestsPerMinute, name, 'requestsPerMinute'), clock);
    }
    if (entry.tokensPerMinute !== undefined) {
      slot.tokens = new TokenBucket(positive(entry.tokensPerMinute, name, 'tokensPerMinute'), clock);
    }
    slots.set(name, slot);
    for (const alias of entry.aliases ?? []) aliases.set(alias, name);
  }
  for (const [alias, target] of Object.entries(options.aliases ?? {})) aliases.set(alias, target);
  for (const [alias, target] of aliases) {
    if (!slots.has(target)) {
      throw new AgenticGenError(
        'invalid-config',
        `[adapters:manager] alias "${alias}" points to unknown model "${target}"`,
      );
    }
  }
  for (const slot of slots.values()) {
    for (const fallback of slot.entry.fallbacks ?? []) {
      if (!slots.has(aliases.get(fallback) ?? fallback)) {
        throw new AgenticGenError(
          'invalid-config',
          `[adapters:manager] "${slot.name}" falls back to unknown model "${fallback}"`,
        );
      }
    }
  }

  const resolve = (name: string): string => {
    const canonical = aliases.get(name) ?? name;
    if (!slots.has(canonical)) {
      throw new AgenticGenError(
        'not-found',
        `[adapters:manager] no model named "${name}"; registered: ${[...slots.keys(), ...aliases.keys()].join(', ')}`,
      );
    }
    return canonical;
  };
  const slotOf = (name: string) => slots.get(resolve(name)) as Slot;
  const chainOf = (name: string): Slot[] => {
    const first = slotOf(name);
    return [first, ...(first.entry.fallbacks ?? []).map((fallback) => slotOf(fallback))];
  };

  /** Waits for concurrency and rate limits; returns the release function and the token reservation. */
  async function admit(slot: Slot, request: ChatRequest): Promise<{ release: () => void; reserved: number }> {
    const scope = `adapters:manager:${slot.name}`;
    const release = slot.semaphore ? await slot.semaphore.acquire(request.signal, scope) : () => undefined;
    try {
      if (slot.requests) {
        const waitedMs = await slot.requests.take(1, request.signal);
        if (waitedMs > 0) emit({ type: 'rate-limit-wait', model: slot.name, limit: 'requests', waitedMs });
      }
      const reserved = slot.tokens ? estimate(request) : 0;
      if (slot.tokens) {
        const waitedMs = await slot.tokens.take(reserved, request.signal);
        if (waitedMs > 0) emit({ type: 'rate-limit-wait', model: slot.name, limit: 'tokens', waitedMs });
      }
      return { release, reserved };
    } catch (error) {
      release();
      throw error;
    }
  }

  const settleTokens = (slot: Slot, reserved: number, usage: ChatResponse['usage'] | undefined) => {
    if (slot.tokens && usage !== undefined)
      slot.tokens.adjust(usage.totalTokens - Math.min(reserved, slot.tokens.perMinute));
  };

  /** Core's response cache rules decide; `forwarded` is the request without `providerOptions.cache`. */
  async function cached(
    slot: Slot,
    request: ChatRequest,
  ): Promise<{
    forwarded: ChatRequest;
    key?: string;
    storeOptions?: { ttlMs?: number; tags?: string[] };
    hit?: ChatResponse;
  }> {
    if (options.cache === undefined || cacheRules === undefined) return { forwarded: request };
    const plan = planResponseCache(request, cacheRules);
    if (!plan.enabled) return { forwarded: plan.request };
    const key = await responseCacheKey(namespace, slot.entry.model, plan.request, slot.name);
    // The cache is an optimisation: a failing store must not fail the request.
    const hit = await options.cache.store.get<ChatResponse>(key).catch(() => undefined);
    emit({ type: hit === undefined ? 'cache-miss' : 'cache-hit', model: slot.name, key });
    const found = { forwarded: plan.request, key, storeOptions: plan.storeOptions };
    return hit === undefined ? found : { ...found, hit };
  }

  const store = async (
    cache: { key?: string; storeOptions?: { ttlMs?: number; tags?: string[] } },
    response: ChatResponse,
  ) => {
    if (options.cache === undefined || cache.key === undefined || !isCacheableResponse(response)) return;
    await options.cache.store.set(cache.key, response, cache.storeOptions ?? {}).catch(() => undefined);
  };

  async function generateOn(slot: Slot, request: ChatRequest): Promise<ChatResponse> {
    const cache = await cached(slot, request);
    if (cache.hit !== undefined)
      return { ...cache.hit, providerMetadata: { ...cache.hit.providerMetadata, cacheHit: true } };
    const { release, reserved } = await admit(slot, request);
    slot.health.claim();
    try {
      const response = await slot.entry.model.generate(cache.forwarded);
      slot.health.succeeded();
      settleTokens(slot, reserved, response.usage);
      await store(cache, response);
      return response;
    } catch (error) {
      judge(slot, error, request);
      throw error;
    } finally {
      release();
    }
  }

  async function* streamOn(
    slot: Slot,
    request: ChatRequest,
    started: { value: boolean },
  ): AsyncGenerator<ChatStreamPart> {
    const cache = await cached(slot, request);
    if (cache.hit !== undefined) {
      started.value = true;
      yield* partsFromResponse({ ...cache.hit, providerMetadata: { ...cache.hit.providerMetadata, cacheHit: true } });
      return;
    }
    const { release, reserved } = await admit(slot, request);
    const collector = new ChatStreamFolder({ modelId: slot.entry.model.modelId });
    let judged = false;
    slot.health.claim();
    try {
      for await (const part of slot.entry.model.stream(cache.forwarded)) {
        started.value = true;
        collector.add(part);
        if (part.type === 'finish') {
          judged = true;
          slot.health.succeeded();
          settleTokens(slot, reserved, part.usage);
          await store(cache, collector.response());
        }
        yield part;
      }
    } catch (error) {
      judged = true;
      judge(slot, error, request);
      throw error;
    } finally {
      // A consumer that stopped early says nothing about the model's health.
      if (!judged) slot.health.released();
      release();
    }
  }

  /** Records a failed call in the model's health: only fallback-worthy failures count against it. */
  const judge = (slot: Slot, error: unknown, request: ChatRequest) => {
    if (request.signal?.aborted || !AgenticGenError.isInstance(error) || !shouldFallback(error)) {
      slot.health.released();
      return;
    }
    const until = slot.health.failed();
    if (until !== undefined) emit({ type: 'model-cooldown-start', model: slot.name, until, code: error.code });
  };

  /**
   * Whether a chain passes over the model at `index`: it is cooling down and a later model of the chain is not.
   * When every remaining model cools down, the chain still tries them rather than fail without a call.
   */
  const skips = (chain: Slot[], index: number): boolean => {
    const slot = chain[index] as Slot;
    const until = slot.health.coolingUntil();
    if (until === undefined) return false;
    if (!chain.slice(index + 1).some((later) => later.health.coolingUntil() === undefined)) return false;
    emit({ type: 'model-skip', model: slot.name, until });
    return true;
  };

  /** The metadata of an answer given by another model than the one asked for. */
  const answerMetadata = (slot: Slot, failures: FallbackRecord[], skipped: string[]) => {
    const answeredBy: AnsweringModel = { provider: slot.entry.model.provider, modelId: slot.entry.model.modelId };
    return { model: slot.name, answeredBy, fallbacks: failures, ...(skipped.length > 0 ? { skipped } : {}) };
  };

  const fallbackOrThrow = (
    error: unknown,
    slot: Slot,
    next: Slot | undefined,
    failures: FallbackRecord[],
    request: ChatRequest,
    startedAt: number,
  ) => {
    const known = AgenticGenError.isInstance(error)
      ? error
      : new AgenticGenError('internal', `[adapters:manager] ${String(error)}`, { cause: error });
    const failure: FallbackRecord = {
      model: slot.name,
      provider: slot.entry.model.provider,
      modelId: slot.entry.model.modelId,
      code: known.code,
      message: known.message,
      durationMs: Math.max(0, clock.now() - startedAt),
    };
    if (next === undefined || request.signal?.aborted || !shouldFallback(known)) {
      if (failures.length === 0) throw known;
      throw new AgenticGenError(
        known.code,
        `${known.message} (after falling back from ${failures.map((entry) => entry.model).join(', ')})`,
        {
          cause: known,
          retryable: known.retryable,
          data: {
            ...known.data,
            model: slot.name,
            failedModel: { provider: failure.provider, modelId: failure.modelId },
            fallbacks: failures,
          },
        },
      );
    }
    failures.push(failure);
    emit({ type: 'model-fallback', from: slot.name, to: next.name, code: known.code, message: known.message });
  };

  /**
   * The walk down a model's fallback chain, shared by `generate` and `stream`: each model to try in turn (cooled-down
   * ones passed over), with `fail` to record its failure (it throws when the chain ends there or the failure does
   * not fall back) and `answerMetadata` for the answer of a model other than the one asked for.
   */
  function* attemptsOf(name: string, request: ChatRequest) {
    const chain = chainOf(name);
    const failures: FallbackRecord[] = [];
    const skipped: string[] = [];
    for (const [index, slot] of chain.entries()) {
      if (skips(chain, index)) {
        skipped.push(slot.name);
        continue;
      }
      const startedAt = clock.now();
      yield {
        slot,
        answerMetadata: () =>
          failures.length > 0 || skipped.length > 0 ? answerMetadata(slot, failures, skipped) : undefined,
        fail: (error: unknown) => fallbackOrThrow(error, slot, chain[index + 1], failures, request, startedAt),
      };
    }
  }

  const managed = (name: string): ChatModel => {
    const first = slotOf(name);
    return {
      provider: first.entry.model.provider,
      modelId: first.entry.model.modelId,
      capabilities: first.entry.model.capabilities,
      async generate(request) {
        for (const attempt of attemptsOf(name, request)) {
          try {
            const response = await generateOn(attempt.slot, request);
            const metadata = attempt.answerMetadata();
            return metadata === undefined
              ? response
              : { ...response, providerMetadata: { ...response.providerMetadata, ...metadata } };
          } catch (error) {
            attempt.fail(error);
          }
        }
        throw new AgenticGenError('internal', '[adapters:manager] empty fallback chain');
      },
      async *stream(request) {
        for (const attempt of attemptsOf(name, request)) {
          const started = { value: false };
          try {
            for await (const part of streamOn(attempt.slot, request, started)) {
              const metadata = part.type === 'finish' ? attempt.answerMetadata() : undefined;
              yield part.type === 'finish' && metadata !== undefined
                ? { ...part, providerMetadata: { ...part.providerMetadata, ...metadata } }
                : part;
            }
            return;
          } catch (error) {
            // Parts already delivered cannot be taken back, so a started stream never falls back.
            if (started.value) throw error;
            attempt.fail(error);
          }
        }
      },
    };
  };

  return {
    events,
    resolve,
    names: () => [...slots.keys()],
    model: (name) => slotOf(name).entry.model,
    get: managed,
    select(requirements) {
      return [...slots.values()]
        .filter(({ entry: { model } }) => meets(model.capabilities, requirements))
        .map((slot) => slot.name);
    },
    generate: (name, request) => managed(name).generate(request),
    stream: (name, request) => managed(name).stream(request),
    stats(name) {
      const slot = slotOf(name);
      return { inFlight: slot.semaphore?.inUse ?? 0, queued: slot.semaphore?.queued ?? 0 };
    },
  };
}

function positive(value: number, name: string, field: string): number {
  if (!Number.isFinite(value) || value <= 0) {
    throw new AgenticGenError(
      'invalid-config',
      `[adapters:manager] ${field} of "${name}" must be a positive number, got ${value}`,
    );
  }
  return value;
}
