import { describe, expect, it } from 'vitest';
import { createRandom } from '../testing/random-vectors.js';
import { crc32 } from './binary-io.js';

/** The bit-by-bit CRC-32 (IEEE) definition, to check the table-driven one against. */
function referenceCrc32(bytes: Uint8Array, start: number, end: number): number {
  let crc = 0xffffffff;
  for (let i = start; i < end; i++) {
    crc ^= bytes[i]!;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? 0xedb88320 ^ (crc >>> 1) : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

describe('crc32', () => {
  it('gives the standard check value and matches the bitwise definition at any offset and length', () => {
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
    const random = createRandom(8);
    const bytes = Uint8Array.from({ length: 300 }, () => Math.floor(random() * 256));
    for (let trial = 0; trial < 200; trial++) {
      const start = Math.floor(random() * 40);
      const end = start + Math.floor(random() * 260);
      expect(crc32(bytes, start, end)).toBe(referenceCrc32(bytes, start, end));
    }
  });
});
