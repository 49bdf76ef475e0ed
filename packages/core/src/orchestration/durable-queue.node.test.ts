import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type RedisTestServer, redisServerAvailable, startRedisServer } from '../../../../test-support/redis-server.js';
import { AgenticGenError } from '../errors/agenticgen-error.js';
import { createMemoryStore } from '../storage/memory-store.js';
import { runDurableDag } from './durable-dag.js';
import { durableStepHandlers, queuedStep } from './durable-queue.js';
import { createRedisTaskQueue, type RedisTaskQueue } from './redis-queue.js';

const available = redisServerAvailable();

describe.skipIf(!available)('durable workflow steps on Redis queue workers', () => {
  let server: RedisTestServer;
  const queues: RedisTaskQueue[] = [];
  let counter = 0;
  /** One queue connection: the coordinator and the workers each open their own, as separate processes do. */
  const connect = async (name: string) => {
    const queue = await createRedisTaskQueue({ name, connection: server.url });
    queues.push(queue);
    return queue;
  };

  beforeAll(async () => {
    server = await startRedisServer();
  });
  afterAll(async () => {
    await Promise.all(queues.map((queue) => queue.close()));
    await server?.stop();
  });

  it('workers execute the steps and store their results; a restarted workflow skips the completed nodes', async () => {
    const name = `workflow-${process.pid}-${++counter}`;
    const store = createMemoryStore();
    const executed: string[] = [];
    let reportFails = true;
    const worker = await connect(name);
    await worker.process(
      durableStepHandlers({
        store,
        steps: {
          fetch: (_inputs, context) => {
            executed.push(`fetch ${context.idempotencyKey}`);
            return { rows: 3 };
          },
          double: (inputs) => {
            executed.push('double');
            return (inputs.fetch as { rows: number }).rows * 2;
          },
          report: (inputs) => {
            executed.push('report');
            if (reportFails) throw new AgenticGenError('invalid-argument', '[test] the report service refused');
            return `total ${String(inputs.double)}`;
          },
        },
      }),
    );
    const nodes = (queue: RedisTaskQueue) => [
      queuedStep(queue, { id: 'fetch', handler: 'fetch' }),
      queuedStep(queue, { id: 'double', handler: 'double', dependsOn: ['fetch'] }),
      queuedStep(queue, { id: 'report', handler: 'report', dependsOn: ['double'] }),
    ];

    const first = await runDurableDag(nodes(await connect(name)), { store, runId: 'wf-1' });
    expect(first.status).toBe('failed');
    expect(first.errors.report?.code).toBe('invalid-argument');
    expect(await store.loadNodeResults('wf-1')).toEqual({ fetch: { rows: 3 }, double: 6 });

    // A new coordinator (a restarted process) runs the same workflow: only the failed node runs again.
    reportFails = false;
    const second = await runDurableDag(nodes(await connect(name)), { store, runId: 'wf-1' });
    expect(second).toMatchObject({ status: 'completed', reused: ['fetch', 'double'] });
    expect(second.outputs.report).toBe('total 6');
    expect(executed).toEqual(['fetch wf-1:fetch', 'double', 'report', 'report']);
  });

  it('a coordinator restarted while a step runs joins its job instead of running it twice', async () => {
    const name = `workflow-${process.pid}-${++counter}`;
    const store = createMemoryStore();
    let runs = 0;
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const worker = await connect(name);
    await worker.process(
      durableStepHandlers({
        store,
        steps: {
          slow: async () => {
            runs++;
            await gate;
            return 'slow done';
          },
        },
      }),
    );
    const nodes = (queue: RedisTaskQueue) => [queuedStep(queue, { id: 'slow', handler: 'slow' })];
    // The first coordinator never finishes on its own (as if its process died while the step ran)…
    const interrupted = runDurableDag(nodes(await connect(name)), { store, runId: 'wf-2' });
    await vi.waitFor(() => expect(runs).toBe(1), { timeout: 10_000 });
    // …and a restarted one finds the run still `running`: same attempt, same job.
    const restarted = runDurableDag(nodes(await connect(name)), { store, runId: 'wf-2' });
    release();
    expect((await restarted).outputs.slow).toBe('slow done');
    expect((await interrupted).outputs.slow).toBe('slow done');
    expect(runs).toBe(1);
  });
});
