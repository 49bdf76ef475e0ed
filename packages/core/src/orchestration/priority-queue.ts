/** Items ordered by priority (higher first), then by sequence (lower first: FIFO among equals). */
export interface Prioritized {
  priority: number;
  sequence: number;
}

const before = (a: Prioritized, b: Prioritized) =>
  a.priority > b.priority || (a.priority === b.priority && a.sequence < b.sequence);

/** A binary max-heap: O(log n) push and pop, no per-item allocation beyond the array slot. */
export class PriorityQueue<T extends Prioritized> {
  readonly #items: T[] = [];

  get size(): number {
    return this.#items.length;
  }

  peek(): T | undefined {
    return this.#items[0];
  }

  push(item: T): void {
    const items = this.#items;
    let index = items.length;
    items.push(item);
    while (index > 0) {
      const parent = (index - 1) >> 1;
      const above = items[parent] as T;
      if (!before(item, above)) break;
      items[index] = above;
      index = parent;
    }
    items[index] = item;
  }

  pop(): T | undefined {
    const items = this.#items;
    const top = items[0];
    const last = items.pop();
    if (top === undefined || last === undefined || items.length === 0) return top;
    let index = 0;
    const length = items.length;
    for (;;) {
      const left = 2 * index + 1;
      if (left >= length) break;
      const right = left + 1;
      let child = left;
      if (right < length && before(items[right] as T, items[left] as T)) child = right;
      const candidate = items[child] as T;
      if (!before(candidate, last)) break;
      items[index] = candidate;
      index = child;
    }
    items[index] = last;
    return top;
  }

  /** Removes every item, returning them (order unspecified). */
  drain(): T[] {
    return this.#items.splice(0);
  }
}
