import type { CacheEntry } from '../../drivers/driver.js';
import { cacheError } from '../../errors.js';
import { crc32 } from '../crc32.js';
import { marker, type ViewKind, viewConstructors } from '../value-tree.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
const viewKinds = Object.keys(viewConstructors) as ViewKind[];

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

function viewKindOf(view: ArrayBufferView): ViewKind {
  const name = view.constructor.name as ViewKind;
  if (name in viewConstructors) return name;
  // Subclasses such as Node's Buffer come back as their standard base class.
  for (const kind of viewKinds) if (view instanceof viewConstructors[kind]) return kind;
  throw cacheError('cache-value-unsupported', `cannot store a ${view.constructor.name}; use a standard typed array`);
}

/** Collects blobs during encoding; offsets are aligned to 8 bytes so decoders can view them without copying. */
class BlobWriter {
  readonly parts: Uint8Array[] = [];
  length = 0;
  /** True while the tree holds no `$agc` marker: then it is plain JSON and decoding needs no tree walk. */
  plain = true;

  add(bytes: Uint8Array): [number, number] {
    const offset = this.length;
    this.parts.push(bytes);
    this.length += bytes.byteLength;
    const padding = (8 - (this.length % 8)) % 8;
    if (padding > 0) {
      this.parts.push(new Uint8Array(padding));
      this.length += padding;
    }
    return [offset, bytes.byteLength];
  }
}

function encodeTree(value: unknown, blobs: BlobWriter, path: Set<object> = new Set()): Json {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') {
    if (Number.isFinite(value)) return value;
    blobs.plain = false;
    return { [marker]: ['number', String(value)] };
  }
  if (value === undefined) {
    blobs.plain = false;
    return { [marker]: ['undefined'] };
  }
  if (typeof value !== 'object') {
    throw cacheError(
      'cache-value-unsupported',
      `cannot store a ${typeof value}; values must be JSON data, typed arrays, ArrayBuffer, Date, Map or Set`,
    );
  }
  if (path.has(value)) throw cacheError('cache-value-unsupported', 'cannot store a value with a circular reference');
  if (ArrayBuffer.isView(value)) {
    const bytes = new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
    blobs.plain = false;
    return { [marker]: [viewKindOf(value), ...blobs.add(bytes)] };
  }
  if (value instanceof ArrayBuffer) {
    blobs.plain = false;
    return { [marker]: ['ArrayBuffer', ...blobs.add(new Uint8Array(value))] };
  }
  if (value instanceof Date) {
    blobs.plain = false;
    return { [marker]: ['Date', value.getTime()] };
  }
  path.add(value);
  try {
    if (Array.isArray(value)) return value.map((item) => encodeTree(item, blobs, path));
    if (value instanceof Map) {
      blobs.plain = false;
      const entries: Json[] = [];
      for (const [key, item] of value) entries.push([encodeTree(key, blobs, path), encodeTree(item, blobs, path)]);
      return { [marker]: ['Map', entries] };
    }
    if (value instanceof Set) {
      blobs.plain = false;
      const items: Json[] = [];
      for (const item of value) items.push(encodeTree(item, blobs, path));
      return { [marker]: ['Set', items] };
    }
    const prototype = Object.getPrototypeOf(value);
    if (prototype !== Object.prototype && prototype !== null) {
      throw cacheError(
        'cache-value-unsupported',
        `cannot store an instance of ${(value as { constructor?: { name?: string } }).constructor?.name ?? 'a class'}; convert it to plain data first`,
      );
    }
    const record = value as Record<string, unknown>;
    if (Object.hasOwn(record, marker)) {
      blobs.plain = false;
      return {
        [marker]: ['object', Object.entries(record).map(([key, item]) => [key, encodeTree(item, blobs, path)])],
      };
    }
    const result: { [key: string]: Json } = {};
    for (const key of Object.keys(record)) result[key] = encodeTree(record[key], blobs, path);
    return result;
  } finally {
    path.delete(value);
  }
}

function concat(parts: readonly Uint8Array[], length: number): Uint8Array {
  const result = new Uint8Array(length);
  let offset = 0;
  for (const part of parts) {
    result.set(part, offset);
    offset += part.byteLength;
  }
  return result;
}
