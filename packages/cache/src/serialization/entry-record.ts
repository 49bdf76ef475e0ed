import type { CacheEntry } from '../drivers/driver.js';

/**
 * The fields of a stored cache entry, under the short names both stored formats use: msgpackr bodies (format
 * version 2, codec.ts) hold this record, version-1 bodies (codec-v1.ts) its JSON form.
 */
export interface EntryRecord {
  /** The key. */
  k: string;
  /** Created at (epoch ms). */
  c: number;
  /** Expires at (epoch ms). */
  e?: number;
  /** Stale until (epoch ms). */
  s?: number;
  /** Tags. */
  t?: readonly string[];
  /** Tag versions, aligned with `t`. */
  r?: readonly (number | string)[];
  /** A cached failure. */
  n?: true;
  /** The value. */
  v: unknown;
}

/** True when `record` has what every stored entry has: a string key and a numeric creation time. */
export function isEntryRecord(record: unknown): record is EntryRecord {
  return (
    typeof record === 'object' &&
    record !== null &&
    typeof (record as EntryRecord).k === 'string' &&
    typeof (record as EntryRecord).c === 'number'
  );
}

/** The entry a record holds, with `value` as the caller decoded it (version 1 stores some values as a tree). */
export function entryFromRecord(record: EntryRecord, value: unknown): CacheEntry {
  const entry: CacheEntry = { value, createdAt: record.c };
  if (typeof record.e === 'number') entry.expiresAt = record.e;
  if (typeof record.s === 'number') entry.staleUntil = record.s;
  if (Array.isArray(record.t)) entry.tags = record.t;
  if (Array.isArray(record.r)) entry.tagVersions = record.r;
  if (record.n === true) entry.negative = true;
  return entry;
}
