import { describe, expect, it } from 'vitest';
import { AgenticGenError } from '../errors/agenticgen-error.js';
import { Type } from '../schema/index.js';
import { createMemoryStore } from '../storage/memory-store.js';
import { type DurableDagNode, resolveWorkflowSuspension, runDurableDag } from './durable-dag.js';

describe('runDurableDag', () => {
  it('a restarted workflow skips the nodes that completed and feeds their stored outputs on', async () => {
    const store = createMemoryStore();
    const runs: string[] = [];
    let failOnce = true;
    const nodes: DurableDagNode[] = [
      {
        id: 'fetch',
        run: () => {
          runs.push('fetch');
          return { rows: 3 };
        },
      },
      {
        id: 'transform',
        dependsOn: ['fetch'],
        run: (inputs) => {
          runs.push('transform');
          if (failOnce) {
            failOnce = false;
            throw new Error('process died');
          }
          return { doubled: (inputs.fetch as { rows: number }).rows * 2 };
        },
      },
    ];
    const first = await runDurableDag(nodes, { store, runId: 'wf-1' });
    expect(first.status).toBe('failed');
    const second = await runDurableDag(nodes, { store, runId: 'wf-1' });
    expect(second).toMatchObject({ status: 'completed', reused: ['fetch'], outputs: { transform: { doubled: 6 } } });
    expect(runs).toEqual(['fetch', 'transform', 'transform']);
    expect((await store.loadCheckpoint('wf-1'))?.status).toBe('completed');
  });

  it('a node suspends until a valid payload is resolved, then the run goes on', async () => {
    const store = createMemoryStore();
    const schema = Type.Object({ approved: Type.Boolean() });
    const nodes: DurableDagNode[] = [
      { id: 'draft', run: () => 'draft text' },
      {
        id: 'review',
        dependsOn: ['draft'],
        run: async (_inputs, context) => {
          const decision = await context.suspend({ id: 'manager', reason: 'approve the draft', schema });
          return decision.approved ? 'published' : 'dropped';
        },
      },
    ];
    const waiting = await runDurableDag(nodes, { store, runId: 'wf-2' });
    expect(waiting.status).toBe('suspended');
    expect(waiting.suspensions).toMatchObject([{ suspensionId: 'manager', reason: 'approve the draft' }]);
    await expect(
      resolveWorkflowSuspension(store, {
        runId: 'wf-2',
        suspensionId: 'manager',
        schema,
        payload: { approved: 'yes' },
      }),
    ).rejects.toSatisfy((error) => AgenticGenError.hasCode(error, 'invalid-argument'));
    expect(
      await resolveWorkflowSuspension(store, {
        runId: 'wf-2',
        suspensionId: 'manager',
        schema,
        payload: { approved: true },
      }),
    ).toBe(true);
    const done = await runDurableDag(nodes, { store, runId: 'wf-2' });
    expect(done).toMatchObject({ status: 'completed', reused: ['draft'], outputs: { review: 'published' } });
  });
});
