import type { CacheEntry } from '../drivers/driver.js';
import { type EntryRecord, entryFromRecord, isEntryRecord } from './entry-record.js';
import { decodeTree, MalformedTreeError } from './value-tree.js';

/**
 * Reads bodies of format version 1 (JSON + value tree + aligned blobs), which the file, IndexedDB and Redis drivers
 * wrote before the switch to msgpackr, so entries already on disk or in Redis stay hits after an upgrade:
 *
 *   [JSON length uint32 LE][JSON: key, metadata, value tree][pad to 8][binary blobs]
 *
 * Throws `MalformedTreeError` (or a parse error) on anything else; the caller reports it as corrupt.
 */

/** The JSON part of a version-1 body. */
interface EntryJsonV1 extends EntryRecord {
  /** 1 when `v` holds no `$agc` marker (entries from before this flag lack it). */
  p?: 1;
}

const decoder = new TextDecoder('utf-8', { fatal: true });

export function decodeBodyV1(body: Uint8Array): { key: string; entry: CacheEntry } {
  if (body.length < 4) throw new MalformedTreeError('no JSON length');
  const jsonEnd = 4 + new DataView(body.buffer, body.byteOffset, body.byteLength).getUint32(0, true);
  const blobStart = jsonEnd + ((8 - (jsonEnd % 8)) % 8);
  const json = JSON.parse(decoder.decode(body.subarray(4, jsonEnd))) as EntryJsonV1;
  if (!isEntryRecord(json)) throw new MalformedTreeError('missing key or createdAt');
  const value = json.p === 1 ? json.v : decodeTree(json.v, body.subarray(blobStart));
  return { key: json.k, entry: entryFromRecord(json, value) };
}
