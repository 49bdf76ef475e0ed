// AssemblyScript source of the WebAssembly SIMD kernels (compiled by scripts/build-wasm.mjs into
// src/wasm/kernels.generated.ts). All pointers are byte offsets into the module's own memory, which the
// JavaScript arena lays out; the kernels never allocate.

// Horizontal sum of four f32 lanes.
function sum4(v: v128): f32 {
  return f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1) + f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3);
}

function sumI32x4(v: v128): i32 {
  return i32x4.extract_lane(v, 0) + i32x4.extract_lane(v, 1) + i32x4.extract_lane(v, 2) + i32x4.extract_lane(v, 3);
}

export function dotF32(a: usize, b: usize, dims: i32): f32 {
  // Four accumulators hide the latency of dependent adds.
  let s0 = f32x4.splat(0);
  let s1 = f32x4.splat(0);
  let s2 = f32x4.splat(0);
  let s3 = f32x4.splat(0);
  let i = 0;
  for (; i + 16 <= dims; i += 16) {
    const o = (<usize>i) << 2;
    s0 = f32x4.add(s0, f32x4.mul(v128.load(a + o), v128.load(b + o)));
    s1 = f32x4.add(s1, f32x4.mul(v128.load(a + o, 16), v128.load(b + o, 16)));
    s2 = f32x4.add(s2, f32x4.mul(v128.load(a + o, 32), v128.load(b + o, 32)));
    s3 = f32x4.add(s3, f32x4.mul(v128.load(a + o, 48), v128.load(b + o, 48)));
  }
  for (; i + 4 <= dims; i += 4) {
    const o = (<usize>i) << 2;
    s0 = f32x4.add(s0, f32x4.mul(v128.load(a + o), v128.load(b + o)));
  }
  let sum = sum4(f32x4.add(f32x4.add(s0, s1), f32x4.add(s2, s3)));
  for (; i < dims; i++) {
    const o = (<usize>i) << 2;
    sum += load<f32>(a + o) * load<f32>(b + o);
  }
  return sum;
}

/** Squared Euclidean distance. */
export function l2F32(a: usize, b: usize, dims: i32): f32 {
  let s0 = f32x4.splat(0);
  let s1 = f32x4.splat(0);
  let s2 = f32x4.splat(0);
  let s3 = f32x4.splat(0);
  let i = 0;
  for (; i + 16 <= dims; i += 16) {
    const o = (<usize>i) << 2;
    const d0 = f32x4.sub(v128.load(a + o), v128.load(b + o));
    const d1 = f32x4.sub(v128.load(a + o, 16), v128.load(b + o, 16));
    const d2 = f32x4.sub(v128.load(a + o, 32), v128.load(b + o, 32));
    const d3 = f32x4.sub(v128.load(a + o, 48), v128.load(b + o, 48));
    s0 = f32x4.add(s0, f32x4.mul(d0, d0));
    s1 = f32x4.add(s1, f32x4.mul(d1, d1));
    s2 = f32x4.add(s2, f32x4.mul(d2, d2));
    s3 = f32x4.add(s3, f32x4.mul(d3, d3));
  }
  for (; i + 4 <= dims; i += 4) {
    const o = (<usize>i) << 2;
    const d = f32x4.sub(v128.load(a + o), v128.load(b + o));
    s0 = f32x4.add(s0, f32x4.mul(d, d));
  }
  let sum = sum4(f32x4.add(f32x4.add(s0, s1), f32x4.add(s2, s3)));
  for (; i < dims; i++) {
    const o = (<usize>i) << 2;
    const d = load<f32>(a + o) - load<f32>(b + o);
    sum += d * d;
  }
  return sum;
}

