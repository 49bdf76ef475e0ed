import { describe, expect, it } from 'vitest';
import { AgenticGenError } from '../errors/agenticgen-error.js';
import { createMemoryStore } from '../storage/memory-store.js';
import { createApprovalAgent } from '../testing/approval-agent.js';
import { createDurableAgent } from './durable-agent.js';

/** A fresh agent (as another process would build it) whose tool asks a manager before paying. */
const paymentAgent = (paid: string[], options: { idempotent?: boolean } = {}) =>
  createApprovalAgent({ record: (entry) => void paid.push(entry), ...options });

describe('suspend() inside a durable agent tool', () => {
  it('stops the run with its suspension, refuses an invalid payload, and resumes elsewhere with a valid one', async () => {
    const store = createMemoryStore();
    const paid: string[] = [];
    const started = await createDurableAgent(paymentAgent(paid), { store }).run('pay INV-7', { runId: 'r1' });
    expect(started).toMatchObject({
      status: 'input-required',
      runId: 'r1',
      suspensions: [{ suspensionId: 'call-1:1', reason: 'approve invoice INV-7', status: 'pending' }],
    });
    expect(await store.loadCheckpoint('r1')).toMatchObject({ status: 'suspended' });
    expect(await store.getCall('r1:call-1')).toMatchObject({ status: 'started' });

    // Another instance of the agent (a new process) resumes; a payload that breaks the schema is refused.
    const resumer = createDurableAgent(paymentAgent(paid), { store });
    await expect(resumer.resume('r1', { payloads: { 'call-1:1': { approved: 'yes' } } })).rejects.toSatisfy(
      (error) =>
        AgenticGenError.hasCode(error, 'invalid-argument') &&
        (error as AgenticGenError).data?.suspensionId === 'call-1:1' &&
        (error as Error).message.length < 500,
    );
    expect(await store.loadCheckpoint('r1')).toMatchObject({ status: 'suspended' });
    expect(await store.listSuspensions({ runId: 'r1', status: 'pending' })).toHaveLength(1);
    // Without its payload the run does not move.
    expect(await resumer.resume('r1')).toMatchObject({ status: 'input-required' });
    await expect(resumer.resume('r1', { payloads: { 'call-9:1': {} } })).rejects.toSatisfy((error) =>
      AgenticGenError.hasCode(error, 'not-found'),
    );
    expect(paid).toEqual([]);

    const done = await resumer.resume('r1', { payloads: { 'call-1:1': { approved: true, by: 'Grace' } } });
    expect(done).toMatchObject({ status: 'completed', text: 'finished: {"paid":true,"by":"Grace"}' });
    expect(paid).toEqual(['INV-7:Grace']);
    expect(await store.listSuspensions({ runId: 'r1' })).toMatchObject([
      { suspensionId: 'call-1:1', status: 'resolved', payload: { approved: true, by: 'Grace' } },
    ]);
    expect(await store.getCall('r1:call-1')).toMatchObject({ status: 'completed' });
    // A finished run replays its result; the tool is not called again.
    expect(await resumer.resume('r1')).toMatchObject({ status: 'completed' });
    expect(paid).toHaveLength(1);
  });

  it('a tool declared idempotent: false that suspended is run again on resume, not reported as unknown', async () => {
    const store = createMemoryStore();
    const paid: string[] = [];
    const agent = () => createDurableAgent(paymentAgent(paid, { idempotent: false }), { store });
    expect(await agent().run('pay', { runId: 'r2' })).toMatchObject({ status: 'input-required' });
    const done = await agent().resume('r2', { payloads: { 'call-1:1': { approved: false, by: 'Grace' } } });
    expect(done).toMatchObject({ status: 'completed', text: 'finished: {"paid":false}' });
  });

  it('outside a durable run, suspend() is an unsupported error the model reads', async () => {
    const paid: string[] = [];
    const result = await paymentAgent(paid).run('pay');
    expect(result.text).toContain('unsupported');
    expect(paid).toEqual([]);
  });
});
