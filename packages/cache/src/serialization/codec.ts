import type { CacheEntry } from '../drivers/driver.js';
import { cacheError } from '../errors.js';
import { crc32 } from './crc32.js';
import { BlobWriter, concat, decodeTree, encodeTree, MalformedTreeError } from './value-tree.js';

/**
 * The byte format the file, IndexedDB and Redis drivers store:
 *
 *   0  "AGC" + format version (1)      4 bytes
 *   4  flags (bit 0: body is deflate-raw compressed), 3 reserved zero bytes
 *   8  CRC-32 of the body as stored     uint32 LE
 *  12  body length as stored            uint32 LE
 *  16  body: [JSON length uint32 LE][JSON: key, metadata, value tree][pad to 8][binary blobs]
 *
 * The length and checksum make a torn write (a crash mid-write, a truncated copy) or a flipped bit detectable, so
 * such an entry is dropped instead of being served.
 */

const magic = [0x41, 0x47, 0x43, 0x01] as const;
const headerLength = 16;
const flagCompressed = 1;
const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

export interface CodecOptions {
  /**
   * Compress bodies larger than `compressAboveBytes` with deflate (via `CompressionStream`, in Node and browsers).
   * Default false.
   */
  compression?: boolean;
  /** Bodies up to this size stay uncompressed even with `compression: true` (default 1024). */
  compressAboveBytes?: number;
}

interface EntryJson {
  k: string;
  c: number;
  e?: number;
  s?: number;
  t?: readonly string[];
  /** Tag versions, aligned with `t`. */
  r?: readonly (number | string)[];
  n?: true;
  /** 1 when `v` holds no `$agc` marker: `JSON.parse` already produced the value (older entries lack it). */
  p?: 1;
  v: unknown;
}

export async function encodeEntry(key: string, entry: CacheEntry, options: CodecOptions = {}): Promise<Uint8Array> {
  const blobs = new BlobWriter();
  const json: EntryJson = { k: key, c: entry.createdAt, v: encodeTree(entry.value, blobs) };
  if (entry.expiresAt !== undefined && Number.isFinite(entry.expiresAt)) json.e = entry.expiresAt;
  if (entry.staleUntil !== undefined && Number.isFinite(entry.staleUntil)) json.s = entry.staleUntil;
  if (entry.tags !== undefined && entry.tags.length > 0) json.t = entry.tags;
  if (entry.tagVersions !== undefined && entry.tagVersions.length > 0) json.r = entry.tagVersions;
  if (entry.negative === true) json.n = true;
  if (blobs.plain) json.p = 1;
  const jsonBytes = encoder.encode(JSON.stringify(json));
  const jsonPadding = (8 - ((4 + jsonBytes.length) % 8)) % 8;
  const plainLength = 4 + jsonBytes.length + jsonPadding + blobs.length;
  let body: Uint8Array = new Uint8Array(plainLength);
  new DataView(body.buffer).setUint32(0, jsonBytes.length, true);
  body.set(jsonBytes, 4);
  body.set(concat(blobs.parts, blobs.length), 4 + jsonBytes.length + jsonPadding);

  let flags = 0;
  if (options.compression === true && plainLength > (options.compressAboveBytes ?? 1024)) {
    const compressed = await transform(body, new CompressionStream('deflate-raw'));
    if (compressed.length < body.length) {
      body = compressed;
      flags |= flagCompressed;
    }
  }
  const result = new Uint8Array(headerLength + body.length);
  result.set(magic, 0);
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
  if ((flags & flagCompressed) === 0) return decodeBody(body);
  return transform(body, new DecompressionStream('deflate-raw')).then(decodeBody, (error: unknown) => {
    throw corrupt('compressed body does not inflate', error);
  });
}

function decodeBody(body: Uint8Array): DecodedEntry {
  try {
    if (body.length < 4) throw new MalformedTreeError('no JSON length');
    const jsonEnd = 4 + readUint32(body, 0);
    const blobStart = jsonEnd + ((8 - (jsonEnd % 8)) % 8);
    const json = JSON.parse(decoder.decode(body.subarray(4, jsonEnd))) as EntryJson;
    if (typeof json !== 'object' || json === null || typeof json.k !== 'string' || typeof json.c !== 'number') {
      throw new MalformedTreeError('missing key or createdAt');
    }
    const value = json.p === 1 ? json.v : decodeTree(json.v, body.subarray(blobStart));
    const entry: CacheEntry = { value, createdAt: json.c };
    if (typeof json.e === 'number') entry.expiresAt = json.e;
    if (typeof json.s === 'number') entry.staleUntil = json.s;
    if (Array.isArray(json.t)) entry.tags = json.t;
    if (Array.isArray(json.r)) entry.tagVersions = json.r;
    if (json.n === true) entry.negative = true;
    return { key: json.k, entry };
  } catch (error) {
    throw corrupt('body does not parse', error);
  }
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
