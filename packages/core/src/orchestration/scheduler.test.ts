import { type Context, type ContextManager, context, createContextKey, ROOT_CONTEXT } from '@opentelemetry/api';
import { describe, expect, it, vi } from 'vitest';
import { AgenticGenError } from '../errors/agenticgen-error.js';
import { createScheduler, type SchedulerEvents } from './scheduler.js';

function deferred<T = void>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((ok, fail) => {
    resolve = ok;
    reject = fail;
  });
  return { promise, resolve, reject };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

/** Like the browser SDK's StackContextManager: the active context is set for synchronous code only. */
class StackContextManager implements ContextManager {
  #active = ROOT_CONTEXT;
  active(): Context {
    return this.#active;
  }
  with<A extends unknown[], F extends (...args: A) => ReturnType<F>>(
    active: Context,
    fn: F,
    thisArg?: ThisParameterType<F>,
    ...args: A
  ): ReturnType<F> {
    const previous = this.#active;
    this.#active = active;
    try {
      return fn.apply(thisArg, args);
    } finally {
      this.#active = previous;
    }
  }
  bind<T>(_active: Context, target: T): T {
    return target;
  }
  enable(): this {
    return this;
  }
  disable(): this {
    return this;
  }
}

describe('scheduler', () => {
  it('runs higher priority first and FIFO among equal priorities', async () => {
    const scheduler = createScheduler({ concurrency: 1, paused: true });
    const order: string[] = [];
    const add = (name: string, priority?: number) =>
      scheduler.schedule({ name, ...(priority === undefined ? {} : { priority }), run: () => order.push(name) });
    add('low-1', -1);
    add('normal-1');
    add('high', 5);
    add('normal-2');
    add('low-2', -1);
    scheduler.resume();
    await scheduler.onIdle();
    expect(order).toEqual(['high', 'normal-1', 'normal-2', 'low-1', 'low-2']);
  });

  it('never exceeds the global limit, and a group limit does not block other groups', async () => {
    const scheduler = createScheduler({ concurrency: 3, groupConcurrency: { slow: 1 } });
    let running = 0;
    let peak = 0;
    const runningByGroup = new Map<string, number>();
    const peakByGroup = new Map<string, number>();
    const gates = Array.from({ length: 9 }, () => deferred());
    const started: string[] = [];
    gates.forEach((gate, index) => {
      const group = index < 4 ? 'slow' : 'fast';
      scheduler.schedule({
        name: `${group}-${index}`,
        group,
        async run() {
          started.push(`${group}-${index}`);
          running++;
          peak = Math.max(peak, running);
          runningByGroup.set(group, (runningByGroup.get(group) ?? 0) + 1);
          peakByGroup.set(group, Math.max(peakByGroup.get(group) ?? 0, runningByGroup.get(group) ?? 0));
          await gate.promise;
          running--;
          runningByGroup.set(group, (runningByGroup.get(group) ?? 0) - 1);
        },
      });
    });
    await tick();
    // One slow task runs; the other slots go to fast tasks queued behind the parked slow ones.
    expect(started).toEqual(['slow-0', 'fast-4', 'fast-5']);
    for (const gate of gates) {
      gate.resolve();
      await tick();
    }
    await scheduler.onIdle();
    expect(peak).toBe(3);
    expect(peakByGroup.get('slow')).toBe(1);
    expect(started).toHaveLength(9);
    expect(scheduler.stats).toMatchObject({ completed: 9, running: 0, queued: 0 });
  });

  it('retries transient failures with exponential backoff and reports each retry', async () => {
    const scheduler = createScheduler({ concurrency: 2 });
    const retries: SchedulerEvents['task-retry'][] = [];
    scheduler.events.on('task-retry', (event) => {
      retries.push(event);
    });
    let calls = 0;
    const handle = scheduler.schedule({
      name: 'flaky',
      maxRetries: 3,
      backoff: { initialDelayMs: 5, factor: 3, jitter: false },
      run: (_input, context) => {
        calls++;
        if (context.attempt < 3) throw new AgenticGenError('network', '[test] connection reset');
        return 'ok';
      },
    });
    await expect(handle.result).resolves.toBe('ok');
    expect(calls).toBe(3);
    expect(handle.attempts).toBe(3);
    expect(retries.map((event) => [event.attempt, event.delayMs, event.errorCode])).toEqual([
      [1, 5, 'network'],
      [2, 15, 'network'],
    ]);

    let permanentCalls = 0;
    const permanent = scheduler.run({
      maxRetries: 5,
      run: () => {
        permanentCalls++;
        throw new AgenticGenError('invalid-argument', '[test] bad input');
      },
    });
    await expect(permanent).rejects.toMatchObject({ code: 'invalid-argument' });
    expect(permanentCalls).toBe(1);

    const exhausted = scheduler.run({
      maxRetries: 1,
      backoff: { initialDelayMs: 1 },
      run: () => Promise.reject(new Error('boom')),
    });
    await expect(exhausted).rejects.toMatchObject({ code: 'task-failed', message: expect.stringContaining('boom') });
  });

  it('accepts the deprecated `retries` name for the scheduler default and per task, `maxRetries` winning', async () => {
    const flaky = (calls: { count: number }) => () => {
      calls.count++;
      throw new AgenticGenError('network', '[test] connection reset');
    };
    const scheduler = createScheduler({ retries: 2, backoff: { initialDelayMs: 1 } });
    const byDefault = { count: 0 };
    await expect(scheduler.run({ run: flaky(byDefault) })).rejects.toThrow('connection reset');
    expect(byDefault.count).toBe(3);
    const perTask = { count: 0 };
    await expect(scheduler.run({ retries: 1, run: flaky(perTask) })).rejects.toThrow('connection reset');
    expect(perTask.count).toBe(2);
    const both = { count: 0 };
    await expect(scheduler.run({ maxRetries: 0, retries: 4, run: flaky(both) })).rejects.toThrow('connection reset');
    expect(both.count).toBe(1);
  });

  it('times out an attempt, aborting its signal, and frees the slot', async () => {
    const scheduler = createScheduler({ concurrency: 1 });
    let seenReason: unknown;
    const hung = scheduler.run({
      timeoutMs: 20,
      run: (_input, context) =>
        new Promise((_, reject) => {
          context.signal.addEventListener('abort', () => {
            seenReason = context.signal.reason;
            reject(context.signal.reason);
          });
        }),
    });
    const next = scheduler.run({ run: () => 'next' });
    await expect(hung).rejects.toMatchObject({ code: 'timeout' });
    expect(AgenticGenError.hasCode(seenReason, 'timeout')).toBe(true);
    await expect(next).resolves.toBe('next');
  });

  it('cancels queued tasks without running them and running tasks through their signal', async () => {
    const scheduler = createScheduler({ concurrency: 1 });
    const gate = deferred();
    let aborted = false;
    const running = scheduler.schedule({
      run: async (_input, context) => {
        context.signal.addEventListener('abort', () => {
          aborted = true;
        });
        await gate.promise;
        return 'late';
      },
    });
    let queuedRan = false;
    const queued = scheduler.schedule({ run: () => (queuedRan = true) });
    const external = new AbortController();
    const viaSignal = scheduler.schedule({ run: () => 'never', signal: external.signal });
    await tick();
    expect(queued.cancel('not needed')).toBe(true);
    expect(queued.cancel()).toBe(false);
    external.abort();
    expect(running.cancel()).toBe(true);
    expect(aborted).toBe(true);
    await expect(queued.result).rejects.toMatchObject({
      code: 'aborted',
      message: expect.stringContaining('not needed'),
    });
    await expect(running.result).rejects.toMatchObject({ code: 'aborted' });
    await expect(viaSignal.result).rejects.toMatchObject({ code: 'aborted' });
    gate.resolve();
    await scheduler.onIdle();
    expect(queuedRan).toBe(false);
    expect(running.status).toBe('cancelled');
    expect(scheduler.stats).toMatchObject({ cancelled: 3, completed: 0, queued: 0, running: 0 });
  });

  it('fails tasks that miss their deadline, queued or running, without retrying', async () => {
    const scheduler = createScheduler({ concurrency: 1 });
    const gate = deferred();
    const blocker = scheduler.schedule({ run: () => gate.promise });
    let ran = false;
    const late = scheduler.schedule({ deadline: Date.now() + 15, run: () => (ran = true) });
    await expect(late.result).rejects.toMatchObject({ code: 'deadline-exceeded' });
    expect(ran).toBe(false);
    gate.resolve();
    await blocker.result;

    let attempts = 0;
    const slow = scheduler.run({
      deadline: new Date(Date.now() + 15),
      maxRetries: 3,
      run: (_input, context) => {
        attempts++;
        return new Promise((_, reject) =>
          context.signal.addEventListener('abort', () => reject(context.signal.reason)),
        );
      },
    });
    await expect(slow).rejects.toMatchObject({ code: 'deadline-exceeded' });
    expect(attempts).toBe(1);
  });

  it('never starts a task whose deadline has already passed, and says so with deadline-exceeded', async () => {
    const scheduler = createScheduler();
    const failures: SchedulerEvents['task-fail'][] = [];
    scheduler.events.on('task-fail', (event) => failures.push(event));
    let ran = false;
    const past = scheduler.schedule({ name: 'too-late', deadline: Date.now() - 1, run: () => (ran = true) });
    await expect(past.result).rejects.toMatchObject({ code: 'deadline-exceeded' });
    expect(ran).toBe(false);
    expect(past.status).toBe('failed');
    expect(failures).toMatchObject([{ name: 'too-late', attempts: 0, errorCode: 'deadline-exceeded' }]);
    expect(scheduler.stats).toMatchObject({ queued: 0, running: 0, failed: 1, completed: 0 });
  });

  it('does not start a queued task whose deadline passed before its deadline timer fired', async () => {
    vi.useFakeTimers();
    try {
      const scheduler = createScheduler({ concurrency: 1 });
      const gate = deferred();
      const blocker = scheduler.schedule({ run: () => gate.promise });
      let ran = false;
      const late = scheduler.schedule({ deadline: Date.now() + 10, run: () => (ran = true) });
      // The clock moves past the deadline while the timer has not run yet (a busy event loop).
      vi.setSystemTime(Date.now() + 20);
      gate.resolve();
      await blocker.result;
      await expect(late.result).rejects.toMatchObject({ code: 'deadline-exceeded' });
      expect(ran).toBe(false);
    } finally {
      vi.useRealTimers();
    }
  });

  it('starts a task in the OpenTelemetry context that was active when it was scheduled', async () => {
    context.disable();
    context.setGlobalContextManager(new StackContextManager());
    try {
      const request = createContextKey('request');
      const scheduler = createScheduler({ concurrency: 1 });
      const gate = deferred();
      context.with(ROOT_CONTEXT.setValue(request, 'a'), () => scheduler.schedule({ run: () => gate.promise }));
      const second = context.with(ROOT_CONTEXT.setValue(request, 'b'), () =>
        scheduler.run({ run: () => context.active().getValue(request) }),
      );
      // The second task starts when the first settles, from code that runs in no context at all.
      gate.resolve();
      expect(await second).toBe('b');
    } finally {
      context.disable();
    }
  });

  it('bounds the queue: a clear queue-full error, or waiting for space', async () => {
    const scheduler = createScheduler({ concurrency: 1, maxQueueSize: 2 });
    const gate = deferred();
    scheduler.schedule({ run: () => gate.promise });
    await tick();
    scheduler.schedule({ run: () => 'a' });
    scheduler.schedule({ run: () => 'b' });
    expect(() => scheduler.schedule({ run: () => 'c' })).toThrow(
      expect.objectContaining({
        code: 'queue-full',
        retryable: true,
        message: expect.stringContaining('scheduleWhenSpace'),
      }),
    );
    let accepted = false;
    const waiting = scheduler.scheduleWhenSpace({ run: () => 'd' }).then((handle) => {
      accepted = true;
      return handle.result;
    });
    const gaveUp = new AbortController();
    const abandoned = scheduler.scheduleWhenSpace({ run: () => 'e' }, { signal: gaveUp.signal });
    await tick();
    expect(accepted).toBe(false);
    gaveUp.abort();
    await expect(abandoned).rejects.toMatchObject({ code: 'aborted' });
    gate.resolve();
    await expect(waiting).resolves.toBe('d');
    expect(accepted).toBe(true);
  });

  it('emits progress and lifecycle events and resolves onIdle', async () => {
    const scheduler = createScheduler({ concurrency: 2 });
    const seen: string[] = [];
    for (const name of ['task-queue', 'task-start', 'task-progress', 'task-complete', 'task-fail', 'idle'] as const) {
      scheduler.events.on(name, (payload) => {
        seen.push(
          name === 'task-progress' ? `progress ${(payload as SchedulerEvents['task-progress']).fraction}` : name,
        );
      });
    }
    scheduler.schedule({
      name: 'ingest',
      run: async (_input, context) => {
        context.progress(0.5, 'half');
        context.progress(2);
      },
    });
    await scheduler.onIdle();
    expect(seen).toEqual(['task-queue', 'task-start', 'progress 0.5', 'progress 1', 'task-complete', 'idle']);
  });

  it('cancelAll and dispose stop everything; a disposed scheduler refuses work', async () => {
    const scheduler = createScheduler({ concurrency: 1 });
    const handles = Array.from({ length: 4 }, () => scheduler.schedule({ run: () => new Promise(() => {}) }));
    await tick();
    scheduler.dispose();
    const outcomes = await Promise.allSettled(handles.map((handle) => handle.result));
    expect(outcomes.every((outcome) => outcome.status === 'rejected')).toBe(true);
    expect(scheduler.stats).toMatchObject({ cancelled: 4, queued: 0, running: 0 });
    expect(() => scheduler.schedule({ run: () => 1 })).toThrow(expect.objectContaining({ code: 'disposed' }));
    expect(() => createScheduler({ concurrency: 0 })).toThrow(expect.objectContaining({ code: 'invalid-argument' }));
  });
});

