import { AgenticGenError, type CacheStore, type ChatStreamPart, type ErrorCode } from '@agenticgen/core';
import { describe, expect, it, vi } from 'vitest';
import { createAnthropicChatModel } from '../anthropic/index.js';
import { createOpenAIChatModel } from '../openai/index.js';
import { ask, collectParts, rejection, uniqueKey } from '../testing/contract-suite.js';
import { browserOptIn, fakeServerUrls } from '../testing/fake-server-urls.js';
import { createScriptedModel, textResponse } from '../testing/scripted-model.js';
import { createModelManager, type ModelManagerEvent } from './model-manager.js';
import type { ModelManagerEvents } from './model-manager-types.js';

const answering = (modelId: string, capabilities = {}) =>
  createScriptedModel({ modelId, capabilities, answer: () => textResponse(`from ${modelId}`, modelId) });
const failing = (modelId: string, code: ErrorCode) =>
  createScriptedModel({
    modelId,
    answer: () => {
      throw new AgenticGenError(code, `[test] ${modelId} failed with ${code}`);
    },
  });

/** A CacheStore over a Map, as the contract allows for tests. */
function mapCache(): CacheStore & { map: Map<string, unknown> } {
  const map = new Map<string, unknown>();
  return {
    map,
    get: async <T>(key: string) => structuredClone(map.get(key)) as T | undefined,
    set: async (key, value) => {
      map.set(key, structuredClone(value));
    },
    delete: async (key) => {
      map.delete(key);
    },
    has: async (key) => map.has(key),
    async getOrSet<T>(key: string, loader: () => Promise<T>) {
      if (!map.has(key)) map.set(key, await loader());
      return map.get(key) as T;
    },
  };
}

/** A clock whose sleep advances time instantly, so limits are tested without waiting. */
function fakeClock() {
  let now = 0;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => now,
    sleep: async (ms: number) => {
      sleeps.push(ms);
      now += ms;
    },
  };
}

