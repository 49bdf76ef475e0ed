import { AgenticGenError, generateObject, responseCacheKey, streamObject, Type } from '@agenticgen/core';
import { MockChatModel } from '@agenticgen/core/testing';
import { describe, expect, it } from 'vitest';
import { createModelManager } from './model-manager.js';

const Person = Type.Object({ name: Type.String(), age: Type.Integer() });

describe('structured output through the model manager', () => {
  it('falls back with the same schema and validates the backup answer', async () => {
    const overloaded = new AgenticGenError('overloaded', '[mock] overloaded');
    const primary = new MockChatModel({ modelId: 'primary', responses: [{ error: overloaded }], repeatLast: true });
    const backup = new MockChatModel({ modelId: 'backup', responses: [{ object: { name: 'Ada', age: 36 } }] });
    const manager = createModelManager({ models: { primary: { model: primary, fallbacks: ['backup'] }, backup } });
    const { object } = await generateObject({ model: manager.get('primary'), schema: Person, prompt: 'Who?' });
    expect(object).toEqual({ name: 'Ada', age: 36 });
    expect(backup.lastRequest?.responseFormat).toEqual(primary.lastRequest?.responseFormat);
    expect(backup.lastRequest?.responseFormat).toMatchObject({ type: 'json', schema: { required: ['name', 'age'] } });
  });

  it('streams partial objects through a fallback', async () => {
    const overloaded = new AgenticGenError('overloaded', '[mock] overloaded');
    const primary = new MockChatModel({ modelId: 'primary', responses: [{ error: overloaded }], repeatLast: true });
    const backup = new MockChatModel({
      modelId: 'backup',
      responses: [{ object: { name: 'Ada', age: 36 }, chunkSize: 3 }],
    });
    const manager = createModelManager({ models: { primary: { model: primary, fallbacks: ['backup'] }, backup } });
    const result = streamObject({ model: manager.get('primary'), schema: Person, prompt: 'Who?' });
    const partials: unknown[] = [];
    for await (const partial of result.partialObjectStream) partials.push(partial);
    expect(partials.length).toBeGreaterThan(1);
    await expect(result.object).resolves.toEqual({ name: 'Ada', age: 36 });
  });

  it('keys its response cache by the schema too', async () => {
    const request = (schema: Record<string, unknown>) => ({
      messages: [{ role: 'user' as const, content: 'Who?' }],
      responseFormat: { type: 'json' as const, schema, name: 'response' },
    });
    const model = { provider: 'mock', modelId: 'm' };
    const person = await responseCacheKey('ns', model, request({ type: 'object', required: ['name'] }));
    expect(await responseCacheKey('ns', model, request({ type: 'object', required: ['name'] }))).toBe(person);
    expect(await responseCacheKey('ns', model, request({ type: 'object', required: ['age'] }))).not.toBe(person);
  });
});