describe('scheduler signals', () => {
  it('detaches from a shared task signal when each task ends', async () => {
    const scheduler = createScheduler({ concurrency: 4 });
    const controller = new AbortController();
    let listeners = 0;
    const signal = controller.signal;
    const add = signal.addEventListener.bind(signal);
    const remove = signal.removeEventListener.bind(signal);
    signal.addEventListener = (...args: Parameters<AbortSignal['addEventListener']>) => {
      listeners++;
      add(...args);
    };
    signal.removeEventListener = (...args: Parameters<AbortSignal['removeEventListener']>) => {
      listeners--;
      remove(...args);
    };
    await Promise.all(Array.from({ length: 50 }, (_, index) => scheduler.run({ signal, run: () => index })));
    await expect(
      scheduler.run({ signal, run: () => Promise.reject(new AgenticGenError('invalid-argument', 'x')) }),
    ).rejects.toThrow();
    expect(listeners).toBe(0);
  });
});

describe('scheduler dependencies', () => {
  it('starts a task after its dependencies complete, and fails it unrun when one fails', async () => {
    const scheduler = createScheduler({ concurrency: 4 });
    const order: string[] = [];
    const gate = deferred();
    const first = scheduler.schedule({
      name: 'first',
      run: async () => {
        await gate.promise;
        order.push('first');
        return 1;
      },
    });
    const second = scheduler.schedule({ name: 'second', dependsOn: [first], run: () => order.push('second') });
    await tick();
    expect(order).toEqual([]);
    expect(second.status).toBe('queued');
    expect(scheduler.stats.queued).toBe(1);
    gate.resolve();
    await second.result;
    expect(order).toEqual(['first', 'second']);

    let ran = false;
    const broken = scheduler.schedule({
      name: 'broken',
      run: () => Promise.reject(new AgenticGenError('invalid-argument', 'x')),
    });
    const dependent = scheduler.schedule({ name: 'dependent', dependsOn: [first, broken], run: () => (ran = true) });
    await expect(dependent.result).rejects.toMatchObject({
      code: 'dependency-failed',
      data: { dependency: broken.id },
    });
    expect(ran).toBe(false);
    await scheduler.onIdle();
    expect(scheduler.stats).toMatchObject({ queued: 0, running: 0 });
  });
});
