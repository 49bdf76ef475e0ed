import { describe, expect, it } from 'vitest';
import { crc32 } from './crc32.js';

/** The textbook bit-at-a-time CRC-32: the checksum the header stores must agree with it on every length and offset. */
function reference(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? 0xedb88320 ^ (crc >>> 1) : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

describe('crc32', () => {
  it('matches the standard check value', () => {
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
    expect(crc32(new Uint8Array(0))).toBe(0);
  });

  it("passes the crc-32 package's own vectors (its README), unsigned as the header stores them", () => {
    const utf8 = (text: string) => new TextEncoder().encode(text);
    expect(crc32(utf8('SheetJS')) | 0).toBe(-1647298270);
    expect(crc32(utf8('Sh')) | 0).toBe(-1826163454);
    expect(crc32(utf8('Sheet'))).toBe(1191034598);
    expect(crc32(utf8('foo bar baz\u066a\u2603\u{1f363}'))).toBe(1531648243);
    expect(crc32(utf8('this is a test\n'))).toBe(1912935186);
    expect(crc32(utf8('SheetJS'))).toBeGreaterThan(0);
  });

  it('agrees with the bitwise definition for every length, offset and tail', () => {
    const data = new Uint8Array(200);
    for (let index = 0; index < data.length; index++) data[index] = (index * 151 + 7) & 0xff;
    data[50] = 0xff;
    data[51] = 0x80;
    for (let offset = 0; offset < 9; offset++) {
      for (let length = 0; length + offset <= 120; length++) {
        const slice = data.subarray(offset, offset + length);
        expect(crc32(slice), `offset ${offset} length ${length}`).toBe(reference(slice));
      }
    }
  });

  it('changes when any single bit flips', () => {
    const data = new TextEncoder().encode('{"k":"ns:k:key","c":1,"v":{"a":[1,2,3]}}');
    const original = crc32(data);
    for (let index = 0; index < data.length; index++) {
      for (let bit = 0; bit < 8; bit++) {
        const copy = data.slice();
        copy[index] = (copy[index] as number) ^ (1 << bit);
        expect(crc32(copy)).not.toBe(original);
      }
    }
  });
});
