import type { CacheEntry } from '../../drivers/driver.js';
import { crc32 } from '../crc32.js';
import { BlobWriter, concat, encodeTree } from '../value-tree.js';

/**
 * Writes an entry exactly as the cache did before the msgpackr switch (frame version 1, uncompressed), so tests can
 * check that such entries are still read after an upgrade.
 */
export function encodeEntryV1(key: string, entry: CacheEntry): Uint8Array {
  const blobs = new BlobWriter();
  const json: Record<string, unknown> = { k: key, c: entry.createdAt, v: encodeTree(entry.value, blobs) };
  if (entry.expiresAt !== undefined) json.e = entry.expiresAt;
  if (entry.staleUntil !== undefined) json.s = entry.staleUntil;
  if (entry.tags !== undefined) json.t = entry.tags;
  if (entry.tagVersions !== undefined) json.r = entry.tagVersions;
  if (entry.negative === true) json.n = true;
  if (blobs.plain) json.p = 1;
  const jsonBytes = new TextEncoder().encode(JSON.stringify(json));
  const jsonPadding = (8 - ((4 + jsonBytes.length) % 8)) % 8;
  const body = new Uint8Array(4 + jsonBytes.length + jsonPadding + blobs.length);
  new DataView(body.buffer).setUint32(0, jsonBytes.length, true);
  body.set(jsonBytes, 4);
  body.set(concat(blobs.parts, blobs.length), 4 + jsonBytes.length + jsonPadding);
  const bytes = new Uint8Array(16 + body.length);
  bytes.set([0x41, 0x47, 0x43, 0x01], 0);
  new DataView(bytes.buffer).setUint32(8, crc32(body), true);
  new DataView(bytes.buffer).setUint32(12, body.length, true);
  bytes.set(body, 16);
  return bytes;
}
