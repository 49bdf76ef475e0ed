import { describe, expect, it, vi } from 'vitest';
import {
  abortableUntilStarted,
  combineSignals,
  delay,
  isCancellable,
  raceWithSignal,
  throwIfAborted,
  uncancellableSignal,
} from './abort.js';
import { AgenticGenError, toAgenticGenError } from './agenticgen-error.js';

describe('abort helpers', () => {
  it('never adds a listener to the shared uncancellable signal', async () => {
    const addListener = vi.spyOn(uncancellableSignal, 'addEventListener');
    try {
      const value = Promise.resolve(1);
      expect(raceWithSignal(value, uncancellableSignal, 'test')).toBe(value);
      const guard = combineSignals('test', uncancellableSignal, undefined);
      expect(guard.signal.aborted).toBe(false);
      guard.dispose();
      const started = abortableUntilStarted(uncancellableSignal, 'test', async (start) => {
        start();
        return 2;
      });
      await expect(started).resolves.toBe(2);
      vi.useFakeTimers();
      const waited = delay(5, uncancellableSignal);
      await vi.advanceTimersByTimeAsync(5);
      await expect(waited).resolves.toBeUndefined();
      expect(addListener).not.toHaveBeenCalled();
      expect(isCancellable(uncancellableSignal)).toBe(false);
      expect(isCancellable(undefined)).toBe(false);
      expect(isCancellable(new AbortController().signal)).toBe(true);
    } finally {
      vi.useRealTimers();
      addListener.mockRestore();
    }
  });

  it('combineSignals aborts on the caller signal with its reason, and on timeout with a retryable timeout error', async () => {
    const controller = new AbortController();
    const combined = combineSignals('test', controller.signal, undefined);
    controller.abort(new AgenticGenError('aborted', '[test] user cancelled'));
    expect(combined.signal.aborted).toBe(true);
    expect(AgenticGenError.hasCode(combined.signal.reason, 'aborted')).toBe(true);
    combined.dispose();

    const timed = combineSignals('slow thing', undefined, 10);
    await new Promise((resolve) => timed.signal.addEventListener('abort', resolve));
    const reason = timed.signal.reason as AgenticGenError;
    expect(reason.code).toBe('timeout');
    expect(reason.retryable).toBe(true);
    expect(reason.message).toBe('[slow thing] timed out after 10 ms');
    expect(reason.data).toEqual({ timeoutMs: 10 });
  });

  it('combineSignals starts aborted for an aborted caller signal; dispose clears the timer', async () => {
    expect(combineSignals('x', AbortSignal.abort(), 1000).signal.aborted).toBe(true);
    vi.useFakeTimers();
    const combined = combineSignals('x', undefined, 5);
    combined.dispose();
    vi.advanceTimersByTime(20);
    vi.useRealTimers();
    expect(combined.signal.aborted).toBe(false);
  });

  it('combineSignals race settles with the work, or rejects on timeout and caller abort without a signal listener', async () => {
    const settled = combineSignals('x', undefined, 1000);
    await expect(settled.race(Promise.resolve(1))).resolves.toBe(1);
    await expect(settled.race(Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    settled.dispose();

    vi.useFakeTimers();
    try {
      const timed = combineSignals('slow', undefined, 5);
      // The guard rejects the race itself: spying shows it never listens on its own signal per call.
      const listen = vi.spyOn(timed.signal, 'addEventListener');
      const pending = timed.race(new Promise(() => undefined));
      vi.advanceTimersByTime(5);
      await expect(pending).rejects.toSatisfy(
        (error) => AgenticGenError.hasCode(error, 'timeout') && error.message === '[slow] timed out after 5 ms',
      );
      expect(listen).not.toHaveBeenCalled();
      timed.dispose();
    } finally {
      vi.useRealTimers();
    }

    const caller = new AbortController();
    const cancelled = combineSignals('race', caller.signal, undefined);
    const pending = cancelled.race(new Promise(() => undefined));
    caller.abort();
    await expect(pending).rejects.toSatisfy(
      (error) => AgenticGenError.hasCode(error, 'aborted') && error.message === '[race] the operation was aborted',
    );
    await expect(cancelled.race(Promise.resolve(1))).rejects.toSatisfy((error) =>
      AgenticGenError.hasCode(error, 'aborted'),
    );
    cancelled.dispose();
  });

  it('raceWithSignal settles with the promise, or rejects as soon as the signal aborts', async () => {
    await expect(raceWithSignal(Promise.resolve(1), new AbortController().signal, 'x')).resolves.toBe(1);
    const controller = new AbortController();
    const pending = raceWithSignal(new Promise(() => undefined), controller.signal, 'race');
    controller.abort();
    await expect(pending).rejects.toSatisfy(
      (error) => AgenticGenError.hasCode(error, 'aborted') && error.message === '[race] the operation was aborted',
    );
    await expect(raceWithSignal(Promise.resolve(1), AbortSignal.abort(), 'x')).rejects.toSatisfy((error) =>
      AgenticGenError.hasCode(error, 'aborted'),
    );
  });

  it('delay waits, and rejects early when aborted', async () => {
    await expect(delay(1)).resolves.toBeUndefined();
    const controller = new AbortController();
    const pending = delay(10_000, controller.signal, 'wait');
    controller.abort();
    await expect(pending).rejects.toSatisfy((error) => AgenticGenError.hasCode(error, 'aborted'));
    expect(() => throwIfAborted(AbortSignal.abort(), 'x')).toThrow(AgenticGenError);
    expect(() => throwIfAborted(undefined, 'x')).not.toThrow();
  });

  it('toAgenticGenError keeps AgenticGen errors and wraps anything else with scope and cause', () => {
    const ours = new AgenticGenError('timeout', '[x] slow');
    expect(toAgenticGenError(ours, 'internal', 'y')).toBe(ours);
    const wrapped = toAgenticGenError(new RangeError('bad range'), 'internal', 'scope');
    expect(wrapped.code).toBe('internal');
    expect(wrapped.message).toBe('[scope] bad range');
    expect(wrapped.cause).toBeInstanceOf(RangeError);
    expect(toAgenticGenError('text', 'internal', 's').message).toBe('[s] text');
  });

  it('abortableUntilStarted cancels queued work before it starts, never after', async () => {
    let releaseLock: () => void = () => undefined;
    const lock = new Promise<void>((resolve) => {
      releaseLock = resolve;
    });
    const ran: string[] = [];
    const refused: string[] = [];
    const queued = (name: string, signal: AbortSignal) =>
      abortableUntilStarted(signal, 'queue', async (start) => {
        await lock;
        try {
          start();
        } catch (error) {
          refused.push(name);
          throw error;
        }
        ran.push(name);
        await Promise.resolve();
        return name;
      });
    const waiting = new AbortController();
    const pending = queued('waiting', waiting.signal);
    waiting.abort();
    await expect(pending).rejects.toSatisfy((error) => AgenticGenError.hasCode(error, 'aborted'));

    const running = new AbortController();
    const started = abortableUntilStarted(running.signal, 'queue', async (start) => {
      start();
      const result = new Promise<string>((resolve) => queueMicrotask(() => resolve('finished')));
      running.abort();
      return result;
    });
    await expect(started).resolves.toBe('finished');
    releaseLock();
    await vi.waitFor(() => expect(refused).toEqual(['waiting']));
    expect(ran).toEqual([]);
    await expect(abortableUntilStarted(AbortSignal.abort(), 'queue', async () => 'x')).rejects.toSatisfy((error) =>
      AgenticGenError.hasCode(error, 'aborted'),
    );
  });
});
