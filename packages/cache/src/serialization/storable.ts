import { Packr } from 'msgpackr';
import { cacheError } from '../errors.js';

/**
 * The msgpackr configuration of the stored format (codec.ts) and of the memory driver's copies: `moreTypes` keeps
 * typed arrays, `ArrayBuffer`, `Set` and `undefined` as themselves; without `structuredClone` msgpackr does not
 * track references (cycles are refused by `assertStorable` first). Each body carries its own record definitions,
 * so any process can read it.
 */
export const packr = new Packr({ moreTypes: true, structuredClone: false });

/**
 * The driver contract's rule for what a cache value may hold, checked before msgpackr packs it: msgpackr itself
 * would pack a bigint as int64, a class instance as a plain object and a function as nothing, and recurse without
 * end on a cycle, so each of those would come back as a different value. JSON data, typed arrays, `ArrayBuffer`,
 * `DataView`, `Date`, `Map`, `Set`, `undefined` and non-finite numbers pass. The walk allocates nothing but the
 * set of objects on the current path.
 */
export function assertStorable(value: unknown, path: Set<object> = new Set()): void {
  if (value === null || value === undefined) return;
  const type = typeof value;
  if (type === 'string' || type === 'number' || type === 'boolean') return;
  if (type !== 'object') {
    throw cacheError(
      'cache-value-unsupported',
      `cannot store a ${type}; values must be JSON data, typed arrays, ArrayBuffer, Date, Map or Set`,
    );
  }
  const object = value as object;
  if (ArrayBuffer.isView(object) || object instanceof ArrayBuffer || object instanceof Date) return;
  if (path.has(object)) throw cacheError('cache-value-unsupported', 'cannot store a value with a circular reference');
  path.add(object);
  try {
    if (Array.isArray(object)) {
      for (const item of object) assertStorable(item, path);
    } else if (object instanceof Map) {
      for (const [key, item] of object) {
        assertStorable(key, path);
        assertStorable(item, path);
      }
    } else if (object instanceof Set) {
      for (const item of object) assertStorable(item, path);
    } else {
      const prototype = Object.getPrototypeOf(object);
      if (prototype !== Object.prototype && prototype !== null) {
        throw cacheError(
          'cache-value-unsupported',
          `cannot store an instance of ${(object as { constructor?: { name?: string } }).constructor?.name ?? 'a class'}; convert it to plain data first`,
        );
      }
      const record = object as Record<string, unknown>;
      for (const key in record) assertStorable(record[key], path);
    }
  } finally {
    path.delete(object);
  }
}

/** A deep copy under the same rules and encoding as the serialising drivers, so the memory driver accepts the same values. */
export function cloneStorable(value: unknown): unknown {
  assertStorable(value);
  return packr.unpack(packr.pack(value));
}
