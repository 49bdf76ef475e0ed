import { describe, expect, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import { AgenticGenError } from '../errors/agenticgen-error.js';
import { Type } from '../schema/index.js';
import { MockChatModel } from '../testing/mock-chat-model.js';
import { type DeepPartial, streamObject } from './stream-object.js';

const Person = Type.Object({ name: Type.String(), age: Type.Integer(), tags: Type.Array(Type.String()) });
const person = { name: 'Grace Hopper', age: 85, tags: ['navy', 'cobol', 'compilers'] };

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}

describe('streamObject', () => {
  it('streams deep-partial objects as the JSON arrives, then the validated object', async () => {
    const model = new MockChatModel({ responses: [{ object: person, chunkSize: 3 }] });
    const result = streamObject({ model, schema: Person, prompt: 'Who?' });
    expectTypeOf(result.partialObjectStream).toEqualTypeOf<AsyncIterable<DeepPartial<typeof person>>>();
    const partials = await collect(result.partialObjectStream);
    expect(partials.length).toBeGreaterThan(5);
    expect(partials).toContainEqual({ name: 'Gra' });
    expect(partials.at(-1)).toEqual(person);
    // Each partial is a new object: consumers that compare by reference see every change.
    expect(new Set(partials).size).toBe(partials.length);
    await expect(result.object).resolves.toEqual(person);
    expect((await result.usage).totalTokens).toBeGreaterThan(0);
    await expect(result.finishReason).resolves.toBe('stop');
    expect(model.calls[0]?.method).toBe('stream');
  });

  it('gives every view the whole answer, and replays what a late view missed', async () => {
    const model = new MockChatModel({ responses: [{ object: person, chunkSize: 5 }] });
    const result = streamObject({ model, schema: Person, prompt: 'Who?' });
    const events = await collect(result);
    expect(events.at(-1)).toMatchObject({ type: 'finish', object: person, attempts: 1 });
    const late = await collect(result.textStream);
    expect(late.join('')).toBe(JSON.stringify(person));
    expect(await collect(result.partialObjectStream)).toEqual([person]);
  });

  it('streams array elements one by one, each validated', async () => {
    const elements = [person, { ...person, name: 'Ada' }, { ...person, name: 'Alan' }];
    const model = new MockChatModel({ responses: [{ object: { elements }, chunkSize: 7 }] });
    const result = streamObject({ model, schema: Person, output: 'array', prompt: 'Three people' });
    const streamed = await collect(result.elementStream);
    expect(streamed).toEqual(elements);
    await expect(result.object).resolves.toEqual(elements);
  });

  it('repairs an invalid answer with a second call and signals the restart', async () => {
    const model = new MockChatModel({ responses: [{ object: { ...person, age: 'old' } }, { object: person }] });
    const result = streamObject({ model, schema: Person, prompt: 'Who?' });
    const events = await collect(result);
    expect(events.filter((event) => event.type === 'repair')).toEqual([
      { type: 'repair', attempt: 2, issues: [expect.objectContaining({ path: '/age' })] },
    ]);
    await expect(result.object).resolves.toEqual(person);
    expect(model.calls).toHaveLength(2);
  });

  it('does not deliver an element twice when a repaired answer repeats it', async () => {
    const good = [person, { ...person, name: 'Ada' }];
    const model = new MockChatModel({
      responses: [{ object: { elements: [good[0], { name: 'Ada' }] } }, { object: { elements: good } }],
    });
    const result = streamObject({ model, schema: Person, output: 'array', prompt: 'x' });
    expect(await collect(result.elementStream)).toEqual(good);
  });

  it('streams tool arguments in tool mode', async () => {
    const model = new MockChatModel({
      responses: [{ toolCalls: [{ toolName: 'person', input: person }], chunkSize: 4 }],
    });
    const result = streamObject({ model, schema: Person, prompt: 'Who?', mode: 'tool', schemaName: 'person' });
    const partials = await collect(result.partialObjectStream);
    expect(partials.length).toBeGreaterThan(3);
    await expect(result.object).resolves.toEqual(person);
  });

  it('fails every view and the promises when the stream is cut mid-object', async () => {
    const cut = new AgenticGenError('network', '[mock] connection reset');
    const model = new MockChatModel({ responses: [{ object: person, chunkSize: 4, error: cut, errorAfterParts: 4 }] });
    const result = streamObject({ model, schema: z.object({ name: z.string() }), prompt: 'x' });
    const seen: unknown[] = [];
    await expect(
      (async () => {
        for await (const partial of result.partialObjectStream) seen.push(partial);
      })(),
    ).rejects.toBe(cut);
    expect(seen.length).toBeGreaterThan(0);
    await expect(result.object).rejects.toBe(cut);
  });

  it('reports a refusal as output-refused', async () => {
    const model = new MockChatModel({ responses: [{ text: 'No.', finishReason: 'content-filter' }] });
    const result = streamObject({ model, schema: Person, prompt: 'x' });
    await expect(result.object).rejects.toMatchObject({ code: 'output-refused' });
  });

  it('keeps only the latest partial for a consumer slower than the model', async () => {
    const model = new MockChatModel({ responses: [{ object: person, chunkSize: 2 }] });
    const result = streamObject({ model, schema: Person, prompt: 'x' });
    const iterator = result.partialObjectStream[Symbol.asyncIterator]();
    await result.object;
    const rest: unknown[] = [];
    for (let next = await iterator.next(); next.done !== true; next = await iterator.next()) rest.push(next.value);
    expect(rest).toEqual([person]);
  });

  it('fails at the call for bad options, before any model call', () => {
    const model = new MockChatModel({ responses: [] });
    expect(() => streamObject({ model, schema: Person })).toThrow(
      expect.objectContaining({ code: 'invalid-argument' }),
    );
    expect(model.calls).toHaveLength(0);
  });
});
