/** A binary heap of (item, score) on typed arrays; `max` puts the highest score on top. Reused across calls. */
export class ScoreHeap {
  readonly max: boolean;
  #scores = new Float64Array(64);
  #items = new Int32Array(64);
  size = 0;

  constructor(max: boolean) {
    this.max = max;
  }

  clear(): void {
    this.size = 0;
  }

  get topScore(): number {
    return this.#scores[0]!;
  }

  get topItem(): number {
    return this.#items[0]!;
  }

  #before(a: number, b: number): boolean {
    return this.max ? a > b : a < b;
  }

  push(item: number, score: number): void {
    if (this.size === this.#scores.length) {
      const scores = new Float64Array(this.size * 2);
      scores.set(this.#scores);
      const items = new Int32Array(this.size * 2);
      items.set(this.#items);
      this.#scores = scores;
      this.#items = items;
    }
    const scores = this.#scores;
    const items = this.#items;
    let index = this.size++;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      if (!this.#before(score, scores[parent]!)) break;
      scores[index] = scores[parent]!;
      items[index] = items[parent]!;
      index = parent;
    }
    scores[index] = score;
    items[index] = item;
  }

  /** Removes the top; returns its item. */
  pop(): number {
    const scores = this.#scores;
    const items = this.#items;
    const top = items[0]!;
    const size = --this.size;
    if (size === 0) return top;
    const score = scores[size]!;
    const item = items[size]!;
    let index = 0;
    for (;;) {
      const left = 2 * index + 1;
      if (left >= size) break;
      const right = left + 1;
      const child = right < size && this.#before(scores[right]!, scores[left]!) ? right : left;
      if (!this.#before(scores[child]!, score)) break;
      scores[index] = scores[child]!;
      items[index] = items[child]!;
      index = child;
    }
    scores[index] = score;
    items[index] = item;
    return top;
  }

  /** Empties the heap into arrays, best (highest score) first. */
  drainDescending(): { items: number[]; scores: number[] } {
    const size = this.size;
    const items = new Array<number>(size);
    const scores = new Array<number>(size);
    // A min-heap pops worst first, a max-heap best first: fill from the matching end.
    for (let i = 0; i < size; i++) {
      const at = this.max ? i : size - 1 - i;
      scores[at] = this.#scores[0]!;
      items[at] = this.pop();
    }
    return { items, scores };
  }
}

/**
 * Starts a best-first search over a graph layer (HNSW's search-layer): empties both heaps, puts the entry among
 * the candidates and, when `accepted`, among the results. Returns the results' lower bound (−∞ while empty).
 */
export function startBestFirst(
  candidates: ScoreHeap,
  results: ScoreHeap,
  entry: number,
  entryScore: number,
  accepted: boolean,
): number {
  candidates.clear();
  results.clear();
  candidates.push(entry, entryScore);
  if (accepted) results.push(entry, entryScore);
  return results.size > 0 ? results.topScore : Number.NEGATIVE_INFINITY;
}
