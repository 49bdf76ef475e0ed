/**
 * Where a parallel HNSW build keeps its graph in one shared WebAssembly memory (see `build-hnsw-index.ts`).
 * Byte offsets; every worker maps the same memory and reads the same layout:
 * [kernel page | control i32×8 | node locks i32 | levels i8 | upper-block index i32 | inverse norms f32 |
 *  flags u8 | layer-0 links (`linkStride` i32 per node) | upper links | rows f32 | scratch per worker].
 * Layer-0 links, inverse norms and rows sit as the index's arena has them, so the WASM layer-0 search runs on
 * this memory unchanged; each worker has its own visited tags, heaps and outputs.
 */
export interface SharedGraphLayout {
  size: number;
  dimensions: number;
  /** 0 dot, 1 l2, 2 cosine (the graph search's metric codes). */
  metric: 0 | 1 | 2;
  M: number;
  efConstruction: number;
  maxLinks0: number;
  linkStride: number;
  control: number;
  locks: number;
  levels: number;
  /** i32 per node: index (in i32 units) of its upper-layer block, `level × (M+1)` ints, or -1. */
  upperIndex: number;
  inverseNorms: number;
  flags: number;
  links: number;
  upper: number;
  rows: number;
  /** Offset of each worker's scratch area (`scratchLayout`). */
  scratch: number[];
  /** Total bytes. */
  bytes: number;
}

/** Slots of the control block (i32). */
export const control = {
  /** The entry point; its level is the graph's top level. */
  entryPoint: 0,
  /** Mutex for raising the entry point (held by the insert of a node above the top level). */
  globalLock: 1,
  /** Next record to insert (workers take records with `Atomics.add`). */
  next: 2,
  /** Set to 1 to make workers stop taking records. */
  abort: 3,
  /** Records linked so far (progress). */
  inserted: 4,
} as const;

const align = (value: number) => Math.ceil(value / 16) * 16;

/** One worker's scratch offsets. */
export interface ScratchLayout {
  /** u16 visited tags per node. */
  visited: number;
  /** Heaps of (f32 score, i32 slot), room for every node + 1. */
  candidates: number;
  results: number;
  /** Search output: up to `min(ef, size)` slots and scores. */
  outSlots: number;
  outScores: number;
  /** Gather ids and raw kernel output (at most `maxLinks0 + 1` entries). */
  ids: number;
  out: number;
  /** This worker's `hnswSearch0`/`hnswSearch` argument block (31 f64). */
  params: number;
  end: number;
}

export function scratchLayout(base: number, size: number, ef: number, maxLinks0: number): ScratchLayout {
  const visited = align(base);
  const candidates = align(visited + size * 2);
  const results = align(candidates + (size + 1) * 8);
  const outSlots = align(results + (size + 1) * 8);
  const found = Math.min(ef, size) + 1;
  const outScores = align(outSlots + found * 4);
  const ids = align(outScores + found * 4);
  const out = align(ids + (maxLinks0 + 2) * 4);
  const params = align(out + (maxLinks0 + 2) * 4);
  return { visited, candidates, results, outSlots, outScores, ids, out, params, end: align(params + 31 * 8) };
}

/** Lays out a build of `size` nodes whose upper blocks take `upperInts` ints in all. */
export function sharedGraphLayout(
  shape: Pick<SharedGraphLayout, 'size' | 'dimensions' | 'metric' | 'M' | 'efConstruction'>,
  upperInts: number,
  workers: number,
  base: number,
): SharedGraphLayout {
  const { size, dimensions, M, efConstruction } = shape;
  const maxLinks0 = M * 2;
  const linkStride = maxLinks0 + 1;
  const controlOffset = align(base);
  const locks = align(controlOffset + 8 * 4);
  const levels = align(locks + size * 4);
  const upperIndex = align(levels + size);
  const inverseNorms = align(upperIndex + size * 4);
  const flags = align(inverseNorms + size * 4);
  const links = align(flags + size);
  const upper = align(links + size * linkStride * 4);
  const rows = align(upper + upperInts * 4);
  let end = align(rows + size * dimensions * 4);
  const scratch: number[] = [];
  for (let w = 0; w < workers; w++) {
    scratch.push(end);
    end = scratchLayout(end, size, efConstruction, maxLinks0).end;
  }
  return {
    ...shape,
    maxLinks0,
    linkStride,
    control: controlOffset,
    locks,
    levels,
    upperIndex,
    inverseNorms,
    flags,
    links,
    upper,
    rows,
    scratch,
    bytes: end,
  };
}
