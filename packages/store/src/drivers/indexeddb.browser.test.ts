import { AgenticGenError } from '@agenticgen/core';
import { describe, expect, it } from 'vitest';
import { runStoreContractSuite } from '../testing/store-suite.js';
import { createIndexedDbStore } from './indexeddb.js';

const name = `agenticgen-idb-${crypto.randomUUID()}`;

// Each case opens the same database again, as a page reload would.
runStoreContractSuite('indexeddb', () => createIndexedDbStore({ name }));

describe('indexeddb store', () => {
  it('two connections (two tabs) appending to one thread lose nothing and keep each batch contiguous', async () => {
    const database = `agenticgen-idb-tabs-${crypto.randomUUID()}`;
    const [first, second] = await Promise.all([
      createIndexedDbStore({ name: database }),
      createIndexedDbStore({ name: database }),
    ]);
    const { id } = await first.createThread({});
    const batch = (writer: string, index: number) =>
      [0, 1, 2].map((part) => ({ message: { role: 'user' as const, content: `${writer}-${index}-${part}` } }));
    await Promise.all([
      ...Array.from({ length: 20 }, (_, index) => first.appendMessages(id, batch('a', index))),
      ...Array.from({ length: 20 }, (_, index) => second.appendMessages(id, batch('b', index))),
    ]);
    const { items } = await first.listMessages(id, { from: 'first', limit: 1000 });
    expect(items.map((message) => message.seq)).toEqual(Array.from({ length: 120 }, (_, index) => index + 1));
    for (let start = 0; start < items.length; start += 3) {
      const contents = items.slice(start, start + 3).map((message) => String(message.message.content));
      expect(contents.map((content) => content.slice(0, -2))).toEqual(Array(3).fill(contents[0]?.slice(0, -2)));
    }
    await first.close();
    await second.close();
  });

  it('refuses a bad name with invalid-config', async () => {
    await expect(createIndexedDbStore({ name: '' })).rejects.toSatisfy((error) =>
      AgenticGenError.hasCode(error, 'invalid-config'),
    );
  });
});
