import type { Candidates } from './exact-search.js';
import { ScoreHeap } from './score-heap.js';
import type { VectorStorage } from './vector-storage.js';

/** HNSW construction and search parameters. */
export interface HnswParameters {
  /** Links per node on upper layers (layer 0 keeps 2·M). */
  M: number;
  /** Candidate list size while inserting: higher builds a better graph, slower. */
  efConstruction: number;
  /** Candidate list size while searching (raised to topK when smaller). */
  efSearch: number;
  /** Seed of the level generator, so the same inserts build the same graph. */
  seed: number;
}

/**
 * The HNSW graph (Malkov & Yashunin) over a VectorStorage's slots. Layer-0 links live in one Int32Array
 * (`[count, n1, n2, …]` per slot); the few nodes above layer 0 get a small array each. Neighbours of a
 * visited node are scored in one batched kernel call.
 */
export class HnswGraph {
  readonly parameters: HnswParameters;
  readonly maxLinks0: number;
  levels = new Int8Array(0);
  links0 = new Int32Array(0);
  upper: (Int32Array | undefined)[] = [];
  entryPoint = -1;
  maxLevel = -1;
  #visited = new Uint32Array(0);
  #visitTag = 0;
  #random: number;
  readonly #levelMultiplier: number;
  readonly #candidates = new ScoreHeap(true);
  readonly #results = new ScoreHeap(false);
  #batch: Int32Array;

  constructor(parameters: HnswParameters) {
    this.parameters = parameters;
    this.maxLinks0 = parameters.M * 2;
    this.#levelMultiplier = 1 / Math.log(Math.max(2, parameters.M));
    this.#random = parameters.seed >>> 0 || 1;
    this.#batch = new Int32Array(this.maxLinks0 + 1);
  }

  get capacity(): number {
    return this.levels.length;
  }

  ensureCapacity(slots: number): void {
    if (slots <= this.levels.length) return;
    const capacity = Math.max(slots, Math.ceil(this.levels.length * 1.5), 16);
    const levels = new Int8Array(capacity).fill(-1);
    levels.set(this.levels);
    const links0 = new Int32Array(capacity * (this.maxLinks0 + 1));
    links0.set(this.links0);
    this.levels = levels;
    this.links0 = links0;
    this.#visited = new Uint32Array(capacity);
    this.#visitTag = 0;
  }

  /** Forgets every node (compaction rebuilds from scratch). */
  reset(): void {
    this.levels.fill(-1);
    this.links0.fill(0);
    this.upper = [];
    this.entryPoint = -1;
    this.maxLevel = -1;
  }

  /** The level generator's state: saved with the index so inserts after a load continue the same sequence. */
  get randomState(): number {
    return this.#random;
  }

  set randomState(state: number) {
    this.#random = state >>> 0;
  }

  #nextRandom(): number {
    // mulberry32: tiny, seedable, good enough for level sampling.
    this.#random = (this.#random + 0x6d2b79f5) >>> 0;
    let t = this.#random;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  #randomLevel(): number {
    const level = Math.floor(-Math.log(1 - this.#nextRandom()) * this.#levelMultiplier);
    return Math.min(level, 16);
  }

  #nextTag(): number {
    if (this.#visitTag === 0xffffffff) {
      this.#visited.fill(0);
      this.#visitTag = 0;
    }
    return ++this.#visitTag;
  }

