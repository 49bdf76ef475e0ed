import type { GraphDescent, GraphSearch, GraphSearchInt8 } from '../kernels/kernel-backend.js';
import type { Candidates } from './exact-search.js';
import { ScoreHeap, startBestFirst } from './score-heap.js';
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

/** Metric codes of the backend's graph search. */
const searchMetric = { dot: 0, l2: 1, cosine: 2 } as const;

/**
 * The HNSW graph (Malkov & Yashunin) over a VectorStorage's slots. Layer-0 links live in the storage's
 * arena (`[count, n1, n2, …]`, `linkStride` ints per slot), next to the rows, the inverse norms, the deleted
 * flags and the visited tags, so the layer-0 search — where nearly all the work is — runs as one backend
 * call (WebAssembly or its TypeScript twin). The few nodes above layer 0 get a small JS array each and are
 * searched here, with neighbours scored in one batched kernel call.
 */
export class HnswGraph {
  readonly parameters: HnswParameters;
  readonly maxLinks0: number;
  /** Ints per slot in the arena's layer-0 link area. */
  readonly linkStride: number;
  readonly storage: VectorStorage;
  levels = new Int8Array(0);
  #upper: (Int32Array | undefined)[] = [];
  /**
   * The upper levels as the backend's descent reads them (`#packUpper`): valid while no insert, reset or new
   * `upper` changed them (`#upperDirty`) and the arena kept its layout (`#upperLayout`).
   */
  #upperDirty = true;
  #upperLayout = -1;
  entryPoint = -1;
  maxLevel = -1;
  #visitTag = 0;
  #random: number;
  readonly #levelMultiplier: number;
  readonly #candidates = new ScoreHeap(true);
  readonly #results = new ScoreHeap(false);
  #batch: Int32Array;
  /**
   * Scratch of the insert path, reused for every insert: a build used to allocate ~600 short-lived objects
   * per insert (result arrays, `{ item, score }` pools, kept lists), and that garbage grew V8's young
   * generation by tens of MB that stayed resident after the build. `#found*`: a layer search's results,
   * best first; `#kept*`: the neighbours chosen for the new node; `#pool*`/`#linkKept*`: `#addLink`'s
   * re-selection of an existing node's links.
   */
  #foundSlots = new Int32Array(0);
  #foundScores = new Float32Array(0);
  readonly #keptSlots: Int32Array;
  readonly #keptScores: Float32Array;
  readonly #poolSlots: Int32Array;
  readonly #poolScores: Float32Array;
  readonly #linkKeptSlots: Int32Array;
  readonly #linkKeptScores: Float32Array;

