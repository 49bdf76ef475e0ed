import { AgenticGenError, type ChatMessage, createMemoryStore } from '@agenticgen/core';
import { MockChatModel } from '@agenticgen/core/testing';
import { describe, expect, it } from 'vitest';
import { createThreadMemory } from './thread-memory.js';

const turns = (count: number, from = 1): ChatMessage[] =>
  Array.from({ length: count }, (_, index) => [
    { role: 'user' as const, content: `question ${from + index}` },
    { role: 'assistant' as const, content: `answer ${from + index}` },
  ]).flat();
const promptOf = (model: MockChatModel, call: number) => String(model.calls[call]?.request.messages[1]?.content);

describe('thread memory summaries', () => {
  it('summarises the turns before the window with the model, keeps it with the thread and extends it', async () => {
    const store = createMemoryStore();
    const model = new MockChatModel({ responses: ['Ada asked 1.', 'Ada asked 1 and 2.'] });
    const memory = createThreadMemory({ store, lastMessages: 2, summary: { model } });
    await memory.append('t', turns(2));
    expect(await memory.load('t')).toEqual([
      { role: 'system', content: 'Summary of the earlier conversation:\nAda asked 1.' },
      ...turns(1, 2),
    ]);
    expect(promptOf(model, 0)).toBe('Messages that follow:\nuser: question 1\nassistant: answer 1');
    expect((await store.getThread('t'))?.summary).toMatchObject({ text: 'Ada asked 1.', throughSeq: 2 });
    await memory.load('t');
    expect(model.calls).toHaveLength(1);

    await memory.append('t', turns(1, 3));
    const loaded = await memory.load('t');
    expect(loaded[0]?.content).toContain('Ada asked 1 and 2.');
    // Incremental: the previous summary and only the messages since it.
    expect(promptOf(model, 1)).toBe(
      'Summary so far:\nAda asked 1.\n\nMessages that follow:\nuser: question 2\nassistant: answer 2',
    );
    // Another process reads the stored summary; its model (with nothing scripted) is not called.
    const elsewhere = createThreadMemory({ store, lastMessages: 2, summary: { model: new MockChatModel() } });
    expect((await elsewhere.load('t'))[0]?.content).toContain('Ada asked 1 and 2.');
  });

  it('bounds one load to maxCallsPerLoad calls of batchSize messages and catches up on the next loads', async () => {
    const store = createMemoryStore();
    const model = new MockChatModel({ repeatLast: true, responses: ['summary'] });
    const memory = createThreadMemory({ store, lastMessages: 2, summary: { model, batchSize: 3, maxCallsPerLoad: 2 } });
    await memory.append('t', turns(6));
    await memory.load('t');
    expect(model.calls).toHaveLength(2);
    expect((await store.getThread('t'))?.summary?.throughSeq).toBe(6);
    await memory.load('t');
    expect(model.calls).toHaveLength(4);
    expect((await store.getThread('t'))?.summary?.throughSeq).toBe(10);
    await memory.load('t');
    expect(model.calls).toHaveLength(4);
  });

  it('cuts the summary at maxLength and the tool data it is shown, and refuses bad options', async () => {
    const store = createMemoryStore();
    const model = new MockChatModel({ responses: ['abcdefghij'] });
    const memory = createThreadMemory({ store, lastMessages: 2, summary: { model, maxLength: 5 } });
    await memory.append('t', [
      { role: 'user', content: 'look it up' },
      {
        role: 'assistant',
        content: [{ type: 'tool-call', toolCallId: 'c1', toolName: 'search', input: { q: 'x'.repeat(5000) } }],
      },
      {
        role: 'tool',
        content: [{ type: 'tool-result', toolCallId: 'c1', toolName: 'search', output: 'y'.repeat(5000) }],
      },
      ...turns(1),
    ]);
    expect((await memory.load('t'))[0]?.content).toBe('Summary of the earlier conversation:\nabcde');
    const prompt = promptOf(model, 0);
    expect(prompt).toContain('[called search({"q":"xxx');
    expect(prompt).toContain('[search returned "yyy');
    expect(prompt.length).toBeLessThan(1200);
    const invalidConfig = (error: unknown) => AgenticGenError.hasCode(error, 'invalid-config');
    expect(() => createThreadMemory({ store, summary: { model, batchSize: 0 } })).toThrow(
      expect.toSatisfy(invalidConfig),
    );
    expect(() => createThreadMemory({ store, summary: { model: {} as never } })).toThrow(
      expect.toSatisfy(invalidConfig),
    );
  });

  it('an empty answer keeps the previous summary instead of erasing it', async () => {
    const store = createMemoryStore();
    const model = new MockChatModel({ responses: ['kept', '  '] });
    const memory = createThreadMemory({ store, lastMessages: 2, summary: { model } });
    await memory.append('t', turns(2));
    await memory.load('t');
    await memory.append('t', turns(1, 3));
    expect((await memory.load('t'))[0]?.content).toContain('kept');
    expect((await store.getThread('t'))?.summary).toMatchObject({ text: 'kept', throughSeq: 2 });
  });
});
