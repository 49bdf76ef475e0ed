/**
 * Layer-0 reachability repair for a parallel build. Nodes inserted at the same time do not see each other,
 * and the pruning of full neighbour lists can then drop every in-link of a node: it still routes nothing
 * and is never found. hnswlib's parallel build leaves such nodes; here each gets an in-link back from one of
 * its own neighbours that is reachable: into a free place, or replacing the link (in that list) whose target
 * has the most in-links, so no other node loses its last one.
 *
 * `links`: `[count, …ids]` blocks of `linkStride` ints per node. Returns how many nodes were reconnected.
 */
export function connectUnreachable(links: Int32Array, size: number, linkStride: number, entryPoint: number): number {
  const maxLinks = linkStride - 1;
  const inDegree = new Int32Array(size);
  for (let node = 0; node < size; node++) {
    const at = node * linkStride;
    for (let i = 1; i <= links[at]!; i++) inDegree[links[at + i]!]!++;
  }
  let repaired = 0;
  for (let round = 0; round < 8; round++) {
    const reached = reachable(links, size, linkStride, entryPoint);
    let missing = 0;
    let fixed = 0;
    for (let node = 0; node < size; node++) {
      if (reached[node] === 1) continue;
      missing++;
      const at = node * linkStride;
      // Its out-links are best first: prefer the closest reachable neighbour that can take the link.
      for (let i = 1; i <= links[at]!; i++) {
        const host = links[at + i]!;
        if (reached[host] !== 1) continue;
        const hostAt = host * linkStride;
        const count = links[hostAt]!;
        if (count < maxLinks) {
          links[hostAt + 1 + count] = node;
          links[hostAt] = count + 1;
        } else {
          let replace = -1;
          for (let j = 1; j <= count; j++) {
            const target = links[hostAt + j]!;
            if (inDegree[target]! > 1 && (replace < 0 || inDegree[target]! > inDegree[links[hostAt + replace]!]!)) {
              replace = j;
            }
          }
          if (replace < 0) continue;
          inDegree[links[hostAt + replace]!]!--;
          links[hostAt + replace] = node;
        }
        inDegree[node]!++;
        fixed++;
        break;
      }
    }
    repaired += fixed;
    if (missing === 0 || fixed === 0) break;
  }
  return repaired;
}

/** 1 for every node reachable from `entryPoint` over layer-0 links. */
export function reachable(links: Int32Array, size: number, linkStride: number, entryPoint: number): Uint8Array {
  const seen = new Uint8Array(size);
  const stack = new Int32Array(size);
  let top = 0;
  seen[entryPoint] = 1;
  stack[top++] = entryPoint;
  while (top > 0) {
    const at = stack[--top]! * linkStride;
    for (let i = 1; i <= links[at]!; i++) {
      const next = links[at + i]!;
      if (seen[next] === 0) {
        seen[next] = 1;
        stack[top++] = next;
      }
    }
  }
  return seen;
}
