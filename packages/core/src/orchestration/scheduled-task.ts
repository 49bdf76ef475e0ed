import { AgenticGenError } from '../errors/agenticgen-error.js';
import { captureCallerContext, type RunInCallerContext } from './caller-context.js';
import type { Task, TaskHandle, TaskStatus } from './task.js';

type Settle = (value: unknown) => void;

/** Internal record of one task; also its handle, so scheduling allocates one object plus the promise. */
export class ScheduledTask implements TaskHandle<unknown> {
  readonly id: string;
  readonly priority: number;
  sequence: number;
  status: TaskStatus = 'queued';
  attempts = 0;
  readonly result: Promise<unknown>;
  resolve!: Settle;
  reject!: Settle;
  controller: AbortController | undefined;
  /** The attempt's time limit, or the wait before a retry. */
  timer: ReturnType<typeof setTimeout> | undefined;
  deadlineTimer: ReturnType<typeof setTimeout> | undefined;
  detach: (() => void) | undefined;
  /** Epoch ms after which the task must not start, when it has a deadline. */
  deadlineAt: number | undefined;
  startedAt = 0;
  /** Runs each attempt in the async context of the `schedule()` call. */
  readonly inCallerContext: RunInCallerContext = captureCallerContext();
  readonly task: Task<unknown, unknown>;
  readonly #owner: { cancel(record: ScheduledTask, reason: string): boolean };

  constructor(
    task: Task<unknown, unknown>,
    id: string,
    sequence: number,
    owner: { cancel(record: ScheduledTask, reason: string): boolean },
  ) {
    this.task = task;
    this.id = id;
    this.priority = task.priority ?? 0;
    this.sequence = sequence;
    this.#owner = owner;
    this.result = new Promise((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
    // Failures are delivered through `result` and `task-fail`; an unobserved handle must not crash the process.
    this.result.catch(noop);
  }

  cancel(reason = 'cancelled'): boolean {
    return this.#owner.cancel(this, reason);
  }

  /** `{ name }` when the task has one, for event payloads. */
  get named(): { name?: string } {
    return this.task.name === undefined ? {} : { name: this.task.name };
  }

  /** The name errors use for the task. */
  get label(): string {
    return this.task.name ?? this.id;
  }
}

function noop(): void {}

/** Validates a task's deadline and returns it as epoch ms. */
export function deadlineMs(deadline: number | Date): number {
  const value = deadline instanceof Date ? deadline.getTime() : deadline;
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new AgenticGenError(
      'invalid-argument',
      '[orchestration] deadline must be an epoch millisecond number or a Date',
    );
  }
  return value;
}

export function deadlineError(record: ScheduledTask, deadline: number): AgenticGenError {
  return new AgenticGenError(
    'deadline-exceeded',
    `[orchestration] task "${record.label}" missed its deadline ${new Date(deadline).toISOString()}`,
    { data: { taskId: record.id, deadline } },
  );
}
