import { AgenticGenError } from '@agenticgen/core';
import CRC32 from 'crc-32';

/** A CRC-32 (IEEE) implementation continuing from `previous` (the CRC of the bytes before; 0 to start). */
export type Crc32 = (data: Uint8Array, previous: number) => number;

/**
 * The `crc-32` package: runs everywhere. The Node entry checks files with Node's native zlib.crc32 instead
 * (see `src/node/file-persistence.ts`), ~4× faster on an 80 MB index; both give the same checksums.
 */
export const portableCrc32: Crc32 = (data, previous) => CRC32.buf(data, previous | 0) >>> 0;

/**
 * CRC-32 (IEEE), as in zip and PNG, of `bytes[start, end)`, continuing from `previous`: catches truncation
 * and bit flips in a saved index, and lets a file be checked section by section.
 */
export function crc32(
  bytes: Uint8Array,
  start = 0,
  end = bytes.length,
  previous = 0,
  implementation: Crc32 = portableCrc32,
): number {
  return implementation(start === 0 && end === bytes.length ? bytes : bytes.subarray(start, end), previous) >>> 0;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** An append-only little-endian writer that grows as needed. */
export class BinaryWriter {
  #bytes: Uint8Array;
  #view: DataView;
  length = 0;

  /** `expectedBytes`: a size estimate, so a large index is not copied on every doubling. */
  constructor(expectedBytes = 1024) {
    this.#bytes = new Uint8Array(Math.max(16, expectedBytes));
    this.#view = new DataView(this.#bytes.buffer);
  }

  #ensure(extra: number): void {
    if (this.length + extra <= this.#bytes.length) return;
    const next = new Uint8Array(Math.max(this.length + extra, this.#bytes.length * 2));
    next.set(this.#bytes.subarray(0, this.length));
    this.#bytes = next;
    this.#view = new DataView(next.buffer);
  }

  u8(value: number): void {
    this.#ensure(1);
    this.#view.setUint8(this.length, value);
    this.length += 1;
  }

  u32(value: number): void {
    this.#ensure(4);
    this.#view.setUint32(this.length, value, true);
    this.length += 4;
  }

  i32(value: number): void {
    this.#ensure(4);
    this.#view.setInt32(this.length, value, true);
    this.length += 4;
  }

  f64(value: number): void {
    this.#ensure(8);
    this.#view.setFloat64(this.length, value, true);
    this.length += 8;
  }

  bytes(bytes: Uint8Array): void {
    this.#ensure(bytes.length);
    this.#bytes.set(bytes, this.length);
    this.length += bytes.length;
  }

  /** A length-prefixed UTF-8 string. */
  string(value: string): void {
    const encoded = new TextEncoder().encode(value);
    this.u32(encoded.length);
    this.bytes(encoded);
  }

  /** Pads with zeros to a multiple of 4 so typed-array sections stay aligned for readers. */
  align4(): void {
    while (this.length % 4 !== 0) this.u8(0);
  }

  /** The written bytes followed by their CRC-32. */
  finish(): Uint8Array {
    const crc = crc32(this.#bytes, 0, this.length);
    this.u32(crc);
    return this.#bytes.slice(0, this.length);
  }
}

/** Any structural problem while reading is a `corrupt-index` error. */
export function corrupt(problem: string): AgenticGenError {
  return new AgenticGenError(
    'corrupt-index',
    `[vector] the index data is corrupt or truncated (${problem}); restore it from a good copy or rebuild the index`,
  );
}

/** A bounds-checked little-endian reader over a byte array. */
export class BinaryReader {
  readonly #bytes: Uint8Array;
  readonly #view: DataView;
  readonly #end: number;
  offset = 0;

  constructor(bytes: Uint8Array, end = bytes.length) {
    this.#bytes = bytes;
    this.#view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.#end = end;
  }

  get remaining(): number {
    return this.#end - this.offset;
  }

  #need(count: number): void {
    if (!Number.isSafeInteger(count) || count < 0 || this.offset + count > this.#end) {
      throw corrupt(`needs ${count} bytes at offset ${this.offset}, ${this.#end - this.offset} left`);
    }
  }

  u8(): number {
    this.#need(1);
    return this.#view.getUint8(this.offset++);
  }

  u32(): number {
    this.#need(4);
    const value = this.#view.getUint32(this.offset, true);
    this.offset += 4;
    return value;
  }

  i32(): number {
    this.#need(4);
    const value = this.#view.getInt32(this.offset, true);
    this.offset += 4;
    return value;
  }

  f64(): number {
    this.#need(8);
    const value = this.#view.getFloat64(this.offset, true);
    this.offset += 8;
    return value;
  }

  bytes(count: number): Uint8Array {
    this.#need(count);
    // Uint8Array's slice always copies (Node's Buffer#slice would return a view of a shared pool).
    const slice = Uint8Array.prototype.slice.call(this.#bytes, this.offset, this.offset + count);
    this.offset += count;
    return slice;
  }

  string(): string {
    const length = this.u32();
    this.#need(length);
    const bytes = this.#bytes;
    const start = this.offset;
    if (length <= 64) {
      // Ids are short and mostly ASCII: building them code by code is ~10× faster than a TextDecoder call
      // per id (100k ids: ~5 ms instead of ~50 ms), and ASCII is its own UTF-8. Anything else is decoded.
      let text = '';
      let ascii = true;
      for (let i = start; i < start + length; i++) {
        const byte = bytes[i]!;
        if (byte > 0x7f) {
          ascii = false;
          break;
        }
        text += String.fromCharCode(byte);
      }
      if (ascii) {
        this.offset += length;
        return text;
      }
    }
    const text = bytes.subarray(start, start + length);
    this.offset += length;
    try {
      return utf8.decode(text);
    } catch (error) {
      if (AgenticGenError.isInstance(error)) throw error;
      throw corrupt('invalid UTF-8 text');
    }
  }

  align4(): void {
    while (this.offset % 4 !== 0) this.u8();
  }

  /** `count` floats, as a view of the input when it is 4-byte aligned (read it before the input changes). */
  float32View(count: number): Float32Array {
    const at = this.#bytes.byteOffset + this.offset;
    if (at % 4 !== 0) return this.float32Array(count);
    this.#need(count * 4);
    this.offset += count * 4;
    return new Float32Array(this.#bytes.buffer, at, count);
  }

  /** `count` int32s, as a view of the input when it is 4-byte aligned (read it before the input changes). */
  int32View(count: number): Int32Array {
    const at = this.#bytes.byteOffset + this.offset;
    if (at % 4 !== 0) return this.int32Array(count);
    this.#need(count * 4);
    this.offset += count * 4;
    return new Int32Array(this.#bytes.buffer, at, count);
  }

  float32Array(count: number): Float32Array {
    return new Float32Array(this.bytes(count * 4).buffer);
  }

  int32Array(count: number): Int32Array {
    return new Int32Array(this.bytes(count * 4).buffer);
  }
}
