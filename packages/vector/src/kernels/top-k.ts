/**
 * Keeps the `k` highest scores seen so far in a binary min-heap (the worst kept score at the root), so a
 * scan over n scores costs O(n) comparisons against `threshold` plus O(log k) per accepted candidate.
 */
export class TopK {
  readonly k: number;
  readonly #scores: Float64Array;
  readonly #items: Int32Array;
  #size = 0;

  constructor(k: number) {
    this.k = k;
    this.#scores = new Float64Array(Math.max(1, k));
    this.#items = new Int32Array(Math.max(1, k));
  }

  get size(): number {
    return this.#size;
  }

  /** The score a candidate must beat to enter (−Infinity while not full). */
  get threshold(): number {
    return this.#size < this.k ? Number.NEGATIVE_INFINITY : this.#scores[0]!;
  }

  push(item: number, score: number): void {
    if (this.k === 0) return;
    const scores = this.#scores;
    const items = this.#items;
    if (this.#size < this.k) {
      let index = this.#size++;
      while (index > 0) {
        const parent = (index - 1) >> 1;
        if (scores[parent]! <= score) break;
        scores[index] = scores[parent]!;
        items[index] = items[parent]!;
        index = parent;
      }
      scores[index] = score;
      items[index] = item;
      return;
    }
    if (score <= scores[0]!) return;
    // Replace the root and sift down.
    const size = this.#size;
    let index = 0;
    for (;;) {
      const left = 2 * index + 1;
      if (left >= size) break;
      const right = left + 1;
      const child = right < size && scores[right]! < scores[left]! ? right : left;
      if (scores[child]! >= score) break;
      scores[index] = scores[child]!;
      items[index] = items[child]!;
      index = child;
    }
    scores[index] = score;
    items[index] = item;
  }

  /** The kept items, best first. */
  sorted(): { items: number[]; scores: number[] } {
    const order = Array.from({ length: this.#size }, (_, index) => index);
    order.sort((a, b) => this.#scores[b]! - this.#scores[a]! || this.#items[a]! - this.#items[b]!);
    return { items: order.map((index) => this.#items[index]!), scores: order.map((index) => this.#scores[index]!) };
  }
}
