import { describe, expect, it } from 'vitest';
import { createRandom } from '../testing/random-vectors.js';
import { BinaryReader, BinaryWriter, crc32, portableCrc32 } from './binary-io.js';

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

describe('crc32 in sections', () => {
  it('continues from a previous value (a file is checked section by section)', () => {
    const random = createRandom(9);
    const bytes = Uint8Array.from({ length: 5000 }, () => Math.floor(random() * 256));
    const whole = referenceCrc32(bytes, 0, bytes.length);
    for (const cut of [0, 1, 17, 2500, 4999, 5000]) {
      const first = crc32(bytes, 0, cut);
      expect(crc32(bytes, cut, bytes.length, first)).toBe(whole);
      expect(portableCrc32(bytes.subarray(cut), portableCrc32(bytes.subarray(0, cut), 0))).toBe(whole);
    }
  });
});

describe('strings', () => {
  it('round-trips ASCII (the fast path), non-ASCII and long strings, and refuses invalid UTF-8', () => {
    const values = ['', 'doc-17', 'a'.repeat(64), 'b'.repeat(65), 'r-1-ü', '日本語', `x${'é'.repeat(40)}`];
    const writer = new BinaryWriter();
    for (const value of values) writer.string(value);
    const bytes = writer.finish();
    const reader = new BinaryReader(bytes, bytes.length - 4);
    expect(values.map(() => reader.string())).toEqual(values);
    expect(reader.remaining).toBe(0);
    const invalid = new BinaryReader(Uint8Array.from([2, 0, 0, 0, 0x41, 0xff]));
    expect(() => invalid.string()).toThrow(expect.objectContaining({ code: 'corrupt-index' }));
  });
});