/** Dot product of int8 rows; `bytes` is a multiple of 16 (rows are zero-padded by the arena). */
export function dotI8(a: usize, b: usize, bytes: i32): i32 {
  let s0 = i32x4.splat(0);
  let s1 = i32x4.splat(0);
  for (let i = 0; i < bytes; i += 16) {
    const va = v128.load(a + <usize>i);
    const vb = v128.load(b + <usize>i);
    s0 = i32x4.add(s0, i32x4.dot_i16x8_s(i16x8.extend_low_i8x16_s(va), i16x8.extend_low_i8x16_s(vb)));
    s1 = i32x4.add(s1, i32x4.dot_i16x8_s(i16x8.extend_high_i8x16_s(va), i16x8.extend_high_i8x16_s(vb)));
  }
  return sumI32x4(i32x4.add(s0, s1));
}

// Batched forms: one call scores many rows, so the JS↔WASM call cost is paid once per batch.
// `kind`: 0 = dot, 1 = squared L2.

export function scoreF32Range(kind: i32, query: usize, rows: usize, count: i32, dims: i32, out: usize): void {
  const stride = (<usize>dims) << 2;
  let row = rows;
  for (let r = 0; r < count; r++) {
    const value = kind === 0 ? dotF32(query, row, dims) : l2F32(query, row, dims);
    store<f32>(out + ((<usize>r) << 2), value);
    row += stride;
  }
}

export function scoreF32Gather(
  kind: i32,
  query: usize,
  rows: usize,
  ids: usize,
  count: i32,
  dims: i32,
  out: usize,
): void {
  const stride = (<usize>dims) << 2;
  for (let r = 0; r < count; r++) {
    const row = rows + <usize>load<i32>(ids + ((<usize>r) << 2)) * stride;
    const value = kind === 0 ? dotF32(query, row, dims) : l2F32(query, row, dims);
    store<f32>(out + ((<usize>r) << 2), value);
  }
}

export function dotI8Range(query: usize, rows: usize, count: i32, stride: i32, out: usize): void {
  let row = rows;
  for (let r = 0; r < count; r++) {
    store<i32>(out + ((<usize>r) << 2), dotI8(query, row, stride));
    row += <usize>stride;
  }
}

export function dotI8Gather(query: usize, rows: usize, ids: usize, count: i32, stride: i32, out: usize): void {
  for (let r = 0; r < count; r++) {
    const row = rows + <usize>load<i32>(ids + ((<usize>r) << 2)) * <usize>stride;
    store<i32>(out + ((<usize>r) << 2), dotI8(query, row, stride));
  }
}

// HNSW layer-0 search: the whole best-first loop (two heaps, visited tags, neighbour scan, scoring) runs
// here over the arena's contiguous link lists and rows, so a query costs one call instead of one per node.
// Heaps hold (f32 score, i32 slot) pairs, 8 bytes each; the algorithm mirrors `score-heap.ts` exactly so
// both backends return the same results for the same scores.

// Metric of `hnswSearch0`: 0 dot, 1 l2 (similarity = −squared distance), 2 cosine.
function similarity(
  metric: i32,
  query: usize,
  queryInverse: f64,
  rows: usize,
  inverseNorms: usize,
  slot: i32,
  dims: i32,
): f32 {
  const row = rows + <usize>slot * ((<usize>dims) << 2);
  if (metric === 1) return -l2F32(query, row, dims);
  const dot = dotF32(query, row, dims);
  if (metric === 0) return dot;
  return <f32>(<f64>dot * queryInverse * <f64>load<f32>(inverseNorms + ((<usize>slot) << 2)));
}

// The int8 twin of `similarity`, computed as the TypeScript scoring of int8 rows does (float64, then f32):
// dot = raw · queryScale · scale[slot]; cosine × queryInverse × inverseNorm[slot]; l2 −(‖q‖² + ‖r‖² − 2·dot).
function similarityI8(
  metric: i32,
  query8: usize,
  queryScale: f64,
  queryInverse: f64,
  querySquared: f64,
  rows8: usize,
  stride: i32,
  scales: usize,
  inverseNorms: usize,
  squaredNorms: usize,
  slot: i32,
): f32 {
  const raw = dotI8(query8, rows8 + <usize>slot * <usize>stride, stride);
  const at = (<usize>slot) << 2;
  const dot: f64 = <f64>raw * queryScale * <f64>load<f32>(scales + at);
  if (metric === 0) return <f32>dot;
  if (metric === 2) return <f32>(dot * queryInverse * <f64>load<f32>(inverseNorms + at));
  return <f32>-(querySquared + <f64>load<f32>(squaredNorms + at) - 2 * dot);
}

