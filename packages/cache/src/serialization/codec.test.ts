import { AgenticGenError } from '@agenticgen/core';
import { describe, expect, it } from 'vitest';
import { sizeOf } from '../cache/size-of.js';
import { decodeEntry, encodeEntry } from './codec.js';
import { crc32 } from './crc32.js';

describe('entry codec', () => {
  it('round-trips values that JSON alone would lose', async () => {
    const value = {
      vector: new Float32Array([1.5, Number.NaN, -0.25]),
      odd: new Uint8Array([1, 2, 3]).subarray(1), // a view with an offset
      buffer: new Uint8Array([9, 8]).buffer,
      big: new BigInt64Array([2n ** 40n]),
      missing: undefined,
      infinite: Number.POSITIVE_INFINITY,
      list: [undefined, null],
      escaped: { $agc: ['Date', 0] },
    };
    const bytes = await encodeEntry('ns:k:v', { value, createdAt: 5, expiresAt: 10, staleUntil: 20, tags: ['a'] });
    const { key, entry } = await decodeEntry(bytes);
    expect(key).toBe('ns:k:v');
    expect(entry).toEqual({ value, createdAt: 5, expiresAt: 10, staleUntil: 20, tags: ['a'] });
    const decoded = entry.value as typeof value;
    expect(decoded.odd).toEqual(new Uint8Array([2, 3]));
    expect(decoded.buffer).toBeInstanceOf(ArrayBuffer);
    expect(decoded.escaped).toEqual({ $agc: ['Date', 0] });
  });

  it('compresses large bodies when asked and only when it helps', async () => {
    const text = 'the same sentence again. '.repeat(400);
    const plain = await encodeEntry('k', { value: text, createdAt: 1 });
    const compressed = await encodeEntry('k', { value: text, createdAt: 1 }, { compression: true });
    expect(compressed.length).toBeLessThan(plain.length / 5);
    expect((await decodeEntry(compressed)).entry.value).toBe(text);
    const random = crypto.getRandomValues(new Uint8Array(4096));
    const incompressible = await encodeEntry('k', { value: random, createdAt: 1 }, { compression: true });
    expect((await decodeEntry(incompressible)).entry.value).toEqual(random);
  });

  it('rejects every truncation and any flipped byte as cache-entry-corrupt', async () => {
    const bytes = await encodeEntry('k', { value: { a: 'x'.repeat(50), v: new Float32Array(8) }, createdAt: 1 });
    for (let length = 0; length < bytes.length; length += 7) {
      const error = await decodeEntry(bytes.subarray(0, length)).catch((caught: unknown) => caught);
      expect(AgenticGenError.hasCode(error, 'cache-entry-corrupt')).toBe(true);
    }
    for (let index = 0; index < bytes.length; index++) {
      const copy = bytes.slice();
      copy[index] = (copy[index] as number) ^ 0x40;
      const error = await decodeEntry(copy).catch((caught: unknown) => caught);
      expect(AgenticGenError.hasCode(error, 'cache-entry-corrupt'), `flip at ${index}`).toBe(true);
    }
  });

  it('decodes plain JSON values without a tree walk and still reads entries from older writers', async () => {
    const value = { id: 1, name: 'n', list: [1, 'two', null, { deep: true }], empty: {}, minusZero: -0 };
    const bytes = await encodeEntry('k', { value, createdAt: 3 });
    const decoded = (await decodeEntry(bytes)).entry.value;
    expect(decoded).toEqual({ ...value, minusZero: 0 }); // JSON has no -0, as before
    expect(decoded).not.toBe(value);
    // A marker anywhere turns the fast path off for the whole value.
    const mixed = { plain: { a: 1 }, when: new Date(5) };
    expect((await decodeEntry(await encodeEntry('k', { value: mixed, createdAt: 3 }))).entry.value).toEqual(mixed);

    // An entry written before the plain flag existed: same layout, JSON without "p". It must decode the same.
    const json = new TextEncoder().encode(JSON.stringify({ k: 'k', c: 3, v: { id: 1, at: { $agc: ['Date', 7] } } }));
    const padding = (8 - ((4 + json.length) % 8)) % 8;
    const body = new Uint8Array(4 + json.length + padding);
    new DataView(body.buffer).setUint32(0, json.length, true);
    body.set(json, 4);
    const old = new Uint8Array(16 + body.length);
    old.set([0x41, 0x47, 0x43, 0x01], 0);
    new DataView(old.buffer).setUint32(8, crc32(body), true);
    new DataView(old.buffer).setUint32(12, body.length, true);
    old.set(body, 16);
    expect((await decodeEntry(old)).entry).toEqual({ value: { id: 1, at: new Date(7) }, createdAt: 3 });
  });
});

describe('sizeOf', () => {
  it('counts strings, binary data and JSON structures', () => {
    expect(sizeOf('abcd')).toBe(8);
    expect(sizeOf(new Float32Array(100))).toBe(400);
    expect(sizeOf(new Uint8Array(10).buffer)).toBe(10);
    expect(sizeOf({ a: 'xx' })).toBeGreaterThan(sizeOf('xx'));
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    expect(Number.isFinite(sizeOf(circular))).toBe(true);
  });
});
