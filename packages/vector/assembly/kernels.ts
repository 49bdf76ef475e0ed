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
