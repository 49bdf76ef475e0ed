import { abortErrorFrom } from '@agenticgen/core';

/** Time source of the limiters; inject a fake one to test without waiting. */
export interface LimiterClock {
  /** Milliseconds, monotonic enough for rate limiting. */
  now(): number;
  /** Resolves after `ms`, rejects when `signal` aborts. */
  sleep(ms: number, signal: AbortSignal | undefined): Promise<void>;
}

/** At most `limit` holders at once; waiters are served first come, first served. */
export class Semaphore {
  private active = 0;
  private readonly waiters: Array<{
    resolve: () => void;
    reject: (error: unknown) => void;
    signal?: AbortSignal | undefined;
    onAbort: () => void;
  }> = [];

  constructor(readonly limit: number) {}

  /** Requests currently holding a slot. */
  get inUse(): number {
    return this.active;
  }

  /** Requests waiting for a slot. */
  get queued(): number {
    return this.waiters.length;
  }

  async acquire(signal: AbortSignal | undefined, scope: string): Promise<() => void> {
    if (signal?.aborted) throw abortErrorFrom(signal, scope);
    if (this.active < this.limit) {
      this.active++;
      return this.releaser();
    }
    await new Promise<void>((resolve, reject) => {
      const waiter = {
        resolve,
        reject,
        signal,
        onAbort: () => {
          const index = this.waiters.indexOf(waiter);
          if (index >= 0) this.waiters.splice(index, 1);
          reject(abortErrorFrom(signal as AbortSignal, scope));
        },
      };
      signal?.addEventListener('abort', waiter.onAbort, { once: true });
      this.waiters.push(waiter);
    });
    return this.releaser();
  }

  private releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiters.shift();
      if (next === undefined) {
        this.active--;
        return;
      }
      // The slot passes straight to the next waiter, so `active` stays the same.
      next.signal?.removeEventListener('abort', next.onAbort);
      next.resolve();
    };
  }
}

/**
 * A token bucket refilled continuously at `perMinute / 60 000` per millisecond, holding at most
 * `perMinute`. The balance may go negative when an estimate proves too low; later takers then wait.
 */
export class TokenBucket {
  private balance: number;
  private updatedAt: number;

  constructor(
    readonly perMinute: number,
    private readonly clock: LimiterClock,
  ) {
    this.balance = perMinute;
    this.updatedAt = clock.now();
  }

  /** The amount available now. */
  available(): number {
    this.refill();
    return this.balance;
  }

  /** Waits until `amount` (capped at the capacity) is available, then takes it. Returns the wait in ms. */
  async take(amount: number, signal: AbortSignal | undefined): Promise<number> {
    const wanted = Math.min(amount, this.perMinute);
    let waited = 0;
    for (;;) {
      this.refill();
      if (this.balance >= wanted) {
        this.balance -= wanted;
        return waited;
      }
      const wait = Math.ceil(((wanted - this.balance) * 60_000) / this.perMinute);
      await this.clock.sleep(wait, signal);
      waited += wait;
    }
  }

  /** Corrects the balance once the real amount is known (positive `delta` takes more, negative gives back). */
  adjust(delta: number): void {
    this.refill();
    this.balance = Math.min(this.perMinute, this.balance - delta);
  }

  private refill(): void {
    const now = this.clock.now();
    const elapsed = Math.max(0, now - this.updatedAt);
    this.updatedAt = now;
    this.balance = Math.min(this.perMinute, this.balance + (elapsed * this.perMinute) / 60_000);
  }
}
