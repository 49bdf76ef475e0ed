/** Deterministic documentation-like passages for the worker tests (distinct texts, shared vocabulary). */
export function passages(count: number): string[] {
  const words = ['index', 'vector', 'worker', 'embed', 'query', 'graph', 'layer', 'memory', 'thread', 'buffer'];
  return Array.from({ length: count }, (_, index) => {
    const picked = [0, 1, 2, 3, 4, 5].map((step) => words[(index * (step + 3) + step * step) % words.length]);
    return `passage ${index}: ${picked.join(' ')} number ${index % 97} section ${Math.floor(index / 7)}`;
  });
}
