import { AgenticGenError } from '@agenticgen/core';

interface Waiting {
  start: () => void;
  fail: (error: unknown) => void;
}

/**
 * Runs tasks at most `concurrency` at a time, taking them in turn from each key's FIFO (round robin), so a
 * token with fifty queued sandbox runs delays another token's one run by at most one run per worker, not by
 * fifty. Each key may have `maxQueuedPerKey` tasks waiting; beyond that a task is refused with `queue-full`.
 */
export class FairQueue {
  readonly #queues = new Map<string, Waiting[]>();
  readonly #concurrency: number;
  readonly #maxQueuedPerKey: number;
  #running = 0;
  /** The key whose task started last: it goes behind the others at the next pick. */
  #lastServed: string | undefined;

  constructor(options: { concurrency: number; maxQueuedPerKey: number }) {
    this.#concurrency = options.concurrency;
    this.#maxQueuedPerKey = options.maxQueuedPerKey;
  }

  get running(): number {
    return this.#running;
  }

  queued(key?: string): number {
    if (key !== undefined) return this.#queues.get(key)?.length ?? 0;
    let total = 0;
    for (const queue of this.#queues.values()) total += queue.length;
    return total;
  }

  run<T>(key: string, task: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    if (this.#running < this.#concurrency && this.queued() === 0) {
      this.#lastServed = key;
      return this.#execute(task);
    }
    const queue = this.#queues.get(key) ?? [];
    if (queue.length >= this.#maxQueuedPerKey) {
      return Promise.reject(
        new AgenticGenError(
          'queue-full',
          `[server] ${this.#maxQueuedPerKey} sandbox runs of this token are already waiting; retry when one has finished`,
          { retryable: true },
        ),
      );
    }
    return new Promise<T>((resolve, reject) => {
      const waiting: Waiting = {
        start: () => {
          signal?.removeEventListener('abort', onAbort);
          this.#execute(task).then(resolve, reject);
        },
        fail: reject,
      };
      const onAbort = () => {
        const current = this.#queues.get(key);
        const index = current?.indexOf(waiting) ?? -1;
        if (current !== undefined && index >= 0) {
          current.splice(index, 1);
          if (current.length === 0) this.#queues.delete(key);
        }
        reject(signal?.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      queue.push(waiting);
      this.#queues.set(key, queue);
    });
  }

  async #execute<T>(task: () => Promise<T>): Promise<T> {
    this.#running++;
    try {
      return await task();
    } finally {
      this.#running--;
      this.#next();
    }
  }

  /**
   * Starts the head of the first key's queue and moves that key to the back: round robin over keys. The key
   * served last (perhaps straight away, before anything queued) goes behind the others first.
   */
  #next(): void {
    if (this.#running >= this.#concurrency || this.#queues.size === 0) return;
    const last = this.#lastServed === undefined ? undefined : this.#queues.get(this.#lastServed);
    if (last !== undefined && this.#queues.size > 1) {
      this.#queues.delete(this.#lastServed as string);
      this.#queues.set(this.#lastServed as string, last);
    }
    const [key, queue] = this.#queues.entries().next().value as [string, Waiting[]];
    const waiting = queue.shift() as Waiting;
    this.#queues.delete(key);
    if (queue.length > 0) this.#queues.set(key, queue);
    this.#lastServed = key;
    waiting.start();
  }
}
