import { AgenticGenError, type ChatModel, type ChatRequest, type ChatStreamPart } from '@agenticgen/core';
import { MockChatModel, type MockChatModelOptions } from '@agenticgen/core/testing';
import { describe, expect, it, vi } from 'vitest';
import { createCache } from '../cache/tiered-cache.js';
import { createMemoryDriver } from '../drivers/memory.js';
import { type ChatCacheLookup, createCachedChatModel } from './cached-chat-model.js';
import { canonicalJson } from './stable-hash.js';

const request = (text: string, extra: Partial<ChatRequest> = {}): ChatRequest => ({
  messages: [{ role: 'user', content: text }],
  ...extra,
});

async function drain(stream: AsyncIterable<ChatStreamPart>): Promise<ChatStreamPart[]> {
  const parts: ChatStreamPart[] = [];
  for await (const part of stream) parts.push(part);
  return parts;
}

function setup(options: Partial<Parameters<typeof createCachedChatModel>[1]> = {}) {
  const inner = new MockChatModel({
    responses: [(req, index) => `answer ${index} to ${JSON.stringify(req.messages)}`],
    repeatLast: true,
  });
  const lookups: ChatCacheLookup[] = [];
  const model = createCachedChatModel(inner, {
    cache: createCache({ l2: createMemoryDriver() }),
    onLookup: (lookup) => lookups.push(lookup),
    ...options,
  });
  return { inner, model, lookups };
}

/** A cached model over `inner`, with a spy counting the callers that looked the request up (joined a shared call). */
function sharingModel(options: MockChatModelOptions) {
  const inner = new MockChatModel(options);
  const cache = createCache();
  const lookups = vi.spyOn(cache, 'getOrSet');
  return { inner, lookups, model: createCachedChatModel(inner, { cache }) };
}

/** A call of request `same` that `cancel()` aborts; it must then reject with `aborted`. */
function cancellableCall(model: ChatModel) {
  const controller = new AbortController();
  const call = model.generate(request('same', { signal: controller.signal }));
  return {
    async cancel() {
      controller.abort();
      await expect(call).rejects.toSatisfy((error) => AgenticGenError.hasCode(error, 'aborted'));
    },
  };
}

