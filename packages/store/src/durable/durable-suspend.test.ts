import { AgenticGenError, type AgentStore, createMemoryStore } from '@agenticgen/core';
import { describe, expect, it } from 'vitest';
import { createIndexedDbStore } from '../drivers/indexeddb.js';
import { createPgliteStore } from '../drivers/pglite.js';
import { approvalAgent } from '../testing/fixtures/approval-agent.js';

const drivers: Array<[string, () => Promise<AgentStore>]> = [
  ['memory', async () => createMemoryStore()],
  ['pglite', () => createPgliteStore()],
  // IndexedDB exists in the browser project only.
  ...(typeof indexedDB === 'undefined'
    ? []
    : [
        ['indexeddb', () => createIndexedDbStore({ name: `suspend-${crypto.randomUUID()}` })] as [
          string,
          () => Promise<AgentStore>,
        ],
      ]),
];

describe.each(drivers)('a tool suspends a durable run (%s store)', (_name, open) => {
  it('persists the suspension; a new agent instance resumes with the validated payload; invalid stays suspended', async () => {
    const store = await open();
    const payments: string[] = [];
    const ledger = { record: async (entry: string) => void payments.push(entry) };
    const first = await approvalAgent(store, ledger).run('pay INV-7', { runId: 'run-1' });
    expect(first).toMatchObject({
      status: 'input-required',
      suspensions: [{ suspensionId: 'call-1:1', reason: 'approve invoice INV-7', status: 'pending' }],
    });
    expect(await store.loadCheckpoint('run-1')).toMatchObject({ status: 'suspended' });

    const later = approvalAgent(store, ledger);
    await expect(later.resume('run-1', { payloads: { 'call-1:1': { approved: true } } })).rejects.toSatisfy((error) =>
      AgenticGenError.hasCode(error, 'invalid-argument'),
    );
    expect(await store.loadCheckpoint('run-1')).toMatchObject({ status: 'suspended' });
    expect(await store.listSuspensions({ runId: 'run-1', status: 'pending' })).toHaveLength(1);

    const done = await later.resume('run-1', { payloads: { 'call-1:1': { approved: true, by: 'Grace' } } });
    expect(done).toMatchObject({ status: 'completed', text: 'finished: {"paid":true,"by":"Grace"}' });
    expect(payments).toEqual(['INV-7:Grace']);
    expect(await store.loadCheckpoint('run-1')).toMatchObject({ status: 'completed' });
    await store.close();
  });
});