// `max`: highest score on top (candidates); otherwise lowest on top (results).
function before(max: bool, a: f32, b: f32): bool {
  return max ? a > b : a < b;
}

function heapPush(heap: usize, size: i32, max: bool, slot: i32, score: f32): void {
  let index = size;
  while (index > 0) {
    const parent = (index - 1) >> 1;
    const parentAt = heap + ((<usize>parent) << 3);
    const parentScore = load<f32>(parentAt);
    if (!before(max, score, parentScore)) break;
    const at = heap + ((<usize>index) << 3);
    store<f32>(at, parentScore);
    store<i32>(at, load<i32>(parentAt, 4), 4);
    index = parent;
  }
  const at = heap + ((<usize>index) << 3);
  store<f32>(at, score);
  store<i32>(at, slot, 4);
}

// Removes the top of a heap of `size` entries (the caller reads it first).
function heapPop(heap: usize, size: i32, max: bool): void {
  const last = size - 1;
  if (last === 0) return;
  const lastAt = heap + ((<usize>last) << 3);
  const score = load<f32>(lastAt);
  const slot = load<i32>(lastAt, 4);
  let index = 0;
  for (;;) {
    const left = 2 * index + 1;
    if (left >= last) break;
    const right = left + 1;
    let child = left;
    if (right < last && before(max, load<f32>(heap + ((<usize>right) << 3)), load<f32>(heap + ((<usize>left) << 3))))
      child = right;
    const childAt = heap + ((<usize>child) << 3);
    const childScore = load<f32>(childAt);
    if (!before(max, childScore, score)) break;
    const at = heap + ((<usize>index) << 3);
    store<f32>(at, childScore);
    store<i32>(at, load<i32>(childAt, 4), 4);
    index = child;
  }
  const at = heap + ((<usize>index) << 3);
  store<f32>(at, score);
  store<i32>(at, slot, 4);
}

/**
 * `search0` with its 27 arguments read from `params` (27 f64, in the order of `search0`'s parameters), written
 * there by the host: one call argument instead of 27, because V8's JS-to-WebAssembly wrapper for the
 * 27-parameter signature took ~15 % of a query's time in a profile.
 */
export function hnswSearch0(params: usize): i32 {
  return search0(
    <i32>load<f64>(params, 0),
    <usize>load<f64>(params, 8),
    load<f64>(params, 16),
    <usize>load<f64>(params, 24),
    <i32>load<f64>(params, 32),
    <usize>load<f64>(params, 40),
    <usize>load<f64>(params, 48),
    <i32>load<f64>(params, 56),
    <usize>load<f64>(params, 64),
    <u32>load<f64>(params, 72),
    <usize>load<f64>(params, 80),
    <i32>load<f64>(params, 88),
    <i32>load<f64>(params, 96),
    <f32>load<f64>(params, 104),
    <i32>load<f64>(params, 112),
    <usize>load<f64>(params, 120),
    <usize>load<f64>(params, 128),
    <usize>load<f64>(params, 136),
    <usize>load<f64>(params, 144),
    <i32>load<f64>(params, 152),
    <usize>load<f64>(params, 160),
    <usize>load<f64>(params, 168),
    <i32>load<f64>(params, 176),
    <usize>load<f64>(params, 184),
    <usize>load<f64>(params, 192),
    load<f64>(params, 200),
    load<f64>(params, 208),
  );
}

/**
 * `hnswSearch0`'s 27 arguments, then four more (f64 at 216…240): `upperOffsets` (i32 per slot: byte offset of
 * the slot's upper-level links, `[count, …links]` blocks of `upperStride` ints, level 1 first), `maxLevel`,
 * `upperStride`, unused. The greedy descent from the entry point (`entry`, argument 12) through levels
 * `maxLevel`…1 runs here too, so a query is one call: the entry score (argument 13) is computed, not read.
 * Ties keep the first best, as the TypeScript descent does.
 */
