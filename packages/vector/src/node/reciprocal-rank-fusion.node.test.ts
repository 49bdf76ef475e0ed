import { describe, expect, it } from 'vitest';
import { fuseByReciprocalRank } from './lancedb-store.js';

const match = (id: string) => ({ id, score: 0, metadata: { id } });

describe('fuseByReciprocalRank', () => {
  it('rewards matches ranked well on both sides and reports both ranks', () => {
    const fused = fuseByReciprocalRank([match('a'), match('b'), match('c')], [match('c'), match('d'), match('a')], 60);
    expect(fused.map((entry) => entry.id)).toEqual(['a', 'c', 'b', 'd']);
    expect(fused[0]).toMatchObject({ id: 'a', vectorRank: 1, textRank: 3 });
    expect(fused[0]!.score).toBeCloseTo(1 / 61 + 1 / 63, 10);
    expect(fused.find((entry) => entry.id === 'd')).toMatchObject({ textRank: 2, score: 1 / 62 });
    expect(fused.find((entry) => entry.id === 'd')!.vectorRank).toBeUndefined();
  });

  it('handles an empty side', () => {
    expect(fuseByReciprocalRank([], [match('x')], 60).map((entry) => entry.id)).toEqual(['x']);
    expect(fuseByReciprocalRank([], [], 60)).toEqual([]);
  });
});
