import { validateSnapshot } from '../snapshot/merge.js';
import type { MetricsSnapshot } from '../snapshot/snapshot.js';

/** Serialises a snapshot as JSON (sketches included, so quantiles can be recomputed and merged elsewhere). */
export function snapshotToJson(snapshot: MetricsSnapshot, space?: number): string {
  return JSON.stringify(snapshot, null, space);
}

/** Parses and validates JSON written by `snapshotToJson` (`invalid-snapshot` when it is anything else). */
export function snapshotFromJson(json: string): MetricsSnapshot {
  const value: unknown = JSON.parse(json);
  validateSnapshot(value);
  return value;
}
