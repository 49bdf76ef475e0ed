import { describe, expect, it } from 'vitest';
import { runStoreContractSuite } from '../testing/store-suite.js';
import { createPgliteStore } from './pglite.js';

const databaseName = `idb://agenticgen-store-${crypto.randomUUID()}`;

// The browser persists PGlite in IndexedDB; each case reopens the same database, as a page reload would.
runStoreContractSuite('pglite (IndexedDB)', () => createPgliteStore({ dataDir: databaseName }));

describe('pglite store in IndexedDB', () => {
  it('keeps a thread and its messages across a close and reopen', async () => {
    const dataDir = `idb://agenticgen-reopen-${crypto.randomUUID()}`;
    const first = await createPgliteStore({ dataDir });
    const thread = await first.createThread({ title: 'kept' });
    await first.appendMessages(thread.id, [{ message: { role: 'user', content: 'still here after reload' } }]);
    await first.close();
    const second = await createPgliteStore({ dataDir });
    const { items } = await second.listMessages(thread.id);
    expect(items.map((message) => message.message.content)).toEqual(['still here after reload']);
    await second.close();
  });
});
