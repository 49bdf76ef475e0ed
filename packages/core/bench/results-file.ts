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
 * Merges `figures` into a bench/results.json (this folder's by default; other packages' benches pass their own),
 * keeping the other scripts' figures and keys (each script owns its figure names), and prints each with its
 * ratios. `notes` replace the notes starting with the same text before the first colon.
 */
export function saveFigures(
  figures: readonly Figure[],
  digits = 3,
  path: URL = new URL('./results.json', import.meta.url),
  notes: readonly string[] = [],
): void {
  let existing: { figures?: Figure[]; notes?: string[] } = {};
  try {
    existing = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    existing = {};
  }
  const names = new Set(figures.map((figure) => figure.name));
  const merged = [...(existing.figures ?? []).filter((figure) => !names.has(figure.name)), ...figures];
  const topic = (note: string) => note.split(':')[0];
  const topics = new Set(notes.map(topic));
  const keptNotes = [...(existing.notes ?? []).filter((note) => !topics.has(topic(note))), ...notes];
  const results = { ...existing, node: process.version, date: new Date().toISOString(), figures: merged };
  if (keptNotes.length > 0) results.notes = keptNotes;
  writeFileSync(path, `${JSON.stringify(results, null, 2)}\n`);
  for (const figure of figures) {
    const peers = Object.entries(figure.peers)
      .map(([name, value]) => `${name} ${value.toFixed(digits)} (×${(value / figure.ours).toFixed(2)})`)
      .join(', ');
    console.log(`${figure.name}: ours ${figure.ours.toFixed(digits)} ${figure.unit}; ${peers}`);
  }
}