export function hnswSearch(params: usize): i32 {
  const metric = <i32>load<f64>(params, 0);
  const query = <usize>load<f64>(params, 8);
  const queryInverse = load<f64>(params, 16);
  const rows = <usize>load<f64>(params, 24);
  const dims = <i32>load<f64>(params, 32);
  const inverseNorms = <usize>load<f64>(params, 40);
  const int8 = <i32>load<f64>(params, 152);
  const query8 = <usize>load<f64>(params, 160);
  const rows8 = <usize>load<f64>(params, 168);
  const stride8 = <i32>load<f64>(params, 176);
  const scales = <usize>load<f64>(params, 184);
  const squaredNorms = <usize>load<f64>(params, 192);
  const queryScale = load<f64>(params, 200);
  const querySquared = load<f64>(params, 208);
  const upperOffsets = <usize>load<f64>(params, 216);
  const maxLevel = <i32>load<f64>(params, 224);
  const upperStride = (<usize>load<f64>(params, 232)) << 2;
  let current = <i32>load<f64>(params, 96);
  // The int8/float32 dispatch with its scoring arguments is written out at each of its three sites (here, the
  // descent and layer 0) on purpose: one scoring function reading the query from module globals, even with
  // `@inline` on it and on the kernels, made queries 1–3 % slower (bench/query-ab.ts, text, efSearch
  // 128–512, alternating with this code), since the loop then reloads the globals after every kernel call
  // instead of keeping the arguments in registers.
  let currentScore =
    int8 !== 0
      ? similarityI8(
          metric,
          query8,
          queryScale,
          queryInverse,
          querySquared,
          rows8,
          stride8,
          scales,
          inverseNorms,
          squaredNorms,
          current,
        )
      : similarity(metric, query, queryInverse, rows, inverseNorms, current, dims);
  for (let level = maxLevel; level > 0; level--) {
    let changed = true;
    while (changed) {
      changed = false;
      const list = <usize>load<i32>(upperOffsets + ((<usize>current) << 2)) + <usize>(level - 1) * upperStride;
      const count = load<i32>(list);
      for (let i = 0; i < count; i++) {
        const neighbour = load<i32>(list + ((<usize>i + 1) << 2));
        const score =
          int8 !== 0
            ? similarityI8(
                metric,
                query8,
                queryScale,
                queryInverse,
                querySquared,
                rows8,
                stride8,
                scales,
                inverseNorms,
                squaredNorms,
                neighbour,
              )
            : similarity(metric, query, queryInverse, rows, inverseNorms, neighbour, dims);
        if (score > currentScore) {
          currentScore = score;
          current = neighbour;
          changed = true;
        }
      }
    }
  }
  return search0(
    metric,
    query,
    queryInverse,
    rows,
    dims,
    inverseNorms,
    <usize>load<f64>(params, 48),
    <i32>load<f64>(params, 56),
    <usize>load<f64>(params, 64),
    <u32>load<f64>(params, 72),
    <usize>load<f64>(params, 80),
    <i32>load<f64>(params, 88),
    current,
    currentScore,
    <i32>load<f64>(params, 112),
    <usize>load<f64>(params, 120),
    <usize>load<f64>(params, 128),
    <usize>load<f64>(params, 136),
    <usize>load<f64>(params, 144),
    int8,
    query8,
    rows8,
    stride8,
    scales,
    squaredNorms,
    queryScale,
    querySquared,
  );
}

/**
 * Best-first search on layer 0 from `entry`. Every node routes; only nodes with `(flags[slot] & reject) == 0`
 * enter the results. `int8` ≠ 0 scores the int8 rows (`query8`, `rows8` of `stride` bytes, per-slot `scales`
 * and `squaredNorms`) instead of the float32 ones. Writes the results best first to `outSlots` (i32) and `outScores` (f32) and returns
 * how many there are (at most `ef`).
 */
