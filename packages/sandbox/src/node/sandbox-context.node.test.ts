import { once } from 'node:events';
import { setFlagsFromString } from 'node:v8';
import { Worker } from 'node:worker_threads';
import { afterEach, expect, it } from 'vitest';
import { createFlagLock, underFlagLock } from './sandbox-context.ts';

const fixture = new URL('./fixtures/context-worker.ts', import.meta.url);
/** ES2024's `Atomics.waitAsync` (in Node), beyond the repository's `lib`. */
const waitAsync = (
  Atomics as unknown as {
    waitAsync(array: Int32Array, index: number, value: number): { async: boolean; value: Promise<string> | string };
  }
).waitAsync;

afterEach(() => setFlagsFromString('--no-expose-gc'));

/**
 * Another worker of the sandbox process holds the lock with `--expose-gc` set (as `fetchCollectGarbage` does) while
 * this worker makes its context: the context must come out without `gc`. Before the lock, the context got a `gc`
 * its realm prelude could not delete, and the worker died at start (seen in CI as `sandbox-start-failed`).
 */
async function contextMadeWhileFlagIsSet(lock: Int32Array | undefined): Promise<string> {
  if (lock !== undefined) Atomics.store(lock, 0, 1); // held by "the other worker"
  setFlagsFromString('--expose-gc');
  const worker = new Worker(fixture, { workerData: { lock } });
  try {
    const answer = once(worker, 'message');
    if (lock !== undefined) {
      // The worker waits for the lock (it counts itself in word 1); the holder then clears the flag and lets go.
      const waiting = waitAsync(lock, 1, 0);
      if (waiting.async) await waiting.value;
      setFlagsFromString('--no-expose-gc');
      Atomics.store(lock, 0, 0);
      Atomics.notify(lock, 0);
    }
    const [message] = (await answer) as [{ gc: string }];
    return message.gc;
  } finally {
    await worker.terminate();
  }
}

it('a context made while another thread has --expose-gc set gets a gc (the hazard the lock exists for)', async () => {
  expect(await contextMadeWhileFlagIsSet(undefined)).toBe('function');
});

it('under the shared lock, a context waits for the flag to be cleared and has no gc', async () => {
  expect(await contextMadeWhileFlagIsSet(createFlagLock())).toBe('undefined');
});

it('underFlagLock runs the callback, returns its value and frees the lock even when it throws', () => {
  const lock = createFlagLock();
  expect(underFlagLock(lock, () => 42)).toBe(42);
  expect(() =>
    underFlagLock(lock, () => {
      throw new Error('boom');
    }),
  ).toThrow('boom');
  expect(Atomics.load(lock, 0)).toBe(0);
});
