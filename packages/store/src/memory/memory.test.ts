import {
  AgenticGenError,
  createAgent,
  createHashingEmbedder,
  createMemoryStore,
  createMemoryVectorStore,
  Type,
} from '@agenticgen/core';
import { MockChatModel } from '@agenticgen/core/testing';
import { describe, expect, it } from 'vitest';
import { createSemanticRecall } from './semantic-recall.js';
import { createThreadMemory } from './thread-memory.js';
import { createWorkingMemory } from './working-memory.js';

describe('thread memory', () => {
  it('gives an agent the stored history of a thread, the last N messages, whole turns only', async () => {
    const store = createMemoryStore();
    const memory = createThreadMemory({ store, lastMessages: 3, resourceId: 'user-1' });
    const model = new MockChatModel({ responses: ['first answer', 'second answer'] });
    const agent = createAgent({ name: 'chat', instructions: 'Be brief.', model, memory });
    await agent.run('my name is Ada', { conversationId: 'thread-1' });
    expect((await store.getThread('thread-1'))?.resourceId).toBe('user-1');
    await agent.run('what is my name?', { conversationId: 'thread-1' });
    const second = model.calls[1]?.request.messages ?? [];
    // Window of 3 = [assistant, user, ...]: the leading assistant message is dropped so the history starts a turn.
    expect(second.map((message) => message.role)).toEqual(['system', 'user', 'assistant', 'user']);
    expect((await store.listMessages('thread-1')).items).toHaveLength(4);
    expect(await memory.load('unknown')).toEqual([]);
    await memory.clear('thread-1');
    expect(await store.getThread('thread-1')).toBeUndefined();
  });

  it('trims the loaded history to the token budget, keeping the latest turn', async () => {
    const store = createMemoryStore();
    const memory = createThreadMemory({ store, tokenBudget: 30 });
    await memory.append('t', [
      { role: 'user', content: 'x'.repeat(200) },
      { role: 'assistant', content: 'y'.repeat(200) },
      { role: 'user', content: 'short question' },
    ]);
    expect(await memory.load('t')).toEqual([{ role: 'user', content: 'short question' }]);
    expect(() => createThreadMemory({ store, lastMessages: 0 })).toThrow(/lastMessages/);
  });
});

describe('working memory', () => {
  const schema = Type.Object({ name: Type.Optional(Type.String()), city: Type.Optional(Type.String()) });

  it('the model updates it through the tool, validated, and the next run reads it in its instructions', async () => {
    const store = createMemoryStore();
    const working = createWorkingMemory({
      store,
      schema,
      scopeOf: (values) => ({ kind: 'resource', id: String(values.userId) }),
    });
    const model = new MockChatModel({
      responses: [
        { toolCalls: [{ toolName: 'update_working_memory', input: { memory: { name: 'Ada', city: 'Rome' } } }] },
        'noted',
      ],
    });
    const agent = createAgent({ name: 'chat', instructions: 'Help.', model, tools: [working.tool] });
    await agent.run('I am Ada from Rome', { values: { userId: 'u1' } });
    expect(await working.get({ kind: 'resource', id: 'u1' })).toEqual({ name: 'Ada', city: 'Rome' });
    expect(await working.instructions({ kind: 'resource', id: 'u1' })).toContain('{"name":"Ada","city":"Rome"}');
    await expect(working.set({ kind: 'resource', id: 'u1' }, { name: 42 } as never)).rejects.toSatisfy((error) =>
      AgenticGenError.hasCode(error, 'invalid-argument'),
    );
  });

  it('refuses a memory larger than maxCharacters (or the deprecated maxChars)', async () => {
    for (const limit of [{ maxCharacters: 50 }, { maxChars: 50 }]) {
      const working = createWorkingMemory({
        store: createMemoryStore(),
        schema,
        scopeOf: () => ({ kind: 'thread', id: 't' }),
        ...limit,
      });
      await expect(working.set({ kind: 'thread', id: 't' }, { name: 'x'.repeat(60) })).rejects.toSatisfy(
        (error) => AgenticGenError.hasCode(error, 'invalid-argument') && /at most 50/.test((error as Error).message),
      );
    }
  });
});

describe('semantic recall', () => {
  it('recalls the closest message of a scope with its neighbours', async () => {
    const store = createMemoryStore();
    const embedder = createHashingEmbedder();
    const vectors = createMemoryVectorStore({ dimensions: embedder.dimensions });
    const recall = createSemanticRecall({ threads: store, vectors, embedder });
    const texts = ['hello there', 'my dog is called Rex', 'nice dog', 'the weather is grey', 'bye'];
    for (const [threadId, resourceId] of [
      ['a', 'u1'],
      ['b', 'u2'],
    ] as const) {
      await store.createThread({ id: threadId, resourceId });
      const stored = await store.appendMessages(
        threadId,
        texts.map((content, index) => ({ message: { role: index % 2 ? 'assistant' : 'user', content } as const })),
      );
      expect(await recall.index(stored, { resourceId })).toBe(5);
    }
    const [best] = await recall.recall('what is my dog called', { resourceId: 'u1' }, { topK: 1, context: 1 });
    expect(best).toMatchObject({ threadId: 'a', seq: 2 });
    expect(best?.messages.map((message) => message.message.content)).toEqual([
      'hello there',
      'my dog is called Rex',
      'nice dog',
    ]);
    const inThread = await recall.recall('grey weather', { threadId: 'b' }, { topK: 1, context: 0 });
    expect(inThread.map((passage) => [passage.threadId, passage.seq])).toEqual([['b', 4]]);
    await expect(recall.recall('x', { threadId: 'a' }, { topK: 0 })).rejects.toSatisfy((error) =>
      AgenticGenError.hasCode(error, 'invalid-argument'),
    );
  });
});
