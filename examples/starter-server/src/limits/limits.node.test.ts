import { AgenticGenError } from '@agenticgen/core';
import { describe, expect, it } from 'vitest';
import { AuthThrottle } from './auth-throttle.ts';
import { FairQueue } from './fair-queue.ts';
import { jsonDepthExceeds } from './json-depth.ts';
import { TokenBucket } from './message-rate.ts';
import { RunLimiter } from './run-limiter.ts';

describe('AuthThrottle', () => {
  it('locks an address after its failures for the rest of the window, and remembers a bounded number of addresses', () => {
    let now = 0;
    const throttle = new AuthThrottle({ maxFailures: 2, windowMs: 1000, maxAddresses: 2, now: () => now });
    throttle.fail('a');
    throttle.check('a');
    throttle.fail('a');
    expect(() => throttle.check('a')).toThrowError(expect.objectContaining({ code: 'rate-limit' }));
    now = 999;
    expect(() => throttle.check('a')).toThrow(AgenticGenError);
    now = 1000;
    throttle.check('a');
    // A spray of addresses forgets the oldest instead of growing without bound.
    for (const address of ['b', 'c', 'd']) {
      throttle.fail(address);
      throttle.fail(address);
    }
    throttle.check('b');
    expect(() => throttle.check('d')).toThrow(AgenticGenError);
  });
});

describe('TokenBucket', () => {
  it('allows a burst, then refills at its rate', () => {
    let now = 0;
    const bucket = new TokenBucket(2, 3, () => now);
    expect([bucket.take(), bucket.take(), bucket.take(), bucket.take()]).toEqual([true, true, true, false]);
    now = 500; // one token back at 2 per second
    expect([bucket.take(), bucket.take()]).toEqual([true, false]);
  });
});

describe('RunLimiter', () => {
  it('counts per owner and releases each slot once', () => {
    const limiter = new RunLimiter(1);
    const release = limiter.acquire('a');
    expect(() => limiter.acquire('a')).toThrowError(expect.objectContaining({ code: 'rate-limit' }));
    limiter.acquire('b');
    release();
    release();
    expect(limiter.active('a')).toBe(0);
    limiter.acquire('a');
  });
});

describe('FairQueue', () => {
  it('drops a waiting task whose signal aborts, without running it', async () => {
    const queue = new FairQueue({ concurrency: 1, maxQueuedPerKey: 4 });
    let finishFirst!: () => void;
    const first = queue.run('a', () => new Promise<string>((resolve) => (finishFirst = () => resolve('first'))));
    const controller = new AbortController();
    let ran = false;
    const waiting = queue.run(
      'a',
      async () => {
        ran = true;
      },
      controller.signal,
    );
    expect(queue.queued('a')).toBe(1);
    controller.abort(new AgenticGenError('aborted', '[test] gone'));
    await expect(waiting).rejects.toMatchObject({ code: 'aborted' });
    expect(queue.queued()).toBe(0);
    finishFirst();
    expect(await first).toBe('first');
    expect(ran).toBe(false);
  });
});

describe('jsonDepthExceeds', () => {
  it('counts arrays and objects, not brackets inside strings', () => {
    expect(jsonDepthExceeds('[[[1]]]', 3)).toBe(false);
    expect(jsonDepthExceeds('[[[[1]]]]', 3)).toBe(true);
    expect(jsonDepthExceeds('{"a":"[[[[[[\\"]]]"}', 1)).toBe(false);
  });
});
