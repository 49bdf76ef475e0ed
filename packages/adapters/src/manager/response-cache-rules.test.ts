import { createCache, createCachedChatModel } from '@agenticgen/cache';
import type { CacheStore, ChatModel, ChatRequest } from '@agenticgen/core';
import { MockChatModel } from '@agenticgen/core/testing';
import { describe, expect, it } from 'vitest';
import { createModelManager } from './model-manager.js';

// The cache package's middleware and the model manager's `cache` option are one LLM response cache: the same
// request must be cached (or not) the same way through either, because both apply core's rules.

interface Rules {
  maxTemperature?: number;
  cacheUnsetTemperature?: boolean;
}

const paths: Record<string, (model: ChatModel, store: CacheStore, rules: Rules) => ChatModel> = {
  'createCachedChatModel (cache)': (model, store, rules) => createCachedChatModel(model, { cache: store, ...rules }),
  "the model manager's cache option (adapters)": (model, store, rules) =>
    createModelManager({ models: { main: model }, cache: { store, ...rules } }).get('main'),
};

const ask = (extra: Partial<ChatRequest> = {}): ChatRequest => ({
  messages: [{ role: 'user', content: 'What is the capital of France?' }],
  ...extra,
});

/** Calls `cached` twice with `request` (generate, then stream) and says how many calls reached the model. */
async function modelCallsFor(path: string, request: ChatRequest, rules: Rules = {}, answer = 'Paris') {
  const model = new MockChatModel({ responses: [answer], repeatLast: true });
  const cached = paths[path]?.(model, createCache(), rules);
  if (cached === undefined) throw new Error(`unknown path ${path}`);
  await cached.generate(request);
  for await (const _part of cached.stream(request)) {
    // Drained: a finished stream may be stored.
  }
  await cached.generate({ ...request, signal: new AbortController().signal, headers: { 'x-trace': '1' } });
  return model;
}

describe.each(Object.keys(paths))('LLM response cache rules through %s', (path) => {
  it('caches a request at or below the default maximum temperature, and one without a temperature', async () => {
    expect((await modelCallsFor(path, ask({ temperature: 0.3 }))).calls).toHaveLength(1);
    expect((await modelCallsFor(path, ask())).calls).toHaveLength(1);
  });

  it('never caches a request above the maximum temperature: the caller asked for variety', async () => {
    expect((await modelCallsFor(path, ask({ temperature: 0.9 }))).calls).toHaveLength(3);
    expect((await modelCallsFor(path, ask({ temperature: 0.9 }), { maxTemperature: 1 })).calls).toHaveLength(1);
  });

  it('leaves requests without a temperature alone when cacheUnsetTemperature is false', async () => {
    expect((await modelCallsFor(path, ask(), { cacheUnsetTemperature: false })).calls).toHaveLength(3);
  });

  it('honours per-call providerOptions.cache and never forwards it to the model', async () => {
    const skipped = await modelCallsFor(path, ask({ providerOptions: { cache: { enabled: false }, other: { x: 1 } } }));
    expect(skipped.calls).toHaveLength(3);
    const forwarded = await modelCallsFor(path, ask({ providerOptions: { cache: { ttlMs: 1_000 } } }));
    expect(forwarded.calls).toHaveLength(1);
    expect(skipped.lastRequest?.providerOptions).toEqual({ other: { x: 1 } });
    expect(forwarded.lastRequest?.providerOptions).toBeUndefined();
  });

  it('never stores an answer that finished with an error', async () => {
    const model = new MockChatModel({ responses: [{ text: 'partial', finishReason: 'error' }], repeatLast: true });
    const cached = paths[path]?.(model, createCache(), {});
    await cached?.generate(ask());
    await cached?.generate(ask());
    expect(model.calls).toHaveLength(2);
  });
});
