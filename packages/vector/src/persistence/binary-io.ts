import { AgenticGenError } from '@agenticgen/core';

const crcTable = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** CRC-32 (IEEE), as in zip and PNG: catches truncation and bit flips. */
export function crc32(bytes: Uint8Array, start = 0, end = bytes.length): number {
  let crc = 0xffffffff;
  for (let i = start; i < end; i++) crc = crcTable[(crc ^ bytes[i]!) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/** An append-only little-endian writer that grows as needed. */
export class BinaryWriter {
  #bytes = new Uint8Array(1024);
  #view = new DataView(this.#bytes.buffer);
  length = 0;

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
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(this.bytes(length));
    } catch (error) {
      if (AgenticGenError.isInstance(error)) throw error;
      throw corrupt('invalid UTF-8 text');
    }
  }

  align4(): void {
    while (this.offset % 4 !== 0) this.u8();
  }

  float32Array(count: number): Float32Array {
    return new Float32Array(this.bytes(count * 4).buffer);
  }

  int32Array(count: number): Int32Array {
    return new Int32Array(this.bytes(count * 4).buffer);
  }
}
