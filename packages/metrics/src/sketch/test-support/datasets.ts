/**
 * Test data for the quantile sketch: a seeded generator (failures reproduce) and the datasets of the reference
 * DDSketch test suite (DataDog/sketches-js `test/datasets.ts`), written again here with the seeded generator.
 */

import { createSeededRandom } from '@agenticgen/core/testing';

/** Deterministic pseudo-random numbers in [0, 1): core's seeded generator. */
export const random = createSeededRandom;

export const referenceDatasets: Record<string, (size: number) => number[]> = {
  increasing: (size) => Array.from({ length: size }, (_, index) => index),
  decreasing: (size) => Array.from({ length: size }, (_, index) => size - 1 - index),
  random: (size) => {
    const next = random(size);
    return Array.from({ length: size }, () => next());
  },
  'random integers': (size) => {
    const next = random(size + 1);
    return Array.from({ length: size }, () => Math.floor(next() * 100));
  },
  constant: (size) => new Array<number>(size).fill(42),
  'constant negative': (size) => new Array<number>(size).fill(-42),
  'positive and negative': (size) => {
    const next = random(size + 2);
    return Array.from({ length: size }, (_, index) => (next() > 0.5 ? index : -index));
  },
};

/** The reference suite's exact quantile: the sorted value at rank `floor(q * (n - 1))`. */
export function exactQuantile(data: readonly number[], q: number): number {
  const sorted = data.slice().sort((a, b) => a - b);
  return sorted[Math.floor(q * (sorted.length - 1))]!;
}
