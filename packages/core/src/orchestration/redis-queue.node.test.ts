import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RedisTestServer, redisServerAvailable, startRedisServer } from '../../../../test-support/redis-server.js';
import { AgenticGenError } from '../errors/agenticgen-error.js';
import { createRedisTaskQueue, type RedisTaskQueue } from './redis-queue.js';

const available = redisServerAvailable();
const hooks = fileURLToPath(new URL('../agents/fixtures/ts-source-hooks.mjs', import.meta.url));
const childScript = fileURLToPath(new URL('./fixtures/redis-worker-child.ts', import.meta.url));

describe.skipIf(!available)('Redis task queue (BullMQ)', () => {
  let server: RedisTestServer;
  const queues: RedisTaskQueue[] = [];
  const children: ChildProcess[] = [];
  let counter = 0;
  const open = async (options: { maxRetries?: number; retries?: number } = {}) => {
    const queue = await createRedisTaskQueue({
      name: `test-${process.pid}-${++counter}`,
      connection: server.url,
      backoffDelayMs: 10,
      ...options,
    });
    queues.push(queue);
    return { queue, name: `test-${process.pid}-${counter}` };
  };

  beforeAll(async () => {
    server = await startRedisServer();
  });
  afterAll(async () => {
    for (const child of children) child.stdin?.end();
    await Promise.all(
      children.map(
        (child) => new Promise((resolve) => (child.exitCode === null ? child.once('exit', resolve) : resolve(null))),
      ),
    );
    await Promise.all(queues.map((queue) => queue.close()));
    await server?.stop();
  });

  it('two processes share one queue: tasks enqueued here run in both this process and a child process', async () => {
    const { queue, name } = await open();
    const child = spawn(process.execPath, ['--import', hooks, childScript, server.url, name], {
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    children.push(child);
    await new Promise<void>((resolve, reject) => {
      child.stdout?.on('data', (chunk: Buffer) => {
        if (chunk.toString().includes('ready')) resolve();
      });
      child.once('exit', (code) => reject(new Error(`worker exited early with ${code}`)));
    });
    // This process's worker holds its first task until a result from the child arrived: the other tasks must
    // then go to the child, so both processes provably take work from the one queue.
    let sawChild: () => void = () => {};
    const childSeen = new Promise<void>((resolve) => {
      sawChild = resolve;
    });
    await queue.process(
      {
        whoami: async (input) => {
          await childSeen;
          return { pid: process.pid, input };
        },
      },
      { concurrency: 1 },
    );
    const handles = await Promise.all(
      Array.from({ length: 20 }, (_, index) => queue.enqueue<{ pid: number; input: number }>('whoami', index)),
    );
    for (const handle of handles) {
      handle.result({ timeoutMs: 20_000 }).then(
        (result) => {
          if (result.pid === child.pid) sawChild();
        },
        () => undefined,
      );
    }
    const results = await Promise.all(handles.map((handle) => handle.result({ timeoutMs: 20_000 })));
    expect(results.map((result) => result.input)).toEqual(Array.from({ length: 20 }, (_, index) => index));
    const pids = new Set(results.map((result) => result.pid));
    expect(pids.has(process.pid)).toBe(true);
    expect(pids.has(child.pid as number)).toBe(true);
  });

  it('retries failures with backoff and keeps error codes across the Redis boundary', async () => {
    const { queue } = await open({ maxRetries: 2 });
    const attempts = new Map<string, number>();
    await queue.process({
      flaky: (input, context) => {
        attempts.set(String(input), context.attempt);
        context.progress(0.5);
        if (context.attempt < 3) throw new Error('transient');
        return `ok after ${context.attempt}`;
      },
      invalid: () => {
        throw new AgenticGenError('invalid-argument', '[test] the input is wrong');
      },
    });
    const flaky = await queue.enqueue('flaky', 'a');
    const progress: number[] = [];
    flaky.onProgress((fraction) => progress.push(fraction));
    expect(await flaky.result({ timeoutMs: 20_000 })).toBe('ok after 3');
    // Progress crosses Redis too (events may still be in flight when the result arrives).
    await expect.poll(() => progress.at(-1), { timeout: 5_000 }).toBe(0.5);
    const invalid = await queue.enqueue('invalid', null);
    const failure = await invalid.result({ timeoutMs: 20_000 }).catch((error: unknown) => error);
    expect(AgenticGenError.hasCode(failure, 'invalid-argument')).toBe(true);
    expect((failure as Error).message).toBe('[test] the input is wrong');
    const unknown = await queue.enqueue('missing-handler', null);
    await expect(unknown.result({ timeoutMs: 20_000 })).rejects.toMatchObject({ code: 'not-found' });
    expect((await queue.counts()).failed).toBe(2);
    // Per task, `maxRetries` overrides the queue's budget.
    const once = await queue.enqueue('flaky', 'b', { maxRetries: 0 });
    await expect(once.result({ timeoutMs: 20_000 })).rejects.toThrow(/transient/);
    expect(attempts.get('b')).toBe(1);
  });

  it('honours priority, deadlines, per-attempt timeouts and idempotent ids', async () => {
    const { queue } = await open();
    const handles = [
      await queue.enqueue('record', 'low', { priority: -5 }),
      await queue.enqueue('record', 'normal'),
      await queue.enqueue('record', 'high', { priority: 10 }),
      await queue.enqueue('record', 'expired', { deadline: Date.now() - 1 }),
      await queue.enqueue('slow', 'slow', { timeoutMs: 50 }),
    ];
    const again = await queue.enqueue('record', 'duplicate', { id: 'fixed-id' });
    const duplicate = await queue.enqueue('record', 'duplicate-2', { id: 'fixed-id' });
    expect(duplicate.id).toBe(again.id);
    const order: string[] = [];
    await queue.process(
      {
        record: (input) => {
          order.push(String(input));
          return input;
        },
        slow: (_input, context) =>
          new Promise((_, reject) => context.signal.addEventListener('abort', () => reject(context.signal.reason))),
      },
      { concurrency: 1 },
    );
    await handles[2]?.result({ timeoutMs: 20_000 });
    await handles[0]?.result({ timeoutMs: 20_000 });
    await expect(handles[3]?.result({ timeoutMs: 20_000 })).rejects.toMatchObject({ code: 'deadline-exceeded' });
    await expect(handles[4]?.result({ timeoutMs: 20_000 })).rejects.toMatchObject({ code: 'timeout' });
    await again.result({ timeoutMs: 20_000 });
    expect(order.filter((entry) => entry !== 'duplicate')).toEqual(['high', 'normal', 'low']);
    expect(order.filter((entry) => entry.startsWith('duplicate'))).toEqual(['duplicate']);
  });

  it('rejects bad configuration clearly', async () => {
    await expect(createRedisTaskQueue({ name: 'bad name!', connection: server.url })).rejects.toMatchObject({
      code: 'invalid-argument',
    });
    await expect(createRedisTaskQueue({ name: 'x', connection: 'http://localhost:1' })).rejects.toMatchObject({
      code: 'invalid-argument',
    });
  });
});
