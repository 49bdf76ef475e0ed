import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Deadlines } from './deadlines.js';

describe('Deadlines (one timer for all L2 time limits)', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('expires exactly the operations still running at their limit, whatever order others settle in', () => {
    const deadlines = new Deadlines(100);
    const expired: number[] = [];
    const started = [0, 1, 2, 3, 4].map((id) => deadlines.start(() => expired.push(id)));
    vi.advanceTimersByTime(40);
    const late = deadlines.start(() => expired.push(5));
    // Settle the middle, the first and the last of the first batch: list links must stay intact.
    expect(deadlines.settle(started[2] as never)).toBe(true);
    expect(deadlines.settle(started[0] as never)).toBe(true);
    expect(deadlines.settle(started[4] as never)).toBe(true);
    vi.advanceTimersByTime(59);
    expect(expired).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(expired).toEqual([1, 3]);
    expect(deadlines.settle(started[1] as never)).toBe(false); // lost the race: its result must be ignored
    vi.advanceTimersByTime(40);
    expect(expired).toEqual([1, 3, 5]);
    expect(deadlines.settle(late)).toBe(false);
    expect(deadlines.settle(started[2] as never)).toBe(false); // settling twice is harmless
  });

  it('keeps working after the list empties, and bound() rejects only slow promises', async () => {
    const deadlines = new Deadlines(50);
    await expect(deadlines.bound(Promise.resolve('fast'), () => new Error('slow'))).resolves.toBe('fast');
    await expect(deadlines.bound(Promise.reject(new Error('failed')), () => new Error('slow'))).rejects.toThrow(
      'failed',
    );
    const hung = deadlines.bound(new Promise<never>(() => undefined), () => new Error('too slow'));
    const outcome = hung.catch((error: Error) => error.message);
    vi.advanceTimersByTime(50);
    expect(await outcome).toBe('too slow');
    let settleLater: (value: string) => void = () => undefined;
    const late = deadlines.bound(
      new Promise<string>((resolve) => {
        settleLater = resolve;
      }),
      () => new Error('too slow again'),
    );
    const lateOutcome = late.catch((error: Error) => error.message);
    vi.advanceTimersByTime(60);
    settleLater('too late'); // arrives after the limit: the caller already got the timeout
    expect(await lateOutcome).toBe('too slow again');
  });
});
