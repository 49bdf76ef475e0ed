import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RedisTestServer, redisServerAvailable, startRedisServer } from '../../../../test-support/redis-server.js';
import { AgenticGenError } from '../errors/agenticgen-error.js';
import { checkAsyncResource } from '../testing/async-resource-checks.js';
import { createRedisTaskQueue, type RedisTaskQueue, type RedisTaskQueueOptions } from './redis-queue.js';

const available = redisServerAvailable();
const hooks = fileURLToPath(new URL('../agents/fixtures/ts-source-hooks.mjs', import.meta.url));
const childScript = fileURLToPath(new URL('./fixtures/redis-worker-child.ts', import.meta.url));

function deferred<T = void>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((ok) => {
    resolve = ok;
  });
  return { promise, resolve };
}

describe.skipIf(!available)(
  'Redis task queue: finished results, cancellation, dead letters and crashed workers',
  () => {
    let server: RedisTestServer;
    const queues: RedisTaskQueue[] = [];
    const children: ChildProcess[] = [];
    let counter = 0;
    /** Opens `instances` independent queue objects (own connections) on one new queue name. */
    const open = async (options: Partial<RedisTaskQueueOptions> = {}, instances = 1) => {
      const name = `lifecycle-${process.pid}-${++counter}`;
      const opened: RedisTaskQueue[] = [];
      for (let index = 0; index < instances; index++) {
        const queue = await createRedisTaskQueue({ name, connection: server.url, backoffDelayMs: 10, ...options });
        queues.push(queue);
        opened.push(queue);
      }
      return { name, queues: opened };
    };

    beforeAll(async () => {
      server = await startRedisServer();
    });
    afterAll(async () => {
      for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await Promise.all(queues.map((queue) => queue.close()));
      await server?.stop();
    });

    it('`await using` closes the queue and its workers once; close and dispose again resolve', async () => {
      await checkAsyncResource(
        async () => {
          const queue = await createRedisTaskQueue({ name: `using-${process.pid}`, connection: server.url });
          await queue.process({ noop: () => 1 });
          return queue;
        },
        async (released) => {
          await expect(released.enqueue('noop', 1)).rejects.toThrow();
          await released.close();
        },
      );
    });

    it('result() of a finished task whose job was trimmed (keepFinished: 3) is result-expired, never task-failed', async () => {
      const {
        queues: [queue],
      } = await open({ keepFinished: 3 });
      if (queue === undefined) throw new Error('no queue');
      await queue.process({ double: (input) => Number(input) * 2 }, { concurrency: 1 });
      const handles = [];
      for (let index = 0; index < 10; index++) handles.push(await queue.enqueue<number>('double', index));
      // One worker with concurrency 1 and equal priorities: the last task finishes last.
      expect(await handles[9]?.result({ timeoutMs: 20_000 })).toBe(18);
      const outcomes = await Promise.all(
        handles.map((handle) =>
          handle.result({ timeoutMs: 20_000 }).then(
            (value) => ({ value }),
            (error: unknown) => ({ code: AgenticGenError.isInstance(error) ? error.code : String(error) }),
          ),
        ),
      );
      expect(outcomes.filter((outcome) => 'code' in outcome && outcome.code !== 'result-expired')).toEqual([]);
      expect(outcomes.slice(7)).toEqual([{ value: 14 }, { value: 16 }, { value: 18 }]);
      expect(outcomes.slice(0, 7)).toEqual(Array.from({ length: 7 }, () => ({ code: 'result-expired' })));
      const expired = await handles[0]?.result().catch((error: unknown) => error);
      expect(expired).toMatchObject({ message: expect.stringContaining('keepFinished') });
    });

    it('a worker killed with SIGKILL: its task is picked up by another process with the next attempt number', async () => {
      const {
        name,
        queues: [queue],
      } = await open();
      if (queue === undefined) throw new Error('no queue');
      const child = spawn(process.execPath, ['--import', hooks, childScript, server.url, name], {
        stdio: ['pipe', 'pipe', 'inherit'],
      });
      children.push(child);
      const output = deferred<string>();
      let text = '';
      child.stdout?.on('data', (chunk: Buffer) => {
        text += chunk.toString();
        if (text.includes('ready')) output.resolve(text);
      });
      await output.promise;
      const handle = await queue.enqueue<{ attempt: number; pid: number }>('hang', null);
      await new Promise<void>((resolve) => {
        const check = () => text.includes(`started ${handle.id} attempt 1`) && resolve();
        child.stdout?.on('data', check);
        check();
      });
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
      // This process serves the queue from now on, with the default lock and stall timings.
      await queue.process({ hang: (_input, context) => ({ attempt: context.attempt, pid: process.pid }) });
      expect(await handle.result({ timeoutMs: 60_000 })).toEqual({ attempt: 2, pid: process.pid });
    }, 90_000);

    it('cancels a running task from another instance: its signal aborts and result() rejects with aborted', async () => {
      const {
        queues: [workerSide, producerSide],
      } = await open({}, 2);
      if (workerSide === undefined || producerSide === undefined) throw new Error('no queue');
      const started = deferred();
      const sawAbort = deferred<unknown>();
      await workerSide.process({
        wait: (_input, context) => {
          started.resolve();
          return new Promise((_, reject) =>
            context.signal.addEventListener('abort', () => {
              sawAbort.resolve(context.signal.reason);
              reject(context.signal.reason);
            }),
          );
        },
      });
      const handle = await producerSide.enqueue('wait', null);
      await started.promise;
      expect(await producerSide.cancel(handle.id, 'the user gave up')).toBe(true);
      expect(await sawAbort.promise).toMatchObject({ code: 'aborted' });
      await expect(handle.result({ timeoutMs: 20_000 })).rejects.toMatchObject({
        code: 'aborted',
        message: expect.stringContaining('the user gave up'),
      });
      // Finished and unknown tasks cannot be cancelled; a cancelled task is no dead letter.
      expect(await producerSide.cancel(handle.id)).toBe(false);
      expect(await producerSide.cancel('no-such-task')).toBe(false);
      expect(await producerSide.deadLetters()).toEqual([]);
    });

    it('cancels a queued task from another instance: it never runs, and later tasks do', async () => {
      const {
        queues: [workerSide, producerSide],
      } = await open({}, 2);
      if (workerSide === undefined || producerSide === undefined) throw new Error('no queue');
      const ran: string[] = [];
      const queued = await producerSide.enqueue('record', 'cancelled');
      expect(await producerSide.cancel(queued.id)).toBe(true);
      await expect(queued.result({ timeoutMs: 20_000 })).rejects.toMatchObject({ code: 'aborted' });
      await workerSide.process({ record: (input) => ran.push(String(input)) });
      const next = await producerSide.enqueue('record', 'next');
      await next.result({ timeoutMs: 20_000 });
      expect(ran).toEqual(['next']);
    });

    it('keeps tasks that failed for good in a bounded dead-letter list, readable from any instance', async () => {
      const {
        queues: [workerSide, reader],
      } = await open({ retries: 1, deadLetterLimit: 2 }, 2);
      if (workerSide === undefined || reader === undefined) throw new Error('no queue');
      await workerSide.process({
        broken: (input, context) => {
          throw new Error(`broken ${String(input)} on attempt ${context.attempt}`);
        },
        fine: (input) => input,
      });
      const failures = [];
      for (const input of ['a', 'b', 'c']) {
        const handle = await workerSide.enqueue('broken', input);
        await expect(handle.result({ timeoutMs: 20_000 })).rejects.toMatchObject({ code: 'task-failed' });
        failures.push(handle.id);
      }
      await (await workerSide.enqueue('fine', 'ok')).result({ timeoutMs: 20_000 });
      const letters = await reader.deadLetters();
      // Newest first, at most deadLetterLimit: 'a' was dropped.
      expect(letters.map((letter) => letter.id)).toEqual([failures[2], failures[1]]);
      expect(letters[0]).toMatchObject({
        name: 'broken',
        input: 'c',
        attempts: 2,
        error: { code: 'task-failed', message: expect.stringContaining('broken c on attempt 2') },
      });
      expect(typeof letters[0]?.failedAt).toBe('number');
      expect(await reader.deadLetters({ limit: 1 })).toHaveLength(1);
    });
  },
);
