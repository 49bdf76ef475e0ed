/**
 * Estimated memory footprint of a value in bytes, for the L1 byte bound. Strings count two bytes per UTF-16 code
 * unit (how engines hold them), binary data its byte length, numbers eight, containers the sum of their parts
 * plus a small per-slot overhead. An estimate, not a heap measurement: it bounds growth, it does not replace one.
 */
export function sizeOf(value: unknown, seen: Set<object> = new Set()): number {
  switch (typeof value) {
    case 'string':
      return value.length * 2;
    case 'number':
      return 8;
    case 'boolean':
      return 4;
    case 'bigint':
      return 16;
    case 'object': {
      if (value === null) return 0;
      if (ArrayBuffer.isView(value)) return value.byteLength;
      if (value instanceof ArrayBuffer) return value.byteLength;
      if (value instanceof Date) return 8;
      if (seen.has(value)) return 0;
      seen.add(value);
      let total = 16;
      if (Array.isArray(value)) {
        for (const item of value) total += 8 + sizeOf(item, seen);
      } else if (value instanceof Map) {
        for (const [key, item] of value) total += 16 + sizeOf(key, seen) + sizeOf(item, seen);
      } else if (value instanceof Set) {
        for (const item of value) total += 8 + sizeOf(item, seen);
      } else {
        for (const key of Object.keys(value)) {
          total += 8 + key.length * 2 + sizeOf((value as Record<string, unknown>)[key], seen);
        }
      }
      return total;
    }
    default:
      return 0;
  }
}