  /** Argument objects of the query path's backend call, reused for every query. */
  readonly #search: GraphSearch;
  readonly #searchInt8: GraphSearchInt8 = {
    query: 0,
    rows: 0,
    stride: 0,
    scales: 0,
    squaredNorms: 0,
    queryScale: 0,
    querySquared: 0,
  };
  readonly #descent: GraphDescent = { upperOffsets: 0, upperStride: 0, maxLevel: 0 };

  /** Upper-level links per slot (`[count, …links]` blocks of M + 1 ints, level 1 first; undefined: level 0). */
  get upper(): (Int32Array | undefined)[] {
    return this.#upper;
  }

  set upper(upper: (Int32Array | undefined)[]) {
    this.#upper = upper;
    this.#upperDirty = true;
  }

  constructor(parameters: HnswParameters, storage: VectorStorage) {
    this.parameters = parameters;
    this.storage = storage;
    this.maxLinks0 = parameters.M * 2;
    this.linkStride = this.maxLinks0 + 1;
    if (storage.arena.linkStride !== this.linkStride) throw new Error('[vector] storage laid out for another M');
    this.#levelMultiplier = 1 / Math.log(Math.max(2, parameters.M));
    this.#random = parameters.seed >>> 0 || 1;
    this.#batch = new Int32Array(this.maxLinks0 + 1);
    this.#keptSlots = new Int32Array(this.maxLinks0 + 1);
    this.#keptScores = new Float32Array(this.maxLinks0 + 1);
    this.#poolSlots = new Int32Array(this.maxLinks0 + 1);
    this.#poolScores = new Float32Array(this.maxLinks0 + 1);
    this.#linkKeptSlots = new Int32Array(this.maxLinks0 + 1);
    this.#linkKeptScores = new Float32Array(this.maxLinks0 + 1);
    this.#search = {
      metric: searchMetric[storage.metric],
      query: 0,
      queryInverse: 0,
      rows: 0,
      dims: storage.dimensions,
      inverseNorms: 0,
      links: 0,
      linkStride: this.linkStride,
      visited: 0,
      tag: 0,
      flags: 0,
      reject: 0,
      entry: 0,
      entryScore: 0,
      ef: 0,
      candidates: 0,
      results: 0,
      outSlots: 0,
      outScores: 0,
      int8: undefined,
      descent: undefined,
    };
  }

  ensureCapacity(slots: number): void {
    this.storage.ensureCapacity(slots);
    if (slots <= this.levels.length) return;
    const capacity = Math.max(slots, Math.ceil(this.levels.length * 1.5), 16);
    const levels = new Int8Array(capacity).fill(-1);
    levels.set(this.levels);
    this.levels = levels;
  }

  /** The layer-0 links of the first `size` slots (a copy, for saving). */
  links0(size: number): Int32Array {
    const start = this.storage.arena.linksOffset >> 2;
    return this.storage.arena.i32.slice(start, start + size * this.linkStride);
  }

  /** Puts verified persisted links back (see `load-index.ts`). */
  restoreLinks0(links: Int32Array): void {
    this.ensureCapacity(links.length / this.linkStride);
    this.storage.arena.i32.set(links, this.storage.arena.linksOffset >> 2);
  }

  /** Forgets every node (compaction rebuilds from scratch). */
  reset(): void {
    const arena = this.storage.arena;
    this.levels.fill(-1);
    arena.i32.fill(0, arena.linksOffset >> 2, (arena.linksOffset >> 2) + arena.capacity * this.linkStride);
    this.upper = [];
    this.entryPoint = -1;
    this.maxLevel = -1;
  }

  /**
   * Packs the upper levels into the arena after the rows for the backend's descent: an i32 byte offset per
   * slot, then each upper node's blocks (~1/M of the nodes; at 100k with M 16 about 0.9 MB). Repacked on the
   * first query after the upper levels or the arena's layout changed.
   */
  #packUpper(): number {
    const arena = this.storage.arena;
    if (!this.#upperDirty && this.#upperLayout === arena.layoutVersion) return arena.upperOffset;
    const upper = this.#upper;
    const slots = upper.length;
    let ints = 0;
    for (let slot = 0; slot < slots; slot++) ints += upper[slot]?.length ?? 0;
    const base = arena.reserveUpper((slots + ints) * 4);
    const i32 = arena.i32;
    const offsets = base >> 2;
    let next = offsets + slots;
    for (let slot = 0; slot < slots; slot++) {
      const links = upper[slot];
      if (links === undefined) {
        i32[offsets + slot] = 0;
        continue;
      }
      i32[offsets + slot] = next << 2;
      i32.set(links, next);
      next += links.length;
    }
    this.#upperDirty = false;
    this.#upperLayout = arena.layoutVersion;
    return base;
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

  /** Draws the next node's level, as `insert` does (parallel builds draw all levels up front). */
  nextLevel(): number {
    return this.#randomLevel();
  }

  #randomLevel(): number {
    const level = Math.floor(-Math.log(1 - this.#nextRandom()) * this.#levelMultiplier);
    return Math.min(level, 16);
  }

  #nextTag(): number {
    // u16 tags (as hnswlib's): half the cache footprint of u32 ones, and a 2-byte-per-slot clear every 65,535
    // searches.
    if (this.#visitTag === 0xffff) {
      const arena = this.storage.arena;
      arena.u16.fill(0, arena.visitedOffset >> 1, (arena.visitedOffset >> 1) + arena.capacity);
      this.#visitTag = 0;
    }
    return ++this.#visitTag;
  }

  /** The array holding the links of `slot` at `level` (see `#linksOffset` for where they start). */
  #linksArray(slot: number, level: number): Int32Array {
    return level === 0 ? this.storage.arena.i32 : this.upper[slot]!;
  }

  /** Offset of the `[count, …links]` block; with `#linksArray` this avoids allocating a tuple per visit. */
  #linksOffset(slot: number, level: number): number {
    return level === 0
      ? (this.storage.arena.linksOffset >> 2) + slot * this.linkStride
      : (level - 1) * (this.parameters.M + 1);
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
  ): Found {
    // Construction: every node, tombstones included, can become a neighbour (no flag rejects), as in the
    // TypeScript loop this replaced.
    if (level === 0 && accept === undefined) return this.#searchLayer0InBackend(entry, entryScore, ef, 0, int8);
    const arena = storage.arena;
    const visited = arena.u16;
    const visitedBase = arena.visitedOffset >> 1;
    const tag = this.#nextTag();
    const candidates = this.#candidates;
    const results = this.#results;
    visited[visitedBase + entry] = tag;
    let lowerBound = startBestFirst(candidates, results, entry, entryScore, accept === undefined || accept(entry));
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
        if (visited[visitedBase + neighbour] !== tag) {
          visited[visitedBase + neighbour] = tag;
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
    return results.drainDescending();
  }

  /**
   * Layer-0 search in one backend call over the arena. `reject`: flag bits that keep a slot out of the
   * results (1 = deleted, 2 = filtered out for this query; see `markAllowed`).
   */
  #searchLayer0InBackend(entry: number, entryScore: number, ef: number, reject: number, int8: boolean): Found {
    const arena = this.storage.arena;
    const count = this.#runLayer0InBackend(entry, entryScore, ef, reject, int8);
    const slots = arena.i32;
    const scores = arena.f32;
    const items = new Array<number>(count);
    const found = new Array<number>(count);
    for (let i = 0; i < count; i++) {
      items[i] = slots[(arena.idsOffset >> 2) + i]!;
      found[i] = scores[(arena.outOffset >> 2) + i]!;
    }
    return { items, scores: found };
  }

  /**
   * The layer-0 search in the backend; its results stay in the arena's ids/out areas. Returns the count.
   * `descend`: start from the entry point and descend through the upper levels in the same call (queries).
   */
  #runLayer0InBackend(
    entry: number,
    entryScore: number,
    ef: number,
    reject: number,
    int8: boolean,
    descend = false,
  ): number {
    const storage = this.storage;
    const arena = storage.arena;
    const descent = descend ? this.#descent : undefined;
    if (descent !== undefined) {
      // Packing may grow the memory: before any other offset is read.
      descent.upperOffsets = this.#packUpper();
      descent.upperStride = this.parameters.M + 1;
      descent.maxLevel = this.maxLevel;
    }
    const search = this.#search;
    search.query = arena.queryOffset;
    search.queryInverse = storage.queryInverseNorm;
    search.rows = arena.rowsOffset;
    search.inverseNorms = arena.inverseNormsOffset;
    search.links = arena.linksOffset;
    search.visited = arena.visitedOffset;
    search.tag = this.#nextTag();
    search.flags = arena.flagsOffset;
    search.reject = reject;
    search.entry = entry;
    search.entryScore = entryScore;
    search.ef = ef;
    search.candidates = arena.candidatesOffset;
    search.results = arena.resultsOffset;
    search.outSlots = arena.idsOffset;
    search.outScores = arena.outOffset;
    search.descent = descent;
    if (int8) {
      const block = this.#searchInt8;
      block.query = arena.queryInt8Offset;
      block.rows = arena.rowsInt8Offset;
      block.stride = arena.int8Stride;
      block.scales = arena.scalesOffset;
      block.squaredNorms = arena.squaredNormsOffset;
      block.queryScale = storage.queryScale;
      block.querySquared = storage.querySquaredNorm;
      search.int8 = block;
    } else {
      search.int8 = undefined;
    }
    return arena.backend.hnswSearch0(search);
  }

  /** Flags every slot but `allowed` as filtered out (bit 2) for the next `search` with `filtered`. */
  markAllowed(allowed: Int32Array): void {
    const arena = this.storage.arena;
    const flags = arena.u8;
    const start = arena.flagsOffset;
    const size = this.storage.size;
    for (let slot = 0; slot < size; slot++) flags[start + slot] = flags[start + slot]! | 2;
    for (const slot of allowed) flags[start + slot] = flags[start + slot]! & 1;
  }

  /**
   * Keeps candidates that are closer to the base than to any already kept one (diversity heuristic).
   * Candidates `slots[0..count)` are sorted by `scores` (similarity to the base), best first; the kept ones
   * go to `outSlots`/`outScores` in that order. Returns how many were kept.
   */
  #selectNeighbours(
    storage: VectorStorage,
    slots: Int32Array,
    scores: Float32Array,
    count: number,
    limit: number,
    int8: boolean,
    outSlots: Int32Array,
    outScores: Float32Array,
  ): number {
    if (count <= limit) {
      for (let i = 0; i < count; i++) {
        outSlots[i] = slots[i]!;
        outScores[i] = scores[i]!;
      }
      return count;
    }
    let kept = 0;
    for (let i = 0; i < count && kept < limit; i++) {
      const candidate = slots[i]!;
      let good = true;
      if (kept > 0) {
        // One kernel call for all kept neighbours instead of one call per pair.
        const similarities = storage.scoreSlotsAgainstRow(candidate, outSlots, kept, int8);
        for (let j = 0; j < kept; j++) {
          if (similarities[j]! > scores[i]!) {
            good = false;
            break;
          }
        }
      }
      if (good) {
        outSlots[kept] = candidate;
        outScores[kept] = scores[i]!;
        kept++;
      }
    }
    return kept;
  }

  #setLinks(slot: number, level: number, neighbours: Int32Array, count: number): void {
    const array = this.#linksArray(slot, level);
    const offset = this.#linksOffset(slot, level);
    array[offset] = count;
    for (let i = 0; i < count; i++) array[offset + 1 + i] = neighbours[i]!;
  }

  #addLink(
    storage: VectorStorage,
    node: number,
    added: number,
    addedScore: number,
    level: number,
    int8: boolean,
  ): void {
    const array = this.#linksArray(node, level);
    const offset = this.#linksOffset(node, level);
    const count = array[offset]!;
    const limit = level === 0 ? this.maxLinks0 : this.parameters.M;
    if (count < limit) {
      array[offset + 1 + count] = added;
      array[offset] = count + 1;
      return;
    }
    const existing = this.#batch;
    for (let i = 0; i < count; i++) existing[i] = array[offset + 1 + i]!;
    const similarities = storage.scoreSlotsAgainstRow(node, existing, count, int8);
    // The pool, best first: the added node, then the existing links, by a stable insertion sort (ties keep
    // this order, as the array sort it replaced did).
    const poolSlots = this.#poolSlots;
    const poolScores = this.#poolScores;
    poolSlots[0] = added;
    poolScores[0] = addedScore;
    for (let i = 0; i < count; i++) {
      const slot = existing[i]!;
      const score = similarities[i]!;
      let at = i + 1;
      while (at > 0 && poolScores[at - 1]! < score) {
        poolSlots[at] = poolSlots[at - 1]!;
        poolScores[at] = poolScores[at - 1]!;
        at--;
      }
      poolSlots[at] = slot;
      poolScores[at] = score;
    }
    const kept = this.#selectNeighbours(
      storage,
      poolSlots,
      poolScores,
      count + 1,
      limit,
      int8,
      this.#linkKeptSlots,
      this.#linkKeptScores,
    );
    this.#setLinks(node, level, this.#linkKeptSlots, kept);
  }

  /** Copies a layer search's results into `#foundSlots`/`#foundScores` (grown as needed); returns the count. */
  #searchInto(storage: VectorStorage, entry: number, entryScore: number, ef: number, level: number, int8: boolean) {
    if (this.#foundSlots.length < ef + 1) {
      this.#foundSlots = new Int32Array(ef + 1);
      this.#foundScores = new Float32Array(ef + 1);
    }
    const slots = this.#foundSlots;
    const scores = this.#foundScores;
    if (level === 0) {
      // Construction: every node, tombstones included, can become a neighbour (no flag rejects).
      const count = this.#runLayer0InBackend(entry, entryScore, ef, 0, int8);
      const arena = storage.arena;
      const i32 = arena.i32;
      const f32 = arena.f32;
      const idsBase = arena.idsOffset >> 2;
      const outBase = arena.outOffset >> 2;
      for (let i = 0; i < count; i++) {
        slots[i] = i32[idsBase + i]!;
        scores[i] = f32[outBase + i]!;
      }
      return count;
    }
    const found = this.#searchLayer(storage, entry, entryScore, ef, level, int8, undefined);
    for (let i = 0; i < found.items.length; i++) {
      slots[i] = found.items[i]!;
      scores[i] = found.scores[i]!;
    }
    return found.items.length;
  }

  /** Links `slot` (already written to storage) into the graph. */
  insert(storage: VectorStorage, slot: number, int8: boolean): void {
    this.ensureCapacity(slot + 1);
    const level = this.#randomLevel();
    this.levels[slot] = level;
    this.storage.arena.i32[this.#linksOffset(slot, 0)] = 0;
    this.#upper[slot] = level > 0 ? new Int32Array(level * (this.parameters.M + 1)) : undefined;
    // Upper links change only when the new node has some (it links into, and maybe tops, the upper levels).
    if (level > 0 || this.entryPoint < 0) this.#upperDirty = true;
    if (this.entryPoint < 0) {
      this.entryPoint = slot;
      this.maxLevel = level;
      return;
    }
    storage.setQueryFromSlot(slot);
    let [current, currentScore] = this.#descend(storage, level, int8);
    const keptSlots = this.#keptSlots;
    const keptScores = this.#keptScores;
    for (let layer = Math.min(level, this.maxLevel); layer >= 0; layer--) {
      const found = this.#searchInto(storage, current, currentScore, this.parameters.efConstruction, layer, int8);
      const kept = this.#selectNeighbours(
        storage,
        this.#foundSlots,
        this.#foundScores,
        found,
        this.parameters.M,
        int8,
        keptSlots,
        keptScores,
      );
      this.#setLinks(slot, layer, keptSlots, kept);
      for (let i = 0; i < kept; i++) this.#addLink(storage, keptSlots[i]!, slot, keptScores[i]!, layer, int8);
      current = this.#foundSlots[0]!;
      currentScore = this.#foundScores[0]!;
    }
    if (level > this.maxLevel) {
      this.entryPoint = slot;
      this.maxLevel = level;
    }
  }

  /**
   * The best `ef` accepted nodes for the query already loaded in storage, best first. `accept`: a per-slot
   * predicate (JS loop), or `'live'` (skip tombstones) / `'allowed'` (also skip what `markAllowed` flagged),
   * which run in the backend when scoring float32 rows.
   */
  search(
    storage: VectorStorage,
    ef: number,
    int8: boolean,
    accept: ((slot: number) => boolean) | 'live' | 'allowed',
    limit = ef,
  ): Candidates {
    if (this.entryPoint < 0) return { slots: [], similarities: [] };
    if (typeof accept !== 'function') {
      // One backend call: the descent through the upper levels, then layer 0. Only the first `limit` results
      // are copied out of the arena.
      const reject = accept === 'live' ? 1 : 3;
      const count = Math.min(limit, this.#runLayer0InBackend(this.entryPoint, 0, ef, reject, int8, true));
      const arena = storage.arena;
      const i32 = arena.i32;
      const f32 = arena.f32;
      const idsBase = arena.idsOffset >> 2;
      const outBase = arena.outOffset >> 2;
      const slots = new Array<number>(count);
      const similarities = new Array<number>(count);
      for (let i = 0; i < count; i++) {
        slots[i] = i32[idsBase + i]!;
        similarities[i] = f32[outBase + i]!;
      }
      return { slots, similarities };
    }
    // A per-slot predicate (filters the metadata index cannot answer): the descent and the loop in JavaScript.
    const [entry, entryScore] = this.#descend(storage, 0, int8);
    const found = this.#searchLayer(storage, entry, entryScore, ef, 0, int8, accept);
    return { slots: found.items.slice(0, limit), similarities: found.scores.slice(0, limit) };
  }
}

/** Search results, best first. */
interface Found {
  items: number[];
  scores: number[];
}
