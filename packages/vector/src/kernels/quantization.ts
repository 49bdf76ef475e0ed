/**
 * Symmetric per-vector int8 quantization: q[i] = round(v[i] / scale) with scale = max|v| / 127, so
 * dot(a, b) ≈ scaleA · scaleB · Σ qa[i]·qb[i]. The error is bounded by half a step per component; the
 * indexes re-rank the int8 shortlist with float32 vectors when they keep them.
 */
export function quantizeInt8(vector: ArrayLike<number>, target: Int8Array, offset: number): number {
  let maxAbs = 0;
  for (let i = 0; i < vector.length; i++) {
    const magnitude = Math.abs(vector[i]!);
    if (magnitude > maxAbs) maxAbs = magnitude;
  }
  if (maxAbs === 0) {
    target.fill(0, offset, offset + vector.length);
    return 0;
  }
  const scale = maxAbs / 127;
  const inverse = 1 / scale;
  for (let i = 0; i < vector.length; i++) {
    const value = Math.round(vector[i]! * inverse);
    target[offset + i] = Math.max(-127, Math.min(127, value));
  }
  return scale;
}

/** Inverse of `quantizeInt8` (approximate). */
export function dequantizeInt8(source: Int8Array, offset: number, length: number, scale: number): Float32Array {
  const vector = new Float32Array(length);
  for (let i = 0; i < length; i++) vector[i] = source[offset + i]! * scale;
  return vector;
}
