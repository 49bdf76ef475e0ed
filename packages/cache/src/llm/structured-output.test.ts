import { generateObject, Type } from '@agenticgen/core';
import { MockChatModel } from '@agenticgen/core/testing';
import { describe, expect, it } from 'vitest';
import { createCache } from '../cache/tiered-cache.js';
import { createMemoryDriver } from '../drivers/memory.js';
import { createCachedChatModel } from './cached-chat-model.js';

describe('structured output through createCachedChatModel', () => {
  it('serves the same schema from the cache and asks the model again for another schema', async () => {
    const inner = new MockChatModel({ responses: [{ object: { name: 'Ada', age: 36 } }], repeatLast: true });
    const model = createCachedChatModel(inner, { cache: createCache({ l2: createMemoryDriver() }) });
    const Person = Type.Object({ name: Type.String(), age: Type.Integer() });
    const first = await generateObject({ model, schema: Person, prompt: 'Who?', temperature: 0 });
    const second = await generateObject({ model, schema: Person, prompt: 'Who?', temperature: 0 });
    expect(second.object).toEqual(first.object);
    expect(inner.calls).toHaveLength(1);
    await generateObject({ model, schema: Type.Object({ name: Type.String() }), prompt: 'Who?', temperature: 0 });
    expect(inner.calls).toHaveLength(2);
  });
});
