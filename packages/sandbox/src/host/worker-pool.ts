import { AgenticGenError, abortErrorFrom, raceWithSignal } from '@agenticgen/core';
import type { ResolvedPool } from '../options.js';
import type { WorkerLink } from './worker-link.js';

/**
 * Prewarmed workers, each restored from the memory snapshot. A worker serves exactly one session and is
 * terminated after it: no state, file or random stream ever passes from one session to the next.
 */
export class WorkerPool {
  private readonly ready: WorkerLink[] = [];
  private starting = 0;
  private inUse = 0;
  private readonly waiting: (() => void)[] = [];
  private idleTimer: ReturnType<typeof setTimeout> | undefined;
  private closed = false;
  /** True once `idleTimeoutMs` passed without demand: workers that finish starting now are not kept. */
  private idle = false;

  constructor(
    private readonly spawn: () => WorkerLink,
    private readonly options: ResolvedPool,
  ) {}

  /** Restored workers waiting for a session. */
  get idleCount(): number {
    return this.ready.length;
  }

  /** Workers alive: ready, starting and held by sessions. */
  get size(): number {
    return this.ready.length + this.starting + this.inUse;
  }

  /** Takes a ready worker (or starts one), waiting while `max` workers are alive. */
  async acquire(signal?: AbortSignal): Promise<WorkerLink> {
    this.touch();
    for (;;) {
      if (this.closed) throw new AgenticGenError('disposed', '[sandbox] the sandbox was disposed');
      if (signal?.aborted) throw abortErrorFrom(signal, 'sandbox');
      const link = this.ready.shift();
      if (link !== undefined) {
        if (!link.alive) continue;
        this.inUse++;
        this.watch(link);
        this.refill();
        return link;
      }
      if (this.size < this.options.max) {
        const fresh = this.start();
        this.inUse++;
        this.starting--;
        try {
          await (signal === undefined ? fresh.ready : raceWithSignal(fresh.ready, signal, 'sandbox'));
        } catch (error) {
          // Nobody will use a worker whose caller gave up while it started: stop it and free its room.
          if (signal?.aborted === true) fresh.terminate();
          this.inUse--;
          this.wake();
          throw error;
        }
        this.watch(fresh);
        this.refill();
        return fresh;
      }
      await this.waitForRoom(signal);
    }
  }

  /** Ends a session's use of a worker: it is terminated, never reused. */
  release(link: WorkerLink): void {
    link.terminate();
  }

  /** Starts workers until `target` are ready or starting (never past `max`). */
  refill(target = this.options.warm): void {
    while (!this.closed && this.ready.length + this.starting < target && this.size < this.options.max) {
      const link = this.start();
      link.ready.then(
        () => {
          this.starting--;
          if (this.closed || (this.idle && this.ready.length >= this.options.min)) link.terminate();
          else {
            this.ready.push(link);
            link.onExit(() => {
              const index = this.ready.indexOf(link);
              if (index >= 0) this.ready.splice(index, 1);
            });
            this.wake();
          }
        },
        () => {
          this.starting--;
          this.wake();
        },
      );
    }
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.idleTimer);
    for (const link of this.ready.splice(0)) link.terminate();
    for (const wake of this.waiting.splice(0)) wake();
  }

  private start(): WorkerLink {
    this.starting++;
    return this.spawn();
  }

  private watch(link: WorkerLink): void {
    link.onExit(() => {
      this.inUse--;
      this.wake();
    });
  }

  private wake(): void {
    this.waiting.shift()?.();
  }

  private waitForRoom(signal?: AbortSignal): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const onAbort = () => {
        const index = this.waiting.indexOf(done);
        if (index >= 0) this.waiting.splice(index, 1);
        reject(abortErrorFrom(signal as AbortSignal, 'sandbox'));
      };
      const done = () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      };
      this.waiting.push(done);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Demand resets the idle clock; after `idleTimeoutMs` without it, ready workers shrink to `min`. */
  private touch(): void {
    clearTimeout(this.idleTimer);
    this.idle = false;
    this.idleTimer = setTimeout(() => {
      this.idle = true;
      while (this.ready.length > this.options.min) this.ready.pop()?.terminate();
    }, this.options.idleTimeoutMs);
    const timer = this.idleTimer as { unref?: () => void };
    timer.unref?.();
  }
}