describe('createModelManager', () => {
  it('resolves names and aliases and rejects unknown ones', () => {
    const manager = createModelManager({
      models: { 'openai:gpt-4.1-mini': { model: answering('gpt-4.1-mini'), aliases: ['fast'] } },
      aliases: { default: 'openai:gpt-4.1-mini' },
    });
    expect(manager.resolve('fast')).toBe('openai:gpt-4.1-mini');
    expect(manager.resolve('default')).toBe('openai:gpt-4.1-mini');
    expect(manager.names()).toEqual(['openai:gpt-4.1-mini']);
    expect(() => manager.resolve('slow')).toThrowError(expect.objectContaining({ code: 'not-found' }));
    expect(() => createModelManager({ models: {}, aliases: { x: 'missing' } })).toThrowError(
      expect.objectContaining({ code: 'invalid-config' }),
    );
  });

  it('selects models by capability and context size', () => {
    const manager = createModelManager({
      models: {
        small: answering('small', { vision: false, contextWindow: 8_000 }),
        seeing: answering('seeing', { vision: true, contextWindow: 128_000 }),
        huge: answering('huge', { vision: true, reasoning: true, contextWindow: 1_000_000 }),
      },
    });
    expect(manager.select({ vision: true })).toEqual(['seeing', 'huge']);
    expect(manager.select({ minContextWindow: 200_000 })).toEqual(['huge']);
    expect(manager.select({ reasoning: true, tools: true })).toEqual(['huge']);
    expect(manager.select({})).toEqual(['small', 'seeing', 'huge']);
  });

  it('falls back on retryable failures and records why', async () => {
    const events: ModelManagerEvent[] = [];
    const manager = createModelManager({
      models: {
        primary: { model: failing('primary', 'overloaded'), fallbacks: ['secondary', 'tertiary'] },
        secondary: failing('secondary', 'rate-limit'),
        tertiary: answering('tertiary'),
      },
      onEvent: (event) => events.push(event),
    });
    const response = await manager.generate('primary', ask);
    expect(response.text).toBe('from tertiary');
    expect(response.providerMetadata).toMatchObject({
      model: 'tertiary',
      fallbacks: [
        { model: 'primary', code: 'overloaded' },
        { model: 'secondary', code: 'rate-limit' },
      ],
    });
    expect(events.filter((event) => event.type === 'model-fallback')).toMatchObject([
      { from: 'primary', to: 'secondary', code: 'overloaded' },
      { from: 'secondary', to: 'tertiary', code: 'rate-limit' },
    ]);
  });

  it('reports events on manager.events; a throwing listener (or deprecated onEvent) never breaks the call', async () => {
    const failures: { event: string; code: string }[] = [];
    const manager = createModelManager({
      models: {
        primary: { model: failing('primary', 'overloaded'), fallbacks: ['secondary'] },
        secondary: answering('secondary'),
      },
      onEvent: () => {
        throw new Error('a broken logging callback');
      },
    });
    const fallbacks: ModelManagerEvents['model-fallback'][] = [];
    manager.events.on('model-fallback', (event) => fallbacks.push(event));
    manager.events.on('error', ({ event, error }) => failures.push({ event, code: error.code }));
    const response = await manager.generate('primary', ask);
    expect(response.text).toBe('from secondary');
    expect(fallbacks).toMatchObject([{ type: 'model-fallback', from: 'primary', to: 'secondary', code: 'overloaded' }]);
    expect(failures).toEqual([{ event: 'model-fallback', code: 'listener-failed' }]);
  });

  it('does not fall back on non-retryable errors and reports an exhausted chain', async () => {
    const manager = createModelManager({
      models: {
        broken: { model: failing('broken', 'authentication'), fallbacks: ['good'] },
        flaky: { model: failing('flaky', 'server'), fallbacks: ['down'] },
        down: failing('down', 'overloaded'),
        good: answering('good'),
      },
    });
    expect((await rejection(manager.generate('broken', ask))).code).toBe('authentication');
    const exhausted = await rejection(manager.generate('flaky', ask));
    expect(exhausted.code).toBe('overloaded');
    expect(exhausted.data?.fallbacks).toMatchObject([{ model: 'flaky', code: 'server' }]);
  });

  it('falls back for streams only before the first part', async () => {
    const manager = createModelManager({
      models: {
        primary: { model: failing('primary', 'server'), fallbacks: ['secondary'] },
        secondary: answering('secondary'),
      },
    });
    const parts = await collectParts(manager.stream('primary', ask));
    const finish = parts.at(-1) as Extract<ChatStreamPart, { type: 'finish' }>;
    expect(finish.providerMetadata).toMatchObject({
      model: 'secondary',
      fallbacks: [{ model: 'primary', code: 'server' }],
    });
    const midway = createScriptedModel({ modelId: 'midway', answer: () => textResponse('x', 'midway') });
    midway.stream = async function* () {
      yield { type: 'response-start', modelId: 'midway' };
      throw new AgenticGenError('network', '[test] cut');
    };
    const second = answering('second');
    const cutManager = createModelManager({ models: { midway: { model: midway, fallbacks: ['second'] }, second } });
    expect((await rejection(collectParts(cutManager.stream('midway', ask)))).code).toBe('network');
    expect(second.calls).toHaveLength(0);
  });

  it('limits concurrency per model', async () => {
    let inFlight = 0;
    let peak = 0;
    const releases: Array<() => void> = [];
    const slow = createScriptedModel({
      modelId: 'slow',
      answer: async () => {
        inFlight++;
        peak = Math.max(peak, inFlight);
        await new Promise<void>((resolve) => releases.push(resolve));
        inFlight--;
        return textResponse('done', 'slow');
      },
    });
    const manager = createModelManager({ models: { slow: { model: slow, concurrency: 2 } } });
    const pending = Array.from({ length: 5 }, () => manager.generate('slow', ask));
    await vi.waitFor(() => expect(manager.stats('slow')).toEqual({ inFlight: 2, queued: 3 }));
    for (let released = 0; released < 5; released++) {
      await vi.waitFor(() => expect(releases.length).toBeGreaterThan(0)); // the next queued call has started
      releases.shift()?.();
    }
    expect(await Promise.all(pending)).toHaveLength(5);
    expect(peak).toBe(2);
    expect(manager.stats('slow')).toEqual({ inFlight: 0, queued: 0 });
  });

  it('a queued request can be aborted', async () => {
    const never = createScriptedModel({ modelId: 'never', answer: () => new Promise(() => undefined) });
    // The deprecated `maxConcurrency` name still limits.
    const manager = createModelManager({ models: { never: { model: never, maxConcurrency: 1 } } });
    void manager.generate('never', ask);
    const controller = new AbortController();
    const queued = manager.generate('never', { ...ask, signal: controller.signal });
    controller.abort();
    expect((await rejection(queued)).code).toBe('aborted');
    expect(manager.stats('never').queued).toBe(0);
  });

  it('enforces requests per minute with a token bucket', async () => {
    const clock = fakeClock();
    const events: ModelManagerEvent[] = [];
    const manager = createModelManager({
      models: { limited: { model: answering('limited'), requestsPerMinute: 2 } },
      clock,
      onEvent: (event) => events.push(event),
    });
    for (let index = 0; index < 3; index++) await manager.generate('limited', ask);
    // Two requests fit the bucket; the third waits for one request's refill: 60 000 / 2 ms.
    expect(clock.sleeps).toEqual([30_000]);
    expect(events).toContainEqual({ type: 'rate-limit-wait', model: 'limited', limit: 'requests', waitedMs: 30_000 });
  });

  it('enforces tokens per minute and corrects estimates with real usage', async () => {
    const clock = fakeClock();
    const model = createScriptedModel({
      modelId: 'metered',
      answer: () => textResponse('ok', 'metered', { inputTokens: 70, outputTokens: 30 }),
    });
    const manager = createModelManager({
      models: { metered: { model, tokensPerMinute: 120 } },
      estimateTokens: () => 20,
      clock,
    });
    await manager.generate('metered', ask); // takes 20, then usage says 100: balance 120 - 100 = 20
    await manager.generate('metered', ask); // 20 available: no wait; balance -80 after usage
    expect(clock.sleeps).toEqual([]);
    await manager.generate('metered', ask); // needs 20 from -80: 100 tokens at 2 per second = 50 s
    expect(clock.sleeps).toEqual([50_000]);
  });

  it('serves repeated requests from the response cache, for generate and stream', async () => {
    const store = mapCache();
    const events: ModelManagerEvent[] = [];
    const model = answering('cached-model');
    const manager = createModelManager({
      models: { cached: model },
      cache: { store, ttlMs: 60_000 },
      onEvent: (event) => events.push(event),
    });
    const first = await manager.generate('cached', { ...ask, temperature: 0 });
    const second = await manager.generate('cached', { ...ask, temperature: 0, timeoutMs: 5 });
    expect(second.text).toBe(first.text);
    expect(second.providerMetadata?.cacheHit).toBe(true);
    expect(model.calls).toHaveLength(1);
    await manager.generate('cached', { ...ask, temperature: 1 });
    expect(model.calls).toHaveLength(2);
    // A streamed miss is stored when it finishes; the next stream replays it.
    const streamed = await collectParts(manager.stream('cached', { ...ask, seed: 1 }));
    const replayed = await collectParts(manager.stream('cached', { ...ask, seed: 1 }));
    expect(model.calls).toHaveLength(3);
    expect(replayed.filter((part) => part.type === 'text-delta')).toEqual(
      streamed.filter((part) => part.type === 'text-delta'),
    );
    expect(events.filter((event) => event.type === 'cache-hit')).toHaveLength(2);
    // The temperature-1 answer is not stored: above core's default maxTemperature (0.3), callers want variety.
    expect(store.map.size).toBe(2);
  });

  it('answers from the model when the cache store fails', async () => {
    const broken = mapCache();
    broken.get = async () => {
      throw new Error('store down');
    };
    broken.set = async () => {
      throw new Error('store down');
    };
    const manager = createModelManager({ models: { m: answering('m') }, cache: { store: broken } });
    expect((await manager.generate('m', ask)).text).toBe('from m');
  });

  it('falls back across real adapters: Anthropic overloaded → OpenAI', async () => {
    const urls = fakeServerUrls();
    const key = uniqueKey();
    const manager = createModelManager({
      models: {
        'anthropic:claude': {
          model: createAnthropicChatModel({
            modelId: `claude-sonnet-4-0~overloaded~${key}`,
            apiKey: 'k',
            baseURL: urls.anthropic,
            retry: false,
            ...browserOptIn,
          }),
          aliases: ['smart'],
          fallbacks: ['openai:gpt-4.1-mini'],
        },
        'openai:gpt-4.1-mini': createOpenAIChatModel({
          modelId: `gpt-4.1-mini~text~${key}`,
          apiKey: 'k',
          baseURL: `${urls.openai}/v1`,
          ...browserOptIn,
        }),
      },
    });
    const response = await manager.generate('smart', ask);
    expect(response.modelId).toBe('gpt-4.1-mini');
    expect(response.providerMetadata?.fallbacks).toMatchObject([{ model: 'anthropic:claude', code: 'overloaded' }]);
  });
});
