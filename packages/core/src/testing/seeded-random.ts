/**
 * A seeded pseudo-random source in [0, 1) (mulberry32: exact 32-bit arithmetic, so the same seed gives the same
 * sequence in every runtime), for tests and benchmarks whose data must be reproducible when one fails.
 */
export function createSeededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = Math.imul(state ^ (state >>> 15), state | 1);
    mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), mixed | 61);
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4_294_967_296;
  };
}
