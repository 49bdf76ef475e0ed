/**
 * The value tree of stored format version 1 (codec-v1.ts), read so entries written before the msgpackr switch
 * stay readable: a JSON tree in which typed arrays, `ArrayBuffer`, `Date`, `Map`, `Set`, `undefined` and
 * non-finite numbers are `{ "$agc": [kind, …] }` markers (a user object with its own `$agc` key is an escaped entry
 * list), binary data pointing into the blobs after the JSON. The writer lives in test-support/codec-v1-writer.ts.
 */

export const marker = '$agc';

export const viewConstructors = {
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
export type ViewKind = keyof typeof viewConstructors;

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
