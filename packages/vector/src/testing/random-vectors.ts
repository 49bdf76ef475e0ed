import { createSeededRandom } from '@agenticgen/core/testing';

/**
 * Seeded synthetic data for tests and benchmarks: Gaussian clusters, so nearest-neighbour structure looks
 * like real embeddings (uniform random vectors make every neighbour equally far).
 */
export function createRandom(seed: number): () => number {
  return createSeededRandom(seed >>> 0 || 1);
}

/** Standard normal samples (Box–Muller). */
export function createGaussian(random: () => number): () => number {
  return () => {
    const u = 1 - random();
    const v = random();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  };
}

/** `count` vectors of `dimensions` around `clusters` centres, as one row-major Float32Array. */
export function clusteredVectors(
  count: number,
  dimensions: number,
  options: { seed?: number; clusters?: number; spread?: number } = {},
): Float32Array {
  const random = createRandom(options.seed ?? 1);
  const gaussian = createGaussian(random);
  const clusters = options.clusters ?? Math.max(1, Math.round(Math.sqrt(count) / 4));
  const spread = options.spread ?? 0.35;
  const centres = new Float32Array(clusters * dimensions);
  for (let i = 0; i < centres.length; i++) centres[i] = gaussian();
  const data = new Float32Array(count * dimensions);
  for (let row = 0; row < count; row++) {
    const centre = Math.floor(random() * clusters) * dimensions;
    for (let d = 0; d < dimensions; d++) data[row * dimensions + d] = centres[centre + d]! + spread * gaussian();
  }
  return data;
}

/** Row `index` of a row-major matrix. */
export function row(matrix: Float32Array, dimensions: number, index: number): Float32Array {
  return matrix.subarray(index * dimensions, (index + 1) * dimensions);
}
