import { AgenticGenError } from '@agenticgen/core';
import { describe, expect, it } from 'vitest';
import { sizeOf } from '../cache/size-of.js';
import { decodeEntry, encodeEntry } from './codec.js';
import { encodeEntryV1 } from './test-support/codec-v1-writer.js';

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

  it('writes format version 2 (msgpackr) and still reads entries the version-1 codec wrote before the switch', async () => {
    const value = { id: 1, at: new Date(7), vector: new Float32Array([0.5, -1]), map: new Map([[1, 'one']]) };
    const written = await encodeEntry('k', { value, createdAt: 3, tags: ['t'], tagVersions: [2] });
    expect([...written.subarray(0, 4)]).toEqual([0x41, 0x47, 0x43, 2]);

    // Written by the old codec (as on disk or in Redis before an upgrade), read after the switch.
    const plain = { id: 1, name: 'n', list: [1, 'two', null, { deep: true }] };
    for (const old of [value, plain, { $agc: ['Date', 0] }]) {
      const bytes = encodeEntryV1('k', { value: old, createdAt: 3, expiresAt: 9, tags: ['t'], tagVersions: [2] });
      expect(bytes[3]).toBe(1);
      expect((await decodeEntry(bytes)).entry).toEqual({
        value: old,
        createdAt: 3,
        expiresAt: 9,
        tags: ['t'],
        tagVersions: [2],
      });
    }
  });

  it('never mis-decodes a body of another format version: an unknown version or a swapped one is corrupt', async () => {
    const current = await encodeEntry('k', { value: { a: 1 }, createdAt: 1 });
    const legacy = encodeEntryV1('k', { value: { a: 1 }, createdAt: 1 });
    // A valid checksum over the body but a version byte that does not match it.
    for (const [bytes, version] of [
      [current, 3],
      [current, 1],
      [legacy, 2],
    ] as const) {
      const copy = bytes.slice();
      copy[3] = version;
      const error = await decodeEntry(copy).catch((caught: unknown) => caught);
      expect(AgenticGenError.hasCode(error, 'cache-entry-corrupt'), `version ${version}`).toBe(true);
    }
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
