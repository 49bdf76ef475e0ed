import type { SnapshotCacheEvent } from './sandbox-events.js';

/** What a snapshot depends on: any difference makes a stored one stale. */
export interface SnapshotKey {
  /** Names the stored entry: the same sandbox configuration (lock, packages, limits) always uses the same one. */
  slot: string;
  /** Pyodide's version and files. */
  pyodide: string;
  /** Hash of the code that runs inside the interpreter. */
  harness: string;
}

/** The record stored beside a snapshot (Node: `<slot>.json`; browser: a second Cache Storage entry). */
export interface SnapshotRecord {
  format: 1;
  pyodide: string;
  harness: string;
  bytes: number;
  sha256: string;
}

export type RefusalReason = NonNullable<SnapshotCacheEvent['reason']>;

/**
 * Judges a stored record before its snapshot is read: the reason to refuse it, or undefined when the snapshot
 * may be read (its size and sha256 are then checked with `checkSnapshotBytes`). Both runtimes use it.
 */
export function judgeRecord(
  record: Partial<SnapshotRecord> | null | undefined,
  key: SnapshotKey,
  size: number,
  maxBytes: number,
): RefusalReason | undefined {
  if (record?.format !== 1 || typeof record.sha256 !== 'string' || typeof record.bytes !== 'number') {
    return 'tampered';
  }
  if (record.pyodide !== key.pyodide || record.harness !== key.harness) return 'stale';
  if (record.bytes > maxBytes || size > maxBytes) return 'too-large';
  if (size < record.bytes) return 'truncated';
  if (size !== record.bytes) return 'tampered';
  return undefined;
}

/** The last check, on the bytes read: their length and sha256 against the record. */
export function checkSnapshotBytes(record: SnapshotRecord, length: number, sha256: string): RefusalReason | undefined {
  if (length < record.bytes) return 'truncated';
  if (length !== record.bytes || sha256 !== record.sha256) return 'tampered';
  return undefined;
}
