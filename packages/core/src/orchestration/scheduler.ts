import { AgenticGenError } from '../errors/agenticgen-error.js';
import { createEventBus } from '../events/event-bus.js';
import { GroupParking } from './group-parking.js';
import { PriorityQueue } from './priority-queue.js';
import { assertAdmissible, assertSchedulerLimits, dependencyFailure, waitForQueueSpace } from './queue-admission.js';
import { deadlineError, deadlineMs, ScheduledTask } from './scheduled-task.js';
import type { Scheduler, SchedulerEvents, SchedulerOptions, SchedulerStats } from './scheduler-types.js';

export type {
  OrchestrationErrorCode,
  Scheduler,
  SchedulerEvents,
  SchedulerOptions,
  SchedulerStats,
  TaskEventBase,
} from './scheduler-types.js';

import type { Task, TaskHandle } from './task.js';
import { type AttemptHost, attemptFailed, startAttempt } from './task-attempts.js';
import { armDeadline, clearTaskTimers } from './task-timers.js';

/** The scheduler implementation; see `createScheduler`. */
class SchedulerCore implements Scheduler {
  readonly events = createEventBus<SchedulerEvents>();
  readonly #queue = new PriorityQueue<ScheduledTask>();
  readonly #groups: GroupParking;
  readonly #spaceWaiters: Array<() => void> = [];
  #idleWaiters: Array<() => void> = [];
  readonly #concurrency: number;
  readonly #maxQueueSize: number;
  #waiting = 0;
  #running = 0;
  #sequence = 0;
  #completed = 0;
  #failed = 0;
  #cancelled = 0;
  #paused: boolean;
  #disposed = false;
  /** What task-attempts.ts may do to the queue and counters while it runs an attempt. */
  readonly #host: AttemptHost;

  constructor(options: SchedulerOptions) {
    this.#concurrency = options.concurrency ?? 8;
    this.#groups = new GroupParking(options.groupConcurrency);
    this.#maxQueueSize = options.maxQueueSize ?? Number.POSITIVE_INFINITY;
    this.#paused = options.paused ?? false;
    this.#host = {
      events: this.events,
      options,
      begin: (record) => {
        this.#leaveWaiting();
        this.#running++;
        const group = record.task.group;
        if (group !== undefined) this.#groups.started(group);
        this.#live.add(record);
        return this.#running;
      },
      release: (record) => this.#release(record),
      completed: (record) => {
        this.#completed++;
        this.#live.delete(record);
      },
      awaitRetry: () => {
        this.#waiting++;
      },
      requeue: (record) => {
        record.sequence = ++this.#sequence;
        this.#queue.push(record);
      },
      fail: (record, error) => this.#fail(record, error),
      pump: () => this.#pump(),
    };
    assertSchedulerLimits(this.#concurrency, this.#maxQueueSize, options.maxQueueSize);
  }

  get stats(): SchedulerStats {
    return {
      queued: this.#waiting,
      running: this.#running,
      completed: this.#completed,
      failed: this.#failed,
      cancelled: this.#cancelled,
    };
  }