  /** The array holding the links of `slot` at `level` (see `#linksOffset` for where they start). */
  #linksArray(slot: number, level: number): Int32Array {
    return level === 0 ? this.links0 : this.upper[slot]!;
  }

  /** Offset of the `[count, …links]` block; with `#linksArray` this avoids allocating a tuple per visit. */
  #linksOffset(slot: number, level: number): number {
    return level === 0 ? slot * (this.maxLinks0 + 1) : (level - 1) * (this.parameters.M + 1);
  }

  /** The links of `slot` at `level` as [array, offset of the count] (cold paths). */
  #linksAt(slot: number, level: number): [Int32Array, number] {
    if (level === 0) return [this.links0, slot * (this.maxLinks0 + 1)];
    return [this.upper[slot]!, (level - 1) * (this.parameters.M + 1)];
  }

  #scoreOne(storage: VectorStorage, slot: number, int8: boolean): number {
    this.#batch[0] = slot;
    return storage.scoreSlots(this.#batch, 1, int8)[0]!;
  }

  /** Greedy descent from the entry point down to `targetLevel` + 1. */
  #descend(storage: VectorStorage, targetLevel: number, int8: boolean): [number, number] {
    let current = this.entryPoint;
    let currentScore = this.#scoreOne(storage, current, int8);
    for (let level = this.maxLevel; level > targetLevel; level--) {
      let changed = true;
      while (changed) {
        changed = false;
        const array = this.#linksArray(current, level);
        const offset = this.#linksOffset(current, level);
        const count = array[offset]!;
        if (count === 0) break;
        const batch = this.#batch;
        for (let i = 0; i < count; i++) batch[i] = array[offset + 1 + i]!;
        const scores = storage.scoreSlots(batch, count, int8);
        for (let i = 0; i < count; i++) {
          if (scores[i]! > currentScore) {
            currentScore = scores[i]!;
            current = batch[i]!;
            changed = true;
          }
        }
      }
    }
    return [current, currentScore];
  }

  /**
   * Best-first search on one layer. Every node is a waypoint; only `accept`ed nodes enter the results
   * (tombstones and filtered-out rows still route the search). Results stay in the `#results` heap.
   */
  #searchLayer(
    storage: VectorStorage,
    entry: number,
    entryScore: number,
    ef: number,
    level: number,
    int8: boolean,
    accept: ((slot: number) => boolean) | undefined,
  ): void {
    const visited = this.#visited;
    const tag = this.#nextTag();
    const candidates = this.#candidates;
    const results = this.#results;
    candidates.clear();
    results.clear();
    visited[entry] = tag;
    candidates.push(entry, entryScore);
    if (accept === undefined || accept(entry)) results.push(entry, entryScore);
    let lowerBound = results.size > 0 ? results.topScore : Number.NEGATIVE_INFINITY;
    const batch = this.#batch;
    while (candidates.size > 0) {
      if (candidates.topScore < lowerBound && results.size >= ef) break;
      const current = candidates.pop();
      const array = this.#linksArray(current, level);
      const offset = this.#linksOffset(current, level);
      const count = array[offset]!;
      let fresh = 0;
      for (let i = 0; i < count; i++) {
        const neighbour = array[offset + 1 + i]!;
        if (visited[neighbour] !== tag) {
          visited[neighbour] = tag;
          batch[fresh++] = neighbour;
        }
      }
      if (fresh === 0) continue;
      const scores = storage.scoreSlots(batch, fresh, int8);
      for (let i = 0; i < fresh; i++) {
        const score = scores[i]!;
        if (results.size < ef || score > lowerBound) {
          const neighbour = batch[i]!;
          candidates.push(neighbour, score);
          if (accept === undefined || accept(neighbour)) {
            results.push(neighbour, score);
            if (results.size > ef) results.pop();
            lowerBound = results.topScore;
          }
        }
      }
    }
  }

  /**
   * Keeps candidates that are closer to the base than to any already kept one (diversity heuristic).
   * `items` are sorted by `scores` (similarity to the base), best first.
   */
  #selectNeighbours(storage: VectorStorage, items: number[], scores: number[], limit: number, int8: boolean): number[] {
    if (items.length <= limit) return items;
    const kept: number[] = [];
    for (let i = 0; i < items.length && kept.length < limit; i++) {
      const candidate = items[i]!;
      let good = true;
      if (kept.length > 0) {
        // One kernel call for all kept neighbours instead of one call per pair.
        const similarities = storage.scoreSlotsAgainstRow(candidate, kept, kept.length, int8);
        for (let j = 0; j < kept.length; j++) {
          if (similarities[j]! > scores[i]!) {
            good = false;
            break;
          }
        }
      }
      if (good) kept.push(candidate);
    }
    return kept;
  }

  #setLinks(slot: number, level: number, neighbours: readonly number[]): void {
    const [array, offset] = this.#linksAt(slot, level);
    array[offset] = neighbours.length;
    for (let i = 0; i < neighbours.length; i++) array[offset + 1 + i] = neighbours[i]!;
  }

  #addLink(
    storage: VectorStorage,
    node: number,
    added: number,
    addedScore: number,
    level: number,
    int8: boolean,
  ): void {
    const [array, offset] = this.#linksAt(node, level);
    const count = array[offset]!;
    const limit = level === 0 ? this.maxLinks0 : this.parameters.M;
    if (count < limit) {
      array[offset + 1 + count] = added;
      array[offset] = count + 1;
      return;
    }
    const existing = array.subarray(offset + 1, offset + 1 + count);
    const similarities = storage.scoreSlotsAgainstRow(node, existing, count, int8);
    const pool: { item: number; score: number }[] = [{ item: added, score: addedScore }];
    for (let i = 0; i < count; i++) pool.push({ item: existing[i]!, score: similarities[i]! });
    pool.sort((a, b) => b.score - a.score);
    const kept = this.#selectNeighbours(
      storage,
      pool.map((entry) => entry.item),
      pool.map((entry) => entry.score),
      limit,
      int8,
    );
    this.#setLinks(node, level, kept);
  }

  /** Links `slot` (already written to storage) into the graph. */
  insert(storage: VectorStorage, slot: number, int8: boolean): void {
    this.ensureCapacity(slot + 1);
    const level = this.#randomLevel();
    this.levels[slot] = level;
    this.links0[slot * (this.maxLinks0 + 1)] = 0;
    this.upper[slot] = level > 0 ? new Int32Array(level * (this.parameters.M + 1)) : undefined;
    if (this.entryPoint < 0) {
      this.entryPoint = slot;
      this.maxLevel = level;
      return;
    }
    storage.setQueryFromSlot(slot);
    let [current, currentScore] = this.#descend(storage, level, int8);
    for (let layer = Math.min(level, this.maxLevel); layer >= 0; layer--) {
      this.#searchLayer(storage, current, currentScore, this.parameters.efConstruction, layer, int8, undefined);
      const found = this.#results.drainDescending();
      const neighbours = this.#selectNeighbours(storage, found.items, found.scores, this.parameters.M, int8);
      this.#setLinks(slot, layer, neighbours);
      for (const neighbour of neighbours) {
        const score = found.scores[found.items.indexOf(neighbour)]!;
        this.#addLink(storage, neighbour, slot, score, layer, int8);
      }
      current = found.items[0]!;
      currentScore = found.scores[0]!;
    }
    if (level > this.maxLevel) {
      this.entryPoint = slot;
      this.maxLevel = level;
    }
  }

  /** The best `ef` accepted nodes for the query already loaded in storage, best first. */
  search(
    storage: VectorStorage,
    ef: number,
    int8: boolean,
    accept: ((slot: number) => boolean) | undefined,
  ): Candidates {
    if (this.entryPoint < 0) return { slots: [], similarities: [] };
    const [entry, entryScore] = this.#descend(storage, 0, int8);
    this.#searchLayer(storage, entry, entryScore, ef, 0, int8, accept);
    const found = this.#results.drainDescending();
    return { slots: found.items, similarities: found.scores };
  }
}
