import { describe, expect, it } from 'vitest';
import type { CacheStore } from '../contracts/cache-store.js';
import type { ChatMessage } from '../contracts/chat-model.js';
import { MockChatModel } from '../testing/mock-chat-model.js';
import { createAgent } from './create-agent.js';
import {
  type ConversationMemory,
  createCacheConversationMemory,
  createInMemoryConversationMemory,
  estimateTokens,
  trimToBudget,
} from './memory.js';

/** A CacheStore over a Map that stores JSON text, as a remote store would. */
function jsonMapStore(): CacheStore & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return {
    data,
    async get<T>(key: string) {
      await Promise.resolve();
      const text = data.get(key);
      return text === undefined ? undefined : (JSON.parse(text) as T);
    },
    async set(key, value) {
      await new Promise((resolve) => setTimeout(resolve, 1));
      data.set(key, JSON.stringify(value));
    },
    async delete(key) {
      data.delete(key);
    },
    async has(key) {
      return data.has(key);
    },
    async getOrSet<T>(key: string, loader: () => Promise<T>) {
      const value = data.get(key);
      if (value !== undefined) return JSON.parse(value) as T;
      const loaded = await loader();
      data.set(key, JSON.stringify(loaded));
      return loaded;
    },
  };
}

async function twoTurns(memory: ConversationMemory, secondMemory = memory) {
  const firstModel = new MockChatModel({ responses: ['Nice to meet you, Ada.'] });
  await createAgent({ name: 'chat', instructions: 'Be brief.', model: firstModel, memory }).run('I am Ada.', {
    conversationId: 'c1',
  });
  const secondModel = new MockChatModel({ responses: ['You are Ada.'] });
  await createAgent({ name: 'chat', instructions: 'Be brief.', model: secondModel, memory: secondMemory }).run(
    'Who am I?',
    { conversationId: 'c1' },
  );
  return secondModel.requests[0]?.messages ?? [];
}

describe('conversation memory', () => {
  it('in memory: the next run of the same conversation sees the earlier turns; others do not', async () => {
    const memory = createInMemoryConversationMemory();
    const messages = await twoTurns(memory);
    expect(messages.map((message) => message.role)).toEqual(['system', 'user', 'assistant', 'user']);
    expect(messages[1]).toEqual({ role: 'user', content: 'I am Ada.' });
    expect(await memory.load('other')).toEqual([]);
    expect(await memory.load('c1')).toHaveLength(4);
    await memory.clear('c1');
    expect(await memory.load('c1')).toEqual([]);
  });

  it('through a CacheStore: a new memory over the same store (a restart) continues the conversation', async () => {
    const store = jsonMapStore();
    const messages = await twoTurns(createCacheConversationMemory({ store }), createCacheConversationMemory({ store }));
    expect(messages.map((message) => message.role)).toEqual(['system', 'user', 'assistant', 'user']);
    expect([...store.data.keys()]).toEqual(['conversation:c1']);
  });

  it('through a CacheStore: concurrent appends to one conversation lose nothing', async () => {
    const memory = createCacheConversationMemory({ store: jsonMapStore() });
    await Promise.all(
      Array.from({ length: 20 }, (_, index) => memory.append('c', [{ role: 'user', content: `m${index}` }])),
    );
    const loaded = await memory.load('c');
    expect(loaded.map((message) => message.content)).toEqual(Array.from({ length: 20 }, (_, index) => `m${index}`));
    await expect(memory.load('')).rejects.toMatchObject({ code: 'invalid-argument' });
  });

  it('maxMessages caps history without starting on an orphaned tool result', async () => {
    const memory = createInMemoryConversationMemory({ maxMessages: 3 });
    await memory.append('c', [
      { role: 'user', content: 'q' },
      { role: 'assistant', content: [{ type: 'tool-call', toolCallId: 't', toolName: 'x', input: {} }] },
      { role: 'tool', content: [{ type: 'tool-result', toolCallId: 't', toolName: 'x', output: 1 }] },
      { role: 'tool', content: [{ type: 'tool-result', toolCallId: 'u', toolName: 'x', output: 2 }] },
      { role: 'assistant', content: 'a' },
    ]);
    expect((await memory.load('c')).map((message) => message.role)).toEqual(['assistant']);
  });
});

describe('trimming to the context budget', () => {
  const long = (role: 'user' | 'assistant', tag: string): ChatMessage => ({
    role,
    content: `${tag} ${'x'.repeat(400)}`,
  });

  it('drops the oldest turns first, keeps system messages and the latest user turn', () => {
    const messages: ChatMessage[] = [
      { role: 'system', content: 'rules' },
      long('user', 'u1'),
      long('assistant', 'a1'),
      { role: 'assistant', content: [{ type: 'tool-call', toolCallId: 't', toolName: 'x', input: {} }] },
      { role: 'tool', content: [{ type: 'tool-result', toolCallId: 't', toolName: 'x', output: 'y'.repeat(400) }] },
      long('user', 'u2'),
    ];
    const budget = estimateTokens(messages[0] as ChatMessage) + estimateTokens(messages[5] as ChatMessage) + 20;
    const trimmed = trimToBudget(messages, budget);
    expect(trimmed).toEqual([messages[0], messages[5]]);
    // With room for the tool exchange, it stays whole: no tool result without its call.
    const roomy = trimToBudget(
      messages,
      budget + estimateTokens(messages[3] as ChatMessage) + estimateTokens(messages[4] as ChatMessage),
    );
    expect(roomy.map((message) => message.role)).toEqual(['system', 'assistant', 'tool', 'user']);
    expect(trimToBudget(messages, 1_000_000)).toEqual(messages);
  });

  it('the agent trims what it sends to the model, not what it remembers', async () => {
    const memory = createInMemoryConversationMemory();
    for (let turn = 0; turn < 5; turn++) {
      await memory.append('c', [long('user', `old-u${turn}`), long('assistant', `old-a${turn}`)]);
    }
    const model = new MockChatModel({ responses: ['ok'] });
    const agent = createAgent({ name: 'a', instructions: 'sys', model, memory, contextBudgetTokens: 350 });
    await agent.run('latest question', { conversationId: 'c' });
    const sent = model.requests[0]?.messages ?? [];
    expect(sent[0]).toEqual({ role: 'system', content: 'sys' });
    expect(sent.at(-1)).toEqual({ role: 'user', content: 'latest question' });
    expect(sent.length).toBeLessThan(12);
    expect(JSON.stringify(sent)).toContain('old-a4');
    expect(JSON.stringify(sent)).not.toContain('old-u0');
    expect(await memory.load('c')).toHaveLength(12);
  });
});
