import { AgenticGenError } from '../errors/agenticgen-error.js';
import { createEventBus } from '../events/event-bus.js';
import { GroupParking } from './group-parking.js';
import { PriorityQueue } from './priority-queue.js';
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

import { backoffDelay, maxRetriesOf, type Task, type TaskContext, type TaskHandle } from './task.js';
import { armAttemptTimeout, armDeadline, armRetry, clearAttemptTimer, clearTaskTimers } from './task-timers.js';

/** The scheduler implementation; see `createScheduler`. */
class SchedulerCore implements Scheduler {
  readonly events = createEventBus<SchedulerEvents>();
  readonly #queue = new PriorityQueue<ScheduledTask>();
  readonly #groups: GroupParking;
  readonly #spaceWaiters: Array<() => void> = [];
  #idleWaiters: Array<() => void> = [];
  readonly #concurrency: number;
  readonly #maxQueueSize: number;
  readonly #options: SchedulerOptions;
  #waiting = 0;
  #running = 0;
  #sequence = 0;
  #completed = 0;
  #failed = 0;
  #cancelled = 0;
  #paused: boolean;
  #disposed = false;

  constructor(options: SchedulerOptions) {
    this.#options = options;
    this.#concurrency = options.concurrency ?? 8;
    this.#groups = new GroupParking(options.groupConcurrency);
    this.#maxQueueSize = options.maxQueueSize ?? Number.POSITIVE_INFINITY;
    this.#paused = options.paused ?? false;
    if (!(Number.isInteger(this.#concurrency) && this.#concurrency >= 1)) {
      throw new AgenticGenError(
        'invalid-argument',
        `[orchestration] concurrency must be an integer >= 1, got ${this.#concurrency}`,
      );
    }
    if (!(this.#maxQueueSize >= 0)) {
      throw new AgenticGenError(
        'invalid-argument',
        `[orchestration] maxQueueSize must be >= 0, got ${options.maxQueueSize}`,
      );
    }
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
    if (this.#disposed)
      throw new AgenticGenError('disposed', '[orchestration] the scheduler was disposed; create a new one');
    if (typeof task?.run !== 'function') {
      throw new AgenticGenError('invalid-argument', '[orchestration] a task needs a run(input, context) function');
    }
    if (this.#waiting >= this.#maxQueueSize) {
      throw new AgenticGenError(
        'queue-full',
        `[orchestration] the queue is full (${this.#maxQueueSize} waiting tasks); retry later, use scheduleWhenSpace() to wait, or raise maxQueueSize`,
        { retryable: true, data: { maxQueueSize: this.#maxQueueSize } },
      );
    }
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
      await new Promise<void>((resolve, reject) => {
        const wake = () => {
          options.signal?.removeEventListener('abort', onAbort);
          resolve();
        };
        const onAbort = () => {
          const index = this.#spaceWaiters.indexOf(wake);
          if (index !== -1) this.#spaceWaiters.splice(index, 1);
          reject(
            new AgenticGenError('aborted', '[orchestration] stopped waiting for queue space', {
              cause: options.signal?.reason,
            }),
          );
        };
        if (options.signal?.aborted) return onAbort();
        options.signal?.addEventListener('abort', onAbort, { once: true });
        this.#spaceWaiters.push(wake);
      });
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
      this.#start(record);
    }
    if (this.#waiting === 0 && this.#running === 0) this.#notifyIdle();
  }

  #start(record: ScheduledTask): void {
    this.#leaveWaiting();
    this.#running++;
    const group = record.task.group;
    if (group !== undefined) this.#groups.started(group);
    record.status = 'running';
    record.attempts++;
    record.startedAt = performance.now();
    this.#live.add(record);
    const attempt = record.attempts;
    const timeoutMs = record.task.timeoutMs ?? this.#options.timeoutMs;
    if (timeoutMs !== undefined) {
      armAttemptTimeout(record, timeoutMs, (error) => this.#attemptFailed(record, attempt, error));
    }
    if (this.events.hasListeners('task-start')) {
      this.events.emit('task-start', { taskId: record.id, ...record.named, attempt, running: this.#running });
    }
    const context = this.#contextFor(record, attempt);
    let outcome: unknown;
    try {
      outcome = record.inCallerContext(() => record.task.run(record.task.input, context));
    } catch (error) {
      this.#attemptFailed(record, attempt, error);
      return;
    }
    if (outcome !== null && typeof outcome === 'object' && typeof (outcome as Promise<unknown>).then === 'function') {
      (outcome as Promise<unknown>).then(
        (value) => this.#attemptSucceeded(record, attempt, value),
        (error: unknown) => this.#attemptFailed(record, attempt, error),
      );
    } else {
      // Settle asynchronously like a promise would, so run() callers never see re-entrancy.
      queueMicrotask(() => this.#attemptSucceeded(record, attempt, outcome));
    }
  }

  #contextFor(record: ScheduledTask, attempt: number): TaskContext {
    const core = this;
    return {
      taskId: record.id,
      attempt,
      // Created on first use: most tasks never look at their signal, and an AbortController is not free.
      get signal() {
        record.controller ??= new AbortController();
        return record.controller.signal;
      },
      progress(fraction, message) {
        if (record.status !== 'running' || record.attempts !== attempt) return;
        if (core.events.hasListeners('task-progress')) {
          const payload: SchedulerEvents['task-progress'] = {
            taskId: record.id,
            ...record.named,
            fraction: Math.min(1, Math.max(0, fraction)),
          };
          if (message !== undefined) payload.message = message;
          core.events.emit('task-progress', payload);
        }
      },
    };
  }

  #attemptSucceeded(record: ScheduledTask, attempt: number, value: unknown): void {
    if (record.status !== 'running' || record.attempts !== attempt) return;
    clearTaskTimers(record);
    record.status = 'completed';
    this.#completed++;
    this.#live.delete(record);
    this.#release(record);
    record.resolve(value);
    if (this.events.hasListeners('task-complete')) {
      this.events.emit('task-complete', {
        taskId: record.id,
        ...record.named,
        attempts: record.attempts,
        durationMs: performance.now() - record.startedAt,
      });
    }
    this.#pump();
  }

  #attemptFailed(record: ScheduledTask, attempt: number, thrown: unknown): void {
    if (record.status !== 'running' || record.attempts !== attempt) return;
    clearAttemptTimer(record);
    const error = AgenticGenError.isInstance(thrown)
      ? thrown
      : new AgenticGenError(
          'task-failed',
          `[orchestration] task "${record.label}" failed: ${thrown instanceof Error ? thrown.message : String(thrown)}`,
          {
            cause: thrown,
            retryable: true,
            data: { taskId: record.id },
          },
        );
    // The attempt is over: make sure work that still runs sees its signal abort.
    record.controller?.abort(error);
    record.controller = undefined;
    this.#release(record);
    const retries = maxRetriesOf(record.task) ?? maxRetriesOf(this.#options) ?? 0;
    const retryOn =
      record.task.retryOn ?? ((candidate: unknown) => !AgenticGenError.isInstance(candidate) || candidate.retryable);
    if (attempt <= retries && error.code !== 'deadline-exceeded' && retryOn(thrown, attempt)) {
      const delayMs = backoffDelay(attempt, record.task.backoff ?? this.#options.backoff);
      record.status = 'retrying';
      this.#waiting++;
      if (this.events.hasListeners('task-retry')) {
        this.events.emit('task-retry', {
          taskId: record.id,
          ...record.named,
          attempt,
          delayMs,
          errorCode: error.code,
        });
      }
      armRetry(record, delayMs, () => {
        record.status = 'queued';
        record.sequence = ++this.#sequence;
        this.#queue.push(record);
        this.#pump();
      });
      this.#pump();
      return;
    }
    this.#fail(record, error);
    this.#pump();
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
        const failed = dependencies.find((dependency) => dependency.status !== 'completed');
        this.#failWaiting(
          record,
          new AgenticGenError(
            'dependency-failed',
            `[orchestration] task "${record.label}" did not run: its dependency "${failed?.id ?? '?'}" ${failed?.status ?? 'failed'}`,
            { cause, data: { taskId: record.id, dependency: failed?.id } },
          ),
        );
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
    if (record.status === 'running') this.#attemptFailed(record, record.attempts, failure);
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