describe('createCachedChatModel', () => {
  it('answers a repeated request from the cache without calling the model', async () => {
    const { inner, model, lookups } = setup();
    const first = await model.generate(request('hi', { temperature: 0 }));
    const second = await model.generate(request('hi', { temperature: 0 }));
    expect(second).toEqual(first);
    expect(inner.calls).toHaveLength(1);
    expect(lookups.map((lookup) => lookup.hit)).toEqual([false, true]);
    expect(model.provider).toBe('mock');
    expect(model.modelId).toBe('mock-model');
  });

  it('keys on everything that shapes the answer, and not on signals, timeouts or headers', async () => {
    const { inner, model } = setup();
    await model.generate(request('q'));
    await model.generate(
      request('q', { timeoutMs: 5000, headers: { 'x-trace': '1' }, signal: new AbortController().signal }),
    );
    expect(inner.calls).toHaveLength(1);
    const variants: ChatRequest[] = [
      request('other'),
      request('q', { temperature: 0.1 }),
      request('q', { maxOutputTokens: 10 }),
      request('q', { tools: [{ name: 't', description: 'd', parameters: { type: 'object' } }] }),
      request('q', { responseFormat: { type: 'json' } }),
      request('q', { providerOptions: { openai: { user: 'u' } } }),
      {
        messages: [
          { role: 'system', content: 'be brief' },
          { role: 'user', content: 'q' },
        ],
      },
    ];
    for (const variant of variants) await model.generate(variant);
    expect(inner.calls).toHaveLength(1 + variants.length);
  });

  it('hashes requests canonically: field order does not matter, binary images do', async () => {
    expect(canonicalJson({ b: 1, a: { d: 2, c: 3 } })).toBe(canonicalJson({ a: { c: 3, d: 2 }, b: 1 }));
    const { inner, model } = setup();
    const withImage = (byte: number): ChatRequest => ({
      messages: [{ role: 'user', content: [{ type: 'image', image: new Uint8Array([byte]), mediaType: 'image/png' }] }],
    });
    await model.generate(withImage(1));
    await model.generate(withImage(1));
    await model.generate(withImage(2));
    expect(inner.calls).toHaveLength(2);
  });

  it('replays a cached stream as a stream with the same parts', async () => {
    const { inner, model, lookups } = setup();
    const parts = await drain(model.stream(request('s')));
    const replayed = await drain(model.stream(request('s')));
    expect(replayed).toEqual(parts);
    expect(parts.at(-1)?.type).toBe('finish');
    expect(inner.calls).toHaveLength(1);
    expect(lookups.map((lookup) => `${lookup.method}:${lookup.hit}`)).toEqual(['stream:false', 'stream:true']);
    // generate and stream share entries
    const generated = await model.generate(request('s'));
    expect(generated.text).toBe(
      parts
        .filter((part) => part.type === 'text-delta')
        .map((part) => part.delta)
        .join(''),
    );
    expect(inner.calls).toHaveLength(1);
    await model.generate(request('g'));
    const fromGenerate = await drain(model.stream(request('g')));
    expect(fromGenerate.at(-1)?.type).toBe('finish');
    expect(inner.calls).toHaveLength(2);
  });

  it('hands every consumer its own copy: mutating a live, replayed or generated answer changes no later replay', async () => {
    const { model } = setup();
    const scribble = (parts: ChatStreamPart[]) => {
      for (const part of parts) {
        if (part.type === 'text-delta') part.delta = 'MUTATED';
        if (part.type === 'finish') part.usage.outputTokens = -1;
      }
      return parts;
    };
    const live: ChatStreamPart[] = [];
    for await (const part of model.stream(request('m'))) {
      live.push(structuredClone(part));
      scribble([part]); // the live consumer edits what it was given
    }
    const first = await drain(model.stream(request('m')));
    expect(first).toEqual(live);
    scribble(first);
    expect(await drain(model.stream(request('m')))).toEqual(live);
    const generated = await model.generate(request('m'));
    generated.text = 'MUTATED';
    generated.usage.outputTokens = -1;
    expect((await model.generate(request('m'))).text).not.toBe('MUTATED');
    expect(await drain(model.stream(request('m')))).toEqual(live);
    await model.generate(request('g'));
    const fromResponse = await model.generate(request('g'));
    fromResponse.text = 'MUTATED';
    expect((await model.generate(request('g'))).text).not.toBe('MUTATED');
  });

  it('never stores a stream that failed or that the consumer abandoned', async () => {
    const error = new AgenticGenError('server', '[mock] boom');
    const inner = new MockChatModel({
      responses: [
        { text: 'partial answer', error, errorAfterParts: 2 },
        { text: 'long answer here', chunkSize: 2 },
        'complete',
      ],
    });
    const model = createCachedChatModel(inner, { cache: createCache() });
    await expect(drain(model.stream(request('x')))).rejects.toBe(error);
    for await (const part of model.stream(request('x'))) {
      if (part.type === 'text-delta') break; // abandon mid-answer
    }
    const parts = await drain(model.stream(request('x')));
    expect(parts.some((part) => part.type === 'text-delta' && part.delta === 'complete')).toBe(true);
    expect(inner.calls).toHaveLength(3);
    await drain(model.stream(request('x')));
    expect(inner.calls).toHaveLength(3);
  });

  it('shares one model call between concurrent identical generate calls', async () => {
    const inner = new MockChatModel({ responses: [{ text: 'slow', delayMs: 20 }], repeatLast: true });
    const model = createCachedChatModel(inner, { cache: createCache() });
    const answers = await Promise.all(Array.from({ length: 20 }, () => model.generate(request('same'))));
    expect(new Set(answers.map((answer) => answer.text))).toEqual(new Set(['slow']));
    expect(inner.calls).toHaveLength(1);
  });

  it('does not fail a caller because another caller cancelled the shared call', async () => {
    const { inner, lookups, model } = sharingModel({ responses: [{ text: 'slow', delayMs: 500 }], repeatLast: true });
    const cancelled = cancellableCall(model);
    await vi.waitFor(() => expect(inner.calls).toHaveLength(1)); // the cancelling caller starts the shared call
    const patient = model.generate(request('same'));
    await vi.waitFor(() => expect(lookups).toHaveBeenCalledTimes(2)); // the patient caller has joined
    await cancelled.cancel();
    expect((await patient).text).toBe('slow');
  });

  it('lets callers that joined a cancelled shared call re-join one new call (100 callers → 2 model calls)', async () => {
    const { inner, lookups, model } = sharingModel({ responses: [{ text: 'slow', delayMs: 60_000 }, 'fresh'] });
    const cancelled = cancellableCall(model);
    await vi.waitFor(() => expect(inner.calls).toHaveLength(1)); // the cancelling caller starts the shared call
    const joined = Array.from({ length: 99 }, () => model.generate(request('same')));
    await vi.waitFor(() => expect(lookups).toHaveBeenCalledTimes(100)); // every caller has joined before the abort
    await cancelled.cancel();
    const answers = await Promise.all(joined);
    expect(new Set(answers.map((answer) => answer.text))).toEqual(new Set(['fresh']));
    expect(inner.calls).toHaveLength(2);
  });

  it('cancels only the caller that joined a shared call, not the call it joined', async () => {
    const { inner, lookups, model } = sharingModel({ responses: [{ text: 'slow', delayMs: 200 }], repeatLast: true });
    const patient = model.generate(request('same'));
    await vi.waitFor(() => expect(inner.calls).toHaveLength(1)); // the patient caller starts the shared call
    const cancelled = cancellableCall(model);
    await vi.waitFor(() => expect(lookups).toHaveBeenCalledTimes(2)); // the cancelling caller has joined
    await cancelled.cancel();
    expect((await patient).text).toBe('slow');
    expect(inner.calls).toHaveLength(1);
    expect((await model.generate(request('same'))).text).toBe('slow');
    expect(inner.calls).toHaveLength(1);
  });

  it('skips the cache above the temperature threshold and when a call opts out', async () => {
    const { inner, model } = setup();
    await model.generate(request('t', { temperature: 0.9 }));
    await model.generate(request('t', { temperature: 0.9 }));
    expect(inner.calls).toHaveLength(2);
    await model.generate(request('o', { providerOptions: { cache: { enabled: false } } }));
    await model.generate(request('o', { providerOptions: { cache: { enabled: false } } }));
    expect(inner.calls).toHaveLength(4);
    // The per-call settings never reach the model.
    expect(inner.lastRequest?.providerOptions).toBeUndefined();
    const custom = setup({ maxTemperature: 1 });
    await custom.model.generate(request('t', { temperature: 0.9 }));
    await custom.model.generate(request('t', { temperature: 0.9 }));
    expect(custom.inner.calls).toHaveLength(1);
    const strict = setup({ cacheUnsetTemperature: false });
    await strict.model.generate(request('u'));
    await strict.model.generate(request('u'));
    expect(strict.inner.calls).toHaveLength(2);
  });

  it('stores answers with per-call TTL and tags, so they can be invalidated', async () => {
    const cache = createCache();
    const inner = new MockChatModel({ responses: ['a', 'b'] });
    const model = createCachedChatModel(inner, { cache });
    const tagged = request('q', { providerOptions: { cache: { tags: ['prompt:v1'] } } });
    expect((await model.generate(tagged)).text).toBe('a');
    expect((await model.generate(tagged)).text).toBe('a');
    await cache.invalidateTags(['prompt:v1']);
    expect((await model.generate(tagged)).text).toBe('b');
  });

  it('rejects a missing cache with invalid-config', () => {
    expect(() => createCachedChatModel(new MockChatModel(), {} as never)).toThrow(/\[cache\]/);
  });
});