  schedule<I, R>(task: Task<I, R>): TaskHandle<R> {
    assertAdmissible(task as Task<unknown, unknown>, this.#disposed, this.#waiting, this.#maxQueueSize);
    const deadlineAt = task.deadline === undefined ? undefined : deadlineMs(task.deadline);
    const sequence = ++this.#sequence;
    const record = new ScheduledTask(task as Task<unknown, unknown>, task.id ?? `task-${sequence}`, sequence, this);
    record.deadlineAt = deadlineAt;
    this.#waiting++;
    if (task.signal !== undefined) {
      if (task.signal.aborted) {
        this.cancel(record, 'the task signal was already aborted');
        return record as TaskHandle<R>;
      }
      const onAbort = () => this.cancel(record, 'the task signal aborted');
      task.signal.addEventListener('abort', onAbort, { once: true });
      // Detached when the task ends: one long-lived signal shared by many tasks must not collect listeners.
      record.detach = () => task.signal?.removeEventListener('abort', onAbort);
    }
    if (deadlineAt !== undefined) {
      // A deadline already behind us: the task never starts (a zero-delay timer would lose to #pump below).
      if (Date.now() >= deadlineAt) {
        this.#failWaiting(record, deadlineError(record, deadlineAt));
        return record as TaskHandle<R>;
      }
      armDeadline(record, () => this.#deadlinePassed(record));
    }
    if (task.dependsOn !== undefined && task.dependsOn.length > 0) this.#afterDependencies(record, task.dependsOn);
    else this.#queue.push(record);
    if (this.events.hasListeners('task-queue')) {
      this.events.emit('task-queue', {
        taskId: record.id,
        ...record.named,
        priority: record.priority,
        queued: this.#waiting,
      });
    }
    this.#pump();
    return record as TaskHandle<R>;
  }

  async scheduleWhenSpace<I, R>(task: Task<I, R>, options: { signal?: AbortSignal } = {}): Promise<TaskHandle<R>> {
    while (this.#waiting >= this.#maxQueueSize && !this.#disposed) {
      await waitForQueueSpace(this.#spaceWaiters, options.signal);
    }
    return this.schedule(task);
  }

  run<I, R>(task: Task<I, R>): Promise<R> {
    return this.schedule(task).result;
  }

  onIdle(): Promise<void> {
    if (this.#waiting === 0 && this.#running === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  pause(): void {
    this.#paused = true;
  }

  resume(): void {
    this.#paused = false;
    this.#pump();
  }

  cancelAll(reason = 'cancelAll() was called'): void {
    const everything = [...this.#queue.drain(), ...this.#groups.drain()];
    // Drained records that were already cancelled are skipped by cancel() itself.
    for (const record of everything) this.cancel(record, reason);
    for (const record of this.#live) this.cancel(record, reason);
  }

  dispose(): Promise<void> {
    if (!this.#disposed) {
      this.#disposed = true;
      this.cancelAll('the scheduler was disposed');
      for (const wake of this.#spaceWaiters.splice(0)) wake();
    }
    return Promise.resolve();
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.dispose();
  }

  /** Running and retrying tasks, for cancelAll. */
  readonly #live = new Set<ScheduledTask>();

  cancel(record: ScheduledTask, reason: string): boolean {
    if (record.status === 'completed' || record.status === 'failed' || record.status === 'cancelled') return false;
    const wasRunning = record.status === 'running';
    if (!wasRunning) this.#leaveWaiting();
    // Queued records stay in the heap and are skipped when popped: removal from a heap is O(n).
    record.status = 'cancelled';
    this.#cancelled++;
    const error = new AgenticGenError('aborted', `[orchestration] task "${record.label}" was cancelled: ${reason}`, {
      data: { taskId: record.id, reason },
    });
    clearTaskTimers(record);
    record.controller?.abort(error);
    this.#live.delete(record);
    if (wasRunning) this.#release(record);
    record.reject(error);
    if (this.events.hasListeners('task-cancel'))
      this.events.emit('task-cancel', { taskId: record.id, ...record.named, reason });
    this.#pump();
    return true;
  }

  #pump(): void {
    while (!this.#paused && this.#running < this.#concurrency) {
      const record = this.#queue.pop();
      if (record === undefined) break;
      if (record.status !== 'queued') continue;
      // The deadline timer may not have fired yet (a busy event loop): the clock decides, not the timer.
      if (record.deadlineAt !== undefined && Date.now() >= record.deadlineAt) {
        this.#failWaiting(record, deadlineError(record, record.deadlineAt), false);
        continue;
      }
      const group = record.task.group;
      if (group !== undefined && this.#groups.isFull(group)) {
        this.#groups.park(group, record);
        continue;
      }
      startAttempt(this.#host, record);
    }
    if (this.#waiting === 0 && this.#running === 0) this.#notifyIdle();
  }

  /** Keeps the task waiting (and counted as queued) until every dependency completed; a failed one fails it. */
  #afterDependencies(record: ScheduledTask, dependencies: readonly TaskHandle<unknown>[]): void {
    Promise.all(dependencies.map((dependency) => dependency.result)).then(
      () => {
        if (record.status !== 'queued') return;
        this.#queue.push(record);
        this.#pump();
      },
      (cause: unknown) => {
        if (record.status !== 'queued') return;
        this.#failWaiting(record, dependencyFailure(record, dependencies, cause));
      },
    );
  }

  /** Fails a task that is queued or waiting for a retry, without running it (`pump: false` inside #pump). */
  #failWaiting(record: ScheduledTask, failure: AgenticGenError, pump = true): void {
    this.#leaveWaiting();
    this.#fail(record, failure);
    if (pump) this.#pump();
  }

  /** Ends a task for good with `error`: its timers go, its handle rejects, `task-fail` is emitted. */
  #fail(record: ScheduledTask, error: AgenticGenError): void {
    clearTaskTimers(record);
    record.status = 'failed';
    this.#failed++;
    this.#live.delete(record);
    record.reject(error);
    if (this.events.hasListeners('task-fail')) {
      this.events.emit('task-fail', {
        taskId: record.id,
        ...record.named,
        attempts: record.attempts,
        errorCode: error.code,
        error,
      });
    }
  }

  /** The deadline timer fired: a running attempt fails with it, a waiting task never starts. */
  #deadlinePassed(record: ScheduledTask): void {
    const failure = deadlineError(record, record.deadlineAt as number);
    if (record.status === 'running') attemptFailed(this.#host, record, record.attempts, failure);
    else if (record.status === 'queued' || record.status === 'retrying') this.#failWaiting(record, failure);
  }

  #leaveWaiting(): void {
    this.#waiting--;
    const wake = this.#spaceWaiters.shift();
    if (wake !== undefined) wake();
  }

  #release(record: ScheduledTask): void {
    this.#running--;
    const group = record.task.group;
    if (group === undefined) return;
    // A slot of this group opened: its best parked task goes back to the main queue.
    const next = this.#groups.released(group);
    if (next !== undefined) this.#queue.push(next);
  }

  #notifyIdle(): void {
    if (this.#idleWaiters.length === 0 && !this.events.hasListeners('idle')) return;
    const waiters = this.#idleWaiters;
    this.#idleWaiters = [];
    for (const resolve of waiters) resolve();
    if (this.events.hasListeners('idle')) {
      this.events.emit('idle', { completed: this.#completed, failed: this.#failed, cancelled: this.#cancelled });
    }
  }
}

/**
 * Creates an in-process task scheduler: a priority queue with global and per-group concurrency limits,
 * retries with exponential backoff, per-attempt timeouts, deadlines, cancellation, a bounded queue and events.
 */
export function createScheduler(options: SchedulerOptions = {}): Scheduler {
  return new SchedulerCore(options);
}
