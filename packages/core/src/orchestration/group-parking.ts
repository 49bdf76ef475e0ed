import { PriorityQueue } from './priority-queue.js';
import type { ScheduledTask } from './scheduled-task.js';
import type { SchedulerOptions } from './scheduler-types.js';

/**
 * Per-group concurrency: how many tasks of each group run, and the tasks parked because their group was full
 * (in priority order), so a full group never blocks the tasks of other groups queued behind it.
 */
export class GroupParking {
  readonly #limit: SchedulerOptions['groupConcurrency'];
  readonly #running = new Map<string, number>();
  readonly #parked = new Map<string, PriorityQueue<ScheduledTask>>();

  constructor(limit: SchedulerOptions['groupConcurrency']) {
    this.#limit = limit;
  }

  isFull(group: string): boolean {
    const limit = typeof this.#limit === 'number' ? this.#limit : this.#limit?.[group];
    return limit !== undefined && (this.#running.get(group) ?? 0) >= limit;
  }

  park(group: string, record: ScheduledTask): void {
    let parked = this.#parked.get(group);
    if (parked === undefined) {
      parked = new PriorityQueue();
      this.#parked.set(group, parked);
    }
    parked.push(record);
  }

  started(group: string): void {
    this.#running.set(group, (this.#running.get(group) ?? 0) + 1);
  }

  /** A task of `group` stopped running: returns its best parked (still queued) task, which may now run. */
  released(group: string): ScheduledTask | undefined {
    const count = (this.#running.get(group) ?? 1) - 1;
    if (count === 0) this.#running.delete(group);
    else this.#running.set(group, count);
    const parked = this.#parked.get(group);
    if (parked === undefined) return undefined;
    let next = parked.pop();
    while (next !== undefined && next.status !== 'queued') next = parked.pop();
    if (parked.size === 0) this.#parked.delete(group);
    return next;
  }

  /** Removes and returns every parked task. */
  drain(): ScheduledTask[] {
    return [...this.#parked.values()].flatMap((queue) => queue.drain());
  }
}
