import { describe, expect, it } from 'vitest';
import { connectUnreachable, reachable } from './graph-reachability.js';

/** Layer-0 blocks `[count, …ids]` of `stride` ints from adjacency lists. */
function blocks(lists: number[][], stride: number): Int32Array {
  const links = new Int32Array(lists.length * stride);
  lists.forEach((list, node) => {
    links[node * stride] = list.length;
    links.set(list, node * stride + 1);
  });
  return links;
}

function lists(links: Int32Array, size: number, stride: number): number[][] {
  return Array.from({ length: size }, (_, node) =>
    Array.from(links.subarray(node * stride + 1, node * stride + 1 + links[node * stride]!)),
  );
}

describe('connectUnreachable', () => {
  it('links an orphan from a reachable neighbour with room', () => {
    // Node 3 links out to 1 and 2, but nothing links to it.
    const links = blocks(
      [
        [1, 2],
        [0, 2],
        [0, 1],
        [1, 2],
      ],
      4,
    );
    expect(Array.from(reachable(links, 4, 4, 0))).toEqual([1, 1, 1, 0]);
    expect(connectUnreachable(links, 4, 4, 0)).toBe(1);
    expect(lists(links, 4, 4)[1]).toEqual([0, 2, 3]);
    expect(Array.from(reachable(links, 4, 4, 0))).toEqual([1, 1, 1, 1]);
  });

  it('replaces, in a full list, the link whose target keeps other in-links', () => {
    // stride 3: at most 2 links. Node 3 is an orphan and its first neighbour, 1, has a full list [0, 2].
    const links = blocks(
      [
        [1, 2],
        [0, 2],
        [0, 1],
        [1, 0],
      ],
      3,
    );
    links[2 * 3 + 2] = 0; // node 2 -> [0, 0]: node 0 now has the most in-links (from 1, 2 twice, 3)
    expect(connectUnreachable(links, 4, 3, 0)).toBe(1);
    const after = lists(links, 4, 3);
    expect(after[1]).toEqual([3, 2]);
    expect(Array.from(reachable(links, 4, 3, 0))).toEqual([1, 1, 1, 1]);
  });

  it('leaves a connected graph alone', () => {
    const links = blocks([[1], [2], [0]], 3);
    const before = links.slice();
    expect(connectUnreachable(links, 3, 3, 0)).toBe(0);
    expect(links).toEqual(before);
  });
});
