import { cacheError } from '../errors.js';

/**
 * Turns a cache value into a JSON-safe tree plus binary blobs, and back. JSON covers plain data; typed arrays,
 * `ArrayBuffer`, `Date`, `Map`, `Set`, `undefined` and non-finite numbers become `{ "$agc": [kind, …] }` markers
 * so they survive a round trip. A user object that itself has a `$agc` key is escaped as an entry list, so no user
 * data can be mistaken for a marker.
 */

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const marker = '$agc';

const viewConstructors = {
  Int8Array,
  Uint8Array,
  Uint8ClampedArray,
  Int16Array,
  Uint16Array,
  Int32Array,
  Uint32Array,
  Float32Array,
  Float64Array,
  BigInt64Array,
  BigUint64Array,
  DataView,
} as const;
type ViewKind = keyof typeof viewConstructors;
const viewKinds = Object.keys(viewConstructors) as ViewKind[];

function viewKindOf(view: ArrayBufferView): ViewKind {
  const name = view.constructor.name as ViewKind;
  if (name in viewConstructors) return name;
  // Subclasses such as Node's Buffer come back as their standard base class.
  for (const kind of viewKinds) if (view instanceof viewConstructors[kind]) return kind;
  throw cacheError('cache-value-unsupported', `cannot store a ${view.constructor.name}; use a standard typed array`);
}

/** Collects blobs during encoding; offsets are aligned to 8 bytes so decoders can view them without copying. */
export class BlobWriter {
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

export function encodeTree(value: unknown, blobs: BlobWriter, path: Set<object> = new Set()): Json {
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

/** Thrown for trees that do not follow the encoding; callers turn it into `cache-entry-corrupt`. */
export class MalformedTreeError extends Error {}

export function decodeTree(tree: unknown, blobs: Uint8Array): unknown {
  if (tree === null || typeof tree !== 'object') return tree;
  if (Array.isArray(tree)) return tree.map((item) => decodeTree(item, blobs));
  const record = tree as Record<string, unknown>;
  const special = record[marker];
  if (special === undefined) {
    const result: Record<string, unknown> = {};
    for (const key of Object.keys(record)) result[key] = decodeTree(record[key], blobs);
    return result;
  }
  if (!Array.isArray(special) || typeof special[0] !== 'string') throw new MalformedTreeError('bad marker');
  const kind: string = special[0];
  switch (kind) {
    case 'undefined':
      return undefined;
    case 'number':
      return Number(special[1]);
    case 'Date':
      return new Date(special[1] as number);
    case 'Map':
      return new Map(
        (special[1] as unknown[][]).map(([key, item]) => [decodeTree(key, blobs), decodeTree(item, blobs)]),
      );
    case 'Set':
      return new Set((special[1] as unknown[]).map((item) => decodeTree(item, blobs)));
    case 'object': {
      const result: Record<string, unknown> = {};
      for (const [key, item] of special[1] as [string, unknown][]) result[key] = decodeTree(item, blobs);
      return result;
    }
    default: {
      const [offset, length] = [special[1], special[2]];
      if (typeof offset !== 'number' || typeof length !== 'number' || offset < 0 || offset + length > blobs.length) {
        throw new MalformedTreeError('blob out of range');
      }
      // A copy: the result owns an aligned buffer and never aliases the stored bytes.
      const buffer = blobs.slice(offset, offset + length).buffer;
      if (kind === 'ArrayBuffer') return buffer;
      const View = viewConstructors[kind as ViewKind];
      if (View === undefined) throw new MalformedTreeError(`unknown kind ${kind}`);
      if (View === DataView) return new DataView(buffer);
      const elementSize = (View as { BYTES_PER_ELEMENT: number }).BYTES_PER_ELEMENT;
      if (length % elementSize !== 0) throw new MalformedTreeError('blob length not a multiple of element size');
      return new (View as Float64ArrayConstructor)(buffer);
    }
  }
}

/** Deep copy with exactly the rules of the serialising drivers, so the memory driver accepts the same values. */
export function cloneValue(value: unknown): unknown {
  const blobs = new BlobWriter();
  const tree = encodeTree(value, blobs);
  // A plain tree is already a fresh deep copy made of new arrays and objects.
  return blobs.plain ? tree : decodeTree(tree, concat(blobs.parts, blobs.length));
}

export function concat(parts: readonly Uint8Array[], length: number): Uint8Array {
  const result = new Uint8Array(length);
  let offset = 0;
  for (const part of parts) {
    result.set(part, offset);
    offset += part.byteLength;
  }
  return result;
}
