import { TopK } from '../kernels/top-k.js';
import type { VectorStorage } from './vector-storage.js';

/** Candidate slots with internal similarities, best first. */
export interface Candidates {
  slots: number[];
  similarities: number[];
}

/**
 * Exact top-k over all slots (`slots` undefined) or over the given slots, skipping deleted ones. With int8
 * rows it scores int8 first and re-ranks a shortlist of `shortlist` with float32 when the rows are kept.
 */
export function exactSearch(
  storage: VectorStorage,
  topK: number,
  useInt8: boolean,
  shortlist: number,
  slots?: Int32Array,
): Candidates {
  const firstPass = useInt8 && storage.canScoreFloat32 ? Math.max(topK, shortlist) : topK;
  const best = new TopK(firstPass);
  const deleted = storage.deleted;
  if (slots === undefined) {
    const count = storage.size;
    const scores = storage.scoreRange(0, count, useInt8);
    for (let slot = 0; slot < count; slot++) {
      const score = scores[slot]!;
      if (score > best.threshold && deleted[slot] === 0) best.push(slot, score);
    }
  } else if (slots.length > 0) {
    const scores = storage.scoreSlots(slots, slots.length, useInt8);
    for (let r = 0; r < slots.length; r++) {
      const score = scores[r]!;
      if (score > best.threshold && deleted[slots[r]!] === 0) best.push(slots[r]!, score);
    }
  }
  const first = best.sorted();
  if (!(useInt8 && storage.canScoreFloat32)) return { slots: first.items, similarities: first.scores };
  return rerank(storage, first.items, topK);
}

/** Re-scores candidates with float32 rows and keeps the best `topK`. */
export function rerank(storage: VectorStorage, candidates: readonly number[], topK: number): Candidates {
  const final = new TopK(topK);
  const scores = storage.scoreSlots(candidates, candidates.length, false);
  for (let r = 0; r < candidates.length; r++) final.push(candidates[r]!, scores[r]!);
  const sorted = final.sorted();
  return { slots: sorted.items, similarities: sorted.scores };
}
