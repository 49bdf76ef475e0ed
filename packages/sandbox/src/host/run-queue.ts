import { AgenticGenError, abortErrorFrom } from '@agenticgen/core';

/** What several queues share: the operations waiting across all sessions of one owner. */
export interface WaitingBudget {
  /** Operations waiting now (not yet started) in every queue that shares this budget. */
  waiting: number;
  /** Most operations that may wait at once. */
  readonly limit: number;
  /** Names the budget in the `busy` error, e.g. `owner "tenant-a"`. */
  readonly label: string;
}

/**
 * One session's operations, run one at a time in order. A bounded number may wait behind the one in progress
 * (per session, and per owner through a shared budget): more are refused at once with `busy`, so one caller
 * cannot pile up work. A waiting operation whose signal aborts leaves the queue immediately.
 */
export class RunQueue {
  private active = false;
  private readonly waiting: { start(): void }[] = [];
  private readonly idleWaiters: (() => void)[] = [];

  constructor(
    private readonly limit: number,
    private readonly label: string,
    private readonly owner?: WaitingBudget,
  ) {}

  enqueue<T>(task: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    if (signal?.aborted) return Promise.reject(abortErrorFrom(signal, 'sandbox'));
    if (!this.active) return this.runNow(task);
    for (const [waiting, limit, label, option] of [
      [this.waiting.length, this.limit, this.label, 'fairness.maxQueuedPerSession'],
      [
        this.owner?.waiting ?? 0,
        this.owner?.limit ?? Number.POSITIVE_INFINITY,
        this.owner?.label,
        'fairness.maxQueuedPerOwner',
      ],
    ] as const) {
      if (waiting >= limit) {
        return Promise.reject(
          new AgenticGenError(
            'busy',
            `[sandbox] ${label} already has ${waiting} operations waiting (${option} is ${limit}); retry when one finished`,
            { retryable: true, data: { limit, option } },
          ),
        );
      }
    }
    return new Promise<T>((resolve, reject) => {
      const leave = () => {
        const index = this.waiting.indexOf(entry);
        if (index < 0) return false;
        this.waiting.splice(index, 1);
        if (this.owner !== undefined) this.owner.waiting--;
        signal?.removeEventListener('abort', onAbort);
        return true;
      };
      const onAbort = () => {
        if (leave()) reject(abortErrorFrom(signal as AbortSignal, 'sandbox'));
      };
      const entry = {
        start: () => {
          leave();
          this.runNow(task).then(resolve, reject);
        },
      };
      this.waiting.push(entry);
      if (this.owner !== undefined) this.owner.waiting++;
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Resolves once nothing runs or waits. */
  drained(): Promise<void> {
    if (!this.active && this.waiting.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private runNow<T>(task: () => Promise<T>): Promise<T> {
    this.active = true;
    const result = (async () => task())();
    const next = () => {
      this.active = false;
      const following = this.waiting[0];
      if (following !== undefined) following.start();
      else for (const wake of this.idleWaiters.splice(0)) wake();
    };
    result.then(next, next);
    return result;
  }
}