function search0(
  metric: i32,
  query: usize,
  queryInverse: f64,
  rows: usize,
  dims: i32,
  inverseNorms: usize,
  links: usize,
  linkStride: i32,
  visited: usize,
  tag: u32,
  flags: usize,
  reject: i32,
  entry: i32,
  entryScore: f32,
  ef: i32,
  candidates: usize,
  results: usize,
  outSlots: usize,
  outScores: usize,
  int8: i32,
  query8: usize,
  rows8: usize,
  stride8: i32,
  scales: usize,
  squaredNorms: usize,
  queryScale: f64,
  querySquared: f64,
): i32 {
  let candidateCount = 0;
  let resultCount = 0;
  store<u16>(visited + ((<usize>entry) << 1), tag);
  heapPush(candidates, candidateCount++, true, entry, entryScore);
  if ((<i32>load<u8>(flags + <usize>entry) & reject) === 0) heapPush(results, resultCount++, false, entry, entryScore);
  let lowerBound: f32 = resultCount > 0 ? load<f32>(results) : -Infinity;
  const stride = (<usize>linkStride) << 2;
  const rowBase = int8 !== 0 ? rows8 : rows;
  const rowBytes: usize = int8 !== 0 ? <usize>stride8 : (<usize>dims) << 2;
  const touchBytes: usize = max<usize>(1, min<usize>(rowBytes >> 7, 24)) << 6;
  const perSlot = int8 !== 0 ? scales : inverseNorms;
  let sink: i32 = 0;
  while (candidateCount > 0) {
    if (load<f32>(candidates) < lowerBound && resultCount >= ef) break;
    const current = load<i32>(candidates, 4);
    heapPop(candidates, candidateCount--, true);
    const list = links + <usize>current * stride;
    const count = load<i32>(list);
    // Warm-up pass, in place of hnswlib's `_mm_prefetch` (WebAssembly has no prefetch): a load from each
    // unvisited neighbour's row (every cache line of its first half) and its per-slot norm or scale before any
    // of them is scored, so their cache misses overlap instead of each stalling its own distance computation.
    // The loads feed `sink`, stored at the end, so no optimizer drops them. Same visits, same results.
    for (let i = 0; i < count; i++) {
      const neighbour = load<i32>(list + ((<usize>i + 1) << 2));
      if (<u32>load<u16>(visited + ((<usize>neighbour) << 1)) === tag) continue;
      const row = rowBase + <usize>neighbour * rowBytes;
      for (let line: usize = 0; line < touchBytes; line += 64) sink ^= load<i32>(row + line);
      sink ^= load<i32>(perSlot + ((<usize>neighbour) << 2));
    }
    for (let i = 0; i < count; i++) {
      const neighbour = load<i32>(list + ((<usize>i + 1) << 2));
      const seen = visited + ((<usize>neighbour) << 1);
      if (<u32>load<u16>(seen) === tag) continue;
      store<u16>(seen, tag);
      const score =
        int8 !== 0
          ? similarityI8(
              metric,
              query8,
              queryScale,
              queryInverse,
              querySquared,
              rows8,
              stride8,
              scales,
              inverseNorms,
              squaredNorms,
              neighbour,
            )
          : similarity(metric, query, queryInverse, rows, inverseNorms, neighbour, dims);
      if (resultCount < ef || score > lowerBound) {
        heapPush(candidates, candidateCount++, true, neighbour, score);
        if ((<i32>load<u8>(flags + <usize>neighbour) & reject) === 0) {
          heapPush(results, resultCount++, false, neighbour, score);
          if (resultCount > ef) heapPop(results, resultCount--, false);
          lowerBound = load<f32>(results);
        }
      }
    }
    // Likewise the link list of the next node to expand.
    if (candidateCount > 0) sink ^= load<i32>(links + <usize>load<i32>(candidates, 4) * stride);
  }
  store<i32>(outSlots, sink);
  // Drain the min-heap worst first into the output from its end: best first.
  const total = resultCount;
  for (let at = total - 1; at >= 0; at--) {
    store<f32>(outScores + ((<usize>at) << 2), load<f32>(results));
    store<i32>(outSlots + ((<usize>at) << 2), load<i32>(results, 4));
    heapPop(results, resultCount--, false);
  }
  return total;
}
