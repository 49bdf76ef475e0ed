import type { CacheEntry } from '../drivers/driver.js';
import { cacheError } from '../errors.js';
import { decodeBodyV1 } from './codec-v1.js';
import { crc32 } from './crc32.js';
import { type EntryRecord, entryFromRecord, isEntryRecord } from './entry-record.js';
import { assertStorable, packr } from './storable.js';

/**
 * The byte format the file, IndexedDB and Redis drivers store:
 *
 *   0  "AGC" + format version (2)      4 bytes
 *   4  flags (bit 0: body is deflate-raw compressed), 3 reserved zero bytes
 *   8  CRC-32 of the body as stored     uint32 LE
 *  12  body length as stored            uint32 LE
 *  16  body: msgpackr (`moreTypes`) of { k: key, c, e?, s?, t?, r?, n?, v: value }
 *
 * Version 1 bodies (JSON + value tree, before msgpackr won bench/serializer.ts) are still read by codec-v1.ts, so
 * an upgrade keeps existing entries. The length and checksum make a torn write (a crash mid-write, a truncated
 * copy) or a flipped bit detectable, so such an entry is dropped instead of being served.
 */

const formatVersion = 2;
const magic = [0x41, 0x47, 0x43] as const;
const headerLength = 16;
const flagCompressed = 1;

export interface CodecOptions {
  /**
   * Compress bodies larger than `compressAboveBytes` with deflate (via `CompressionStream`, in Node and browsers).
   * Default false.
   */
  compression?: boolean;
  /** Bodies up to this size stay uncompressed even with `compression: true` (default 1024). */
  compressAboveBytes?: number;
}

export async function encodeEntry(key: string, entry: CacheEntry, options: CodecOptions = {}): Promise<Uint8Array> {
  assertStorable(entry.value);
  const record: EntryRecord = { k: key, c: entry.createdAt, v: entry.value };
  if (entry.expiresAt !== undefined && Number.isFinite(entry.expiresAt)) record.e = entry.expiresAt;
  if (entry.staleUntil !== undefined && Number.isFinite(entry.staleUntil)) record.s = entry.staleUntil;
  if (entry.tags !== undefined && entry.tags.length > 0) record.t = entry.tags;
  if (entry.tagVersions !== undefined && entry.tagVersions.length > 0) record.r = entry.tagVersions;
  if (entry.negative === true) record.n = true;
  let body: Uint8Array = packr.pack(record);

  let flags = 0;
  if (options.compression === true && body.length > (options.compressAboveBytes ?? 1024)) {
    const compressed = await transform(body, new CompressionStream('deflate-raw'));
    if (compressed.length < body.length) {
      body = compressed;
      flags |= flagCompressed;
    }
  }
  const result = new Uint8Array(headerLength + body.length);
  result.set(magic, 0);
  result[3] = formatVersion;
  result[4] = flags;
  const view = new DataView(result.buffer);
  view.setUint32(8, crc32(body), true);
  view.setUint32(12, body.length, true);
  result.set(body, headerLength);
  return result;
}

/** A decoded entry and the key it was stored under. */
export interface DecodedEntry {
  key: string;
  entry: CacheEntry;
}

/** Decodes and verifies an entry; any failed check is a `cache-entry-corrupt` error. */
export async function decodeEntry(bytes: Uint8Array): Promise<DecodedEntry> {
  return decodeEntryFast(bytes);
}

/**
 * Like `decodeEntry`, but answers synchronously for uncompressed entries (most of them): a Redis read then costs
 * no extra promise. Corrupt input throws synchronously or rejects.
 */
export function decodeEntryFast(bytes: Uint8Array): DecodedEntry | Promise<DecodedEntry> {
  if (!(bytes instanceof Uint8Array)) throw corrupt('not a byte array');
  if (bytes.length < headerLength) throw corrupt(`only ${bytes.length} bytes, shorter than the header`);
  for (let index = 0; index < magic.length; index++) {
    if (bytes[index] !== magic[index]) throw corrupt('unknown format marker');
  }
  const version = bytes[3] as number;
  if (version !== 1 && version !== formatVersion) throw corrupt(`unknown format version ${version}`);
  const flags = bytes[4] as number;
  if ((flags & ~flagCompressed) !== 0 || bytes[5] !== 0 || bytes[6] !== 0 || bytes[7] !== 0) {
    throw corrupt('unknown header flags');
  }
  const checksum = readUint32(bytes, 8);
  const length = readUint32(bytes, 12);
  if (bytes.length !== headerLength + length) {
    throw corrupt(`body is ${bytes.length - headerLength} bytes, header says ${length} (torn write?)`);
  }
  const body = bytes.subarray(headerLength);
  if (crc32(body) !== checksum) throw corrupt('checksum mismatch');
  const decodeBody = version === 1 ? decodeVersion1 : decodeVersion2;
  if ((flags & flagCompressed) === 0) return decodeBody(body);
  return transform(body, new DecompressionStream('deflate-raw')).then(decodeBody, (error: unknown) => {
    throw corrupt('compressed body does not inflate', error);
  });
}

function decodeVersion1(body: Uint8Array): DecodedEntry {
  try {
    return decodeBodyV1(body);
  } catch (error) {
    throw corrupt('body does not parse', error);
  }
}

function decodeVersion2(body: Uint8Array): DecodedEntry {
  let record: unknown;
  try {
    record = packr.unpack(body);
  } catch (error) {
    throw corrupt('body does not unpack', error);
  }
  if (!isEntryRecord(record)) throw corrupt('missing key or createdAt');
  return { key: record.k, entry: entryFromRecord(record, record.v) };
}

/** Little-endian uint32 without a DataView allocation (this runs on every L2 read). */
function readUint32(bytes: Uint8Array, offset: number): number {
  return (
    ((bytes[offset] as number) |
      ((bytes[offset + 1] as number) << 8) |
      ((bytes[offset + 2] as number) << 16) |
      ((bytes[offset + 3] as number) << 24)) >>>
    0
  );
}

function corrupt(reason: string, cause?: unknown) {
  return cacheError('cache-entry-corrupt', `stored entry is corrupt (${reason}); it was dropped and will be reloaded`, {
    cause,
  });
}

async function transform(bytes: Uint8Array, stream: CompressionStream | DecompressionStream): Promise<Uint8Array> {
  const response = new Response(new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(stream));
  return new Uint8Array(await response.arrayBuffer());
}
