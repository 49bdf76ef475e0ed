import type { KernelBackend } from '../kernels/kernel-backend.js';
import { ScoreHeap, startBestFirst } from './score-heap.js';
import { control, type ScratchLayout, type SharedGraphLayout, scratchLayout } from './shared-graph-layout.js';

/** Futex mutex on one i32 (0 free, 1 held, 2 held with waiters), after Drepper's "Futexes are tricky". */
function lock(cells: Int32Array, index: number): void {
  let state = Atomics.compareExchange(cells, index, 0, 1);
  if (state === 0) return;
  do {
    if (state === 2 || Atomics.compareExchange(cells, index, 1, 2) !== 0) Atomics.wait(cells, index, 2);
    state = Atomics.compareExchange(cells, index, 0, 2);
  } while (state !== 0);
}

function unlock(cells: Int32Array, index: number): void {
  if (Atomics.sub(cells, index, 1) !== 1) {
    Atomics.store(cells, index, 0);
    Atomics.notify(cells, index, 1);
  }
}

/** Search results, best first. */
interface Found {
  items: number[];
  scores: number[];
}

/**
 * One worker's half of a parallel HNSW build: takes records from the shared counter and links them into the
 * shared graph, as `HnswGraph.insert` does (same search, same diversity heuristic, same level per record),
 * with a lock per node around every neighbour-list write and every upper-layer read. The layer-0 search runs
 * in the WASM kernel without locks: a list read while another worker rewrites it holds valid node ids and a
 * count ≤ 2M (writers store the ids before the count), so a racing read only sees a slightly stale list.
 */
export class SharedGraphBuilder {
  readonly #layout: SharedGraphLayout;
  readonly #scratch: ScratchLayout;
  readonly #kernels: KernelBackend;
  readonly #control: Int32Array;
  readonly #locks: Int32Array;
  readonly #i32: Int32Array;
  readonly #f32: Float32Array;
  readonly #u16: Uint16Array;
  readonly #levels: Int8Array;
  readonly #inverseNorms: Float32Array;
  readonly #scores: Float32Array;
  readonly #candidates = new ScoreHeap(true);
  readonly #results = new ScoreHeap(false);
  #tag = 0;

  constructor(layout: SharedGraphLayout, workerIndex: number, kernels: KernelBackend) {
    this.#layout = layout;
    this.#kernels = kernels;
    this.#scratch = scratchLayout(layout.scratch[workerIndex]!, layout.size, layout.efConstruction, layout.maxLinks0);
    const buffer = kernels.buffer();
    this.#control = new Int32Array(buffer, layout.control, 8);
    this.#locks = new Int32Array(buffer, layout.locks, layout.size);
    this.#i32 = new Int32Array(buffer);
    this.#f32 = new Float32Array(buffer);
    this.#u16 = new Uint16Array(buffer);
    this.#levels = new Int8Array(buffer, layout.levels, layout.size);
    this.#inverseNorms = new Float32Array(buffer, layout.inverseNorms, layout.size);
    this.#scores = new Float32Array(layout.maxLinks0 + 2);
  }

  /** Inserts records until none is left or the build is aborted; returns how many this worker inserted. */
  run(): number {
    let inserted = 0;
    const size = this.#layout.size;
    while (Atomics.load(this.#control, control.abort) === 0) {
      const slot = Atomics.add(this.#control, control.next, 1);
      if (slot >= size) break;
      this.#insert(slot);
      Atomics.add(this.#control, control.inserted, 1);
      inserted++;
    }
    return inserted;
  }

  #nextTag(): number {
    if (this.#tag === 0xffff) {
      const start = this.#scratch.visited >> 1;
      this.#u16.fill(0, start, start + this.#layout.size);
      this.#tag = 0;
    }
    return ++this.#tag;
  }

  #rowOffset(slot: number): number {
    return this.#layout.rows + slot * this.#layout.dimensions * 4;
  }

  /** i32 index of the `[count, …links]` block of `slot` at `level`. */
  #listAt(slot: number, level: number): number {
    const layout = this.#layout;
    if (level === 0) return (layout.links >> 2) + slot * layout.linkStride;
    return this.#i32[(layout.upperIndex >> 2) + slot]! + (level - 1) * (layout.M + 1);
  }

