/**
 * Timeouts for many short operations with one timer. Every operation of an L2 tier has the same time limit, so
 * deadlines arrive in insertion order: a sweep expires from the front and stops at the first live one. The timer
 * stays armed while operations flow, instead of one `setTimeout` + `clearTimeout` per operation (about a
 * microsecond each, a visible share of a sub-millisecond Redis read). Pending operations form a doubly linked
 * list, so settling one is a few pointer writes (no hashing, no extra promise).
 */
export class Deadline {
  readonly at: number;
  readonly expire: () => void;
  previous: Deadline | undefined;
  next: Deadline | undefined;
  /** False once settled or expired: only the first of the two counts. */
  live = true;

  constructor(at: number, expire: () => void) {
    this.at = at;
    this.expire = expire;
  }
}

export class Deadlines {
  readonly #timeoutMs: number;
  #first: Deadline | undefined;
  #last: Deadline | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(timeoutMs: number) {
    this.#timeoutMs = timeoutMs;
  }

  /** Starts a time limit; `expire` runs once it passes unless `settle` came first. */
  start(expire: () => void): Deadline {
    const deadline = new Deadline(Date.now() + this.#timeoutMs, expire);
    const last = this.#last;
    if (last === undefined) this.#first = deadline;
    else {
      last.next = deadline;
      deadline.previous = last;
    }
    this.#last = deadline;
    if (this.#timer === undefined) this.#arm(this.#timeoutMs);
    return deadline;
  }

  /** Ends a time limit before it passed. Returns false when it had already expired (the operation lost the race). */
  settle(deadline: Deadline): boolean {
    if (!deadline.live) return false;
    this.#unlink(deadline);
    return true;
  }

  /** Settles like `promise`, or rejects with `onTimeout()` once the time limit passes. */
  bound<T>(promise: Promise<T>, onTimeout: () => unknown): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const deadline = this.start(() => reject(onTimeout()));
      promise.then(
        (value) => {
          if (this.settle(deadline)) resolve(value);
        },
        (error: unknown) => {
          if (this.settle(deadline)) reject(error);
        },
      );
    });
  }

  #unlink(deadline: Deadline): void {
    deadline.live = false;
    const { previous, next } = deadline;
    if (previous === undefined) this.#first = next;
    else previous.next = next;
    if (next === undefined) this.#last = previous;
    else next.previous = previous;
    deadline.previous = undefined;
    deadline.next = undefined;
  }

  #arm(delayMs: number): void {
    this.#timer = setTimeout(() => this.#sweep(), Math.max(1, delayMs));
    // Node: a cache with nothing in flight must not keep the process alive. Browsers return a number.
    (this.#timer as { unref?: () => void }).unref?.();
  }

  #sweep(): void {
    this.#timer = undefined;
    const now = Date.now();
    let deadline = this.#first;
    while (deadline !== undefined) {
      if (deadline.at > now) {
        this.#arm(deadline.at - now);
        return;
      }
      this.#unlink(deadline);
      deadline.expire();
      deadline = this.#first;
    }
  }
}
