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

/** Nanoseconds per call of `run`, awaited one after another `calls` times. */
export async function nsPerCall(run: () => unknown, calls: number): Promise<number> {
  const started = performance.now();
  for (let index = 0; index < calls; index++) await run();
  return ((performance.now() - started) * 1e6) / calls;
}

/**
 * Ours and a peer timed in alternating rounds after a warm-up (so neither always runs on a cooler machine), the
 * best round of each: the figure least disturbed by other work on a shared machine.
 */
export async function sideBySideNs(
  ours: () => unknown,
  peer: () => unknown,
  calls: number,
  rounds = 5,
): Promise<{ ours: number; peer: number }> {
  await nsPerCall(ours, Math.ceil(calls / 5));
  await nsPerCall(peer, Math.ceil(calls / 5));
  const oursNs: number[] = [];
  const peerNs: number[] = [];
  for (let round = 0; round < rounds; round++) {
    oursNs.push(await nsPerCall(ours, calls));
    peerNs.push(await nsPerCall(peer, calls));
  }
  return { ours: Math.min(...oursNs), peer: Math.min(...peerNs) };
}