  /** Similarities of row `querySlot` against the first `count` ids already in the scratch ids area. */
  #score(querySlot: number, count: number): Float32Array {
    const layout = this.#layout;
    const scratch = this.#scratch;
    const kind = layout.metric === 1 ? 1 : 0;
    this.#kernels.scoreF32Gather(
      kind,
      this.#rowOffset(querySlot),
      layout.rows,
      scratch.ids,
      count,
      layout.dimensions,
      scratch.out,
    );
    const raw = this.#f32;
    const ids = this.#i32;
    const out = scratch.out >> 2;
    const idsBase = scratch.ids >> 2;
    const scores = this.#scores;
    if (layout.metric === 0) for (let r = 0; r < count; r++) scores[r] = raw[out + r]!;
    else if (layout.metric === 1) for (let r = 0; r < count; r++) scores[r] = -raw[out + r]!;
    else {
      const norms = this.#inverseNorms;
      const queryInverse = norms[querySlot]!;
      for (let r = 0; r < count; r++) scores[r] = raw[out + r]! * queryInverse * norms[ids[idsBase + r]!]!;
    }
    return scores;
  }

  #scoreOne(querySlot: number, slot: number): number {
    this.#i32[this.#scratch.ids >> 2] = slot;
    return this.#score(querySlot, 1)[0]!;
  }

  /** Copies the list of `slot` at `level` into the scratch ids under its lock; returns the count. */
  #readList(slot: number, level: number): number {
    const i32 = this.#i32;
    const list = this.#listAt(slot, level);
    const ids = this.#scratch.ids >> 2;
    lock(this.#locks, slot);
    const count = i32[list]!;
    for (let i = 0; i < count; i++) i32[ids + i] = i32[list + 1 + i]!;
    unlock(this.#locks, slot);
    return count;
  }

  #insert(slot: number): void {
    const level = this.#levels[slot]!;
    let entry = Atomics.load(this.#control, control.entryPoint);
    let top = this.#levels[entry]!;
    let raising = false;
    if (level > top) {
      // Only one insert at a time may raise the top level; it holds the lock until it is linked.
      lock(this.#control, control.globalLock);
      entry = Atomics.load(this.#control, control.entryPoint);
      top = this.#levels[entry]!;
      raising = level > top;
      if (!raising) unlock(this.#control, control.globalLock);
    }
    let current = entry;
    let currentScore = this.#scoreOne(slot, current);
    for (let layer = top; layer > level; layer--) {
      let changed = true;
      while (changed) {
        changed = false;
        const count = this.#readList(current, layer);
        if (count === 0) break;
        const scores = this.#score(slot, count);
        const ids = this.#scratch.ids >> 2;
        let best = -1;
        for (let i = 0; i < count; i++) {
          if (scores[i]! > currentScore) {
            currentScore = scores[i]!;
            best = this.#i32[ids + i]!;
          }
        }
        if (best >= 0) {
          current = best;
          changed = true;
        }
      }
    }
    const M = this.#layout.M;
    // Own lists first, on every layer; back-links after: a node becomes visible (through back-links) only
    // once all its lists are written, so no search enters a layer through a node not yet linked on it.
    const backLinks: { layer: number; neighbours: number[]; scores: number[] }[] = [];
    for (let layer = Math.min(level, top); layer >= 0; layer--) {
      const found =
        layer === 0
          ? this.#searchLayer0(slot, current, currentScore)
          : this.#searchUpper(slot, current, currentScore, layer);
      const neighbours = this.#selectNeighbours(found.items, found.scores, M);
      this.#writeList(slot, layer, neighbours);
      const scores = neighbours.map((neighbour) => found.scores[found.items.indexOf(neighbour)]!);
      backLinks.push({ layer, neighbours, scores });
      current = found.items[0]!;
      currentScore = found.scores[0]!;
    }
    for (const { layer, neighbours, scores } of backLinks) {
      for (let i = 0; i < neighbours.length; i++) this.#addLink(neighbours[i]!, slot, scores[i]!, layer);
    }
    if (raising) {
      Atomics.store(this.#control, control.entryPoint, slot);
      unlock(this.#control, control.globalLock);
    }
  }

  #searchLayer0(slot: number, entry: number, entryScore: number): Found {
    const layout = this.#layout;
    const scratch = this.#scratch;
    const count = this.#kernels.hnswSearch0({
      metric: layout.metric,
      query: this.#rowOffset(slot),
      queryInverse: this.#inverseNorms[slot]!,
      rows: layout.rows,
      dims: layout.dimensions,
      inverseNorms: layout.inverseNorms,
      links: layout.links,
      linkStride: layout.linkStride,
      visited: scratch.visited,
      tag: this.#nextTag(),
      flags: layout.flags,
      reject: 0,
      entry,
      entryScore,
      ef: layout.efConstruction,
      candidates: scratch.candidates,
      results: scratch.results,
      outSlots: scratch.outSlots,
      outScores: scratch.outScores,
    });
    const items = new Array<number>(count);
    const scores = new Array<number>(count);
    for (let i = 0; i < count; i++) {
      items[i] = this.#i32[(scratch.outSlots >> 2) + i]!;
      scores[i] = this.#f32[(scratch.outScores >> 2) + i]!;
    }
    return { items, scores };
  }

  /** Best-first search on an upper layer (few nodes: a JS loop, lists read under their locks). */
  #searchUpper(slot: number, entry: number, entryScore: number, layer: number): Found {
    const ef = this.#layout.efConstruction;
    const visited = this.#u16;
    const visitedBase = this.#scratch.visited >> 1;
    const tag = this.#nextTag();
    const candidates = this.#candidates;
    const results = this.#results;
    visited[visitedBase + entry] = tag;
    let lowerBound = startBestFirst(candidates, results, entry, entryScore, true);
    const ids = this.#scratch.ids >> 2;
    while (candidates.size > 0) {
      if (candidates.topScore < lowerBound && results.size >= ef) break;
      const count = this.#readList(candidates.pop(), layer);
      let fresh = 0;
      for (let i = 0; i < count; i++) {
        const neighbour = this.#i32[ids + i]!;
        if (visited[visitedBase + neighbour] !== tag) {
          visited[visitedBase + neighbour] = tag;
          this.#i32[ids + fresh++] = neighbour;
        }
      }
      if (fresh === 0) continue;
      const scores = this.#score(slot, fresh);
      for (let i = 0; i < fresh; i++) {
        const score = scores[i]!;
        if (results.size < ef || score > lowerBound) {
          const neighbour = this.#i32[ids + i]!;
          candidates.push(neighbour, score);
          results.push(neighbour, score);
          if (results.size > ef) results.pop();
          lowerBound = results.topScore;
        }
      }
    }
    const found = results.drainDescending();
    return { items: found.items, scores: found.scores };
  }

  /** The diversity heuristic of `HnswGraph`: keep a candidate only when it is closer to the base than to any kept one. */
  #selectNeighbours(items: number[], scores: number[], limit: number): number[] {
    if (items.length <= limit) return items;
    const kept: number[] = [];
    const ids = this.#scratch.ids >> 2;
    for (let i = 0; i < items.length && kept.length < limit; i++) {
      const candidate = items[i]!;
      let good = true;
      if (kept.length > 0) {
        for (let j = 0; j < kept.length; j++) this.#i32[ids + j] = kept[j]!;
        const similarities = this.#score(candidate, kept.length);
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

  /** Replaces a list: ids first, then the count, so an unlocked reader never sees a count past valid ids. */
  #writeList(slot: number, level: number, neighbours: readonly number[]): void {
    const i32 = this.#i32;
    const list = this.#listAt(slot, level);
    lock(this.#locks, slot);
    for (let i = 0; i < neighbours.length; i++) i32[list + 1 + i] = neighbours[i]!;
    i32[list] = neighbours.length;
    unlock(this.#locks, slot);
  }

  #addLink(node: number, added: number, addedScore: number, level: number): void {
    const i32 = this.#i32;
    const list = this.#listAt(node, level);
    const limit = level === 0 ? this.#layout.maxLinks0 : this.#layout.M;
    lock(this.#locks, node);
    try {
      const count = i32[list]!;
      if (count < limit) {
        i32[list + 1 + count] = added;
        i32[list] = count + 1;
        return;
      }
      const ids = this.#scratch.ids >> 2;
      for (let i = 0; i < count; i++) i32[ids + i] = i32[list + 1 + i]!;
      const similarities = this.#score(node, count);
      const pool: { item: number; score: number }[] = [{ item: added, score: addedScore }];
      for (let i = 0; i < count; i++) pool.push({ item: i32[ids + i]!, score: similarities[i]! });
      pool.sort((a, b) => b.score - a.score);
      const kept = this.#selectNeighbours(
        pool.map((entry) => entry.item),
        pool.map((entry) => entry.score),
        limit,
      );
      for (let i = 0; i < kept.length; i++) i32[list + 1 + i] = kept[i]!;
      i32[list] = kept.length;
    } finally {
      unlock(this.#locks, node);
    }
  }
}
