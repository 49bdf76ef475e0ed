/** The figure every core bench script reports: ours and each named peer, in one unit, from one run. */
import { readFileSync, writeFileSync } from 'node:fs';

export interface Figure {
  name: string;
  unit: string;
  ours: number;
  peers: Record<string, number>;
  /** Where the data comes from, when it is not synthetic. */
  data?: string;
  /** Measurements that explain the figure (e.g. heap growth per input size). */
  details?: Record<string, unknown>;
}

/**
 * Merges `figures` into bench/results.json, keeping the other scripts' figures (each script owns its names),
 * and prints each with its ratios.
 */
export function saveFigures(figures: readonly Figure[], digits = 3): void {
  const path = new URL('./results.json', import.meta.url);
  let existing: { figures?: Figure[] } = {};
  try {
    existing = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    existing = {};
  }
  const names = new Set(figures.map((figure) => figure.name));
  const merged = [...(existing.figures ?? []).filter((figure) => !names.has(figure.name)), ...figures];
  writeFileSync(
    path,
    `${JSON.stringify({ node: process.version, date: new Date().toISOString(), figures: merged }, null, 2)}\n`,
  );
  for (const figure of figures) {
    const peers = Object.entries(figure.peers)
      .map(([name, value]) => `${name} ${value.toFixed(digits)} (×${(value / figure.ours).toFixed(2)})`)
      .join(', ');
    console.log(`${figure.name}: ours ${figure.ours.toFixed(digits)} ${figure.unit}; ${peers}`);
  }
}
