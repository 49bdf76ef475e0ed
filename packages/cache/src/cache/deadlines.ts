/**
 * Timeouts for many short operations with one timer. Every operation of an L2 tier has the same time limit, so
 * deadlines arrive in insertion order: a sweep rejects from the front and stops at the first live one. The timer
 * stays armed while operations flow, instead of one `setTimeout` + `clearTimeout` per operation (about a
 * microsecond each, a visible share of a sub-millisecond Redis read).
 */
interface Pending {
  deadline: number;
  expire: () => void;
}

export class Deadlines {
  readonly #timeoutMs: number;
  readonly #pending = new Set<Pending>();
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(timeoutMs: number) {
    this.#timeoutMs = timeoutMs;
  }

  /** Settles like `promise`, or calls `onTimeout()` for the rejection reason once the time limit passes. */
  bound<T>(promise: Promise<T>, onTimeout: () => unknown): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const pending: Pending = { deadline: Date.now() + this.#timeoutMs, expire: () => reject(onTimeout()) };
      this.#pending.add(pending);
      if (this.#timer === undefined) this.#arm(this.#timeoutMs);
      promise.then(
        (value) => {
          this.#pending.delete(pending);
          resolve(value);
        },
        (error: unknown) => {
          this.#pending.delete(pending);
          reject(error);
        },
      );
    });
  }

  #arm(delayMs: number): void {
    this.#timer = setTimeout(() => this.#sweep(), Math.max(1, delayMs));
    // Node: a cache with nothing in flight must not keep the process alive. Browsers return a number.
    (this.#timer as { unref?: () => void }).unref?.();
  }

  #sweep(): void {
    this.#timer = undefined;
    const now = Date.now();
    for (const pending of this.#pending) {
      if (pending.deadline > now) {
        this.#arm(pending.deadline - now);
        return;
      }
      this.#pending.delete(pending);
      pending.expire();
    }
  }
}
