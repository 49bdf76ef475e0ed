import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AgenticGenError } from '@agenticgen/core';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { createCache } from '../cache/tiered-cache.js';
import { encodeEntry } from '../serialization/codec.js';
import { runCacheDriverSuite } from './driver-suite.js';
import { createFileDriver } from './file.js';

const root = mkdtempSync(join(tmpdir(), 'agenticgen-file-driver-'));
let counter = 0;
const freshDirectory = () => join(root, `run-${counter++}`);
afterAll(() => rmSync(root, { recursive: true, force: true }));

// The file driver has no broker: invalidation across processes needs Redis (or a short l1.ttlMs).
runCacheDriverSuite('file', () => createFileDriver({ directory: freshDirectory() }), { skip: ['publish-subscribe'] });
runCacheDriverSuite(
  'file (compressed, durable)',
  () => createFileDriver({ directory: freshDirectory(), compression: true, compressAboveBytes: 0, durable: true }),
  { skip: ['publish-subscribe'] },
);

function pathOf(directory: string, key: string) {
  const hash = createHash('sha256').update(key).digest('hex');
  return join(directory, hash.slice(0, 2), hash.slice(2, 4), hash);
}

const entry = (value: unknown) => ({ value, createdAt: Date.now(), expiresAt: Date.now() + 60_000 });

describe('file driver faults', () => {
  it('shards entries into nested folders named by the key hash', async () => {
    const directory = freshDirectory();
    const driver = createFileDriver({ directory });
    await driver.set('ns:k:a', entry(1));
    expect(readFileSync(pathOf(directory, 'ns:k:a')).subarray(0, 3).toString()).toBe('AGC');
  });

  it('serves the previous complete entry when a crash left a partial temp file behind', async () => {
    const directory = freshDirectory();
    const driver = createFileDriver({ directory });
    await driver.set('ns:k:a', entry('complete'));
    const full = await encodeEntry('ns:k:a', entry('newer value that never finished writing'));
    // What a process killed mid-write leaves: a temp file with half the bytes, never renamed into place.
    writeFileSync(`${pathOf(directory, 'ns:k:a')}.deadbeef.tmp`, full.subarray(0, full.length / 2));
    expect((await driver.get('ns:k:a'))?.value).toBe('complete');
    await driver.set('ns:k:a', entry('next'));
    expect((await driver.get('ns:k:a'))?.value).toBe('next');
  });

  it('detects truncated and bit-flipped files, deletes them and reports cache-entry-corrupt', async () => {
    const directory = freshDirectory();
    const driver = createFileDriver({ directory });
    const damages: ((bytes: Buffer) => Buffer)[] = [
      (bytes) => bytes.subarray(0, bytes.length - 3), // truncated
      (bytes) => {
        const copy = Buffer.from(bytes);
        copy[copy.length - 2] = (copy[copy.length - 2] as number) ^ 0xff; // flipped bits in the body
        return copy;
      },
      () => Buffer.from('{"not":"our format"}'),
      () => Buffer.alloc(0),
    ];
    for (const damage of damages) {
      await driver.set('ns:k:a', entry({ text: 'x'.repeat(100) }));
      const file = pathOf(directory, 'ns:k:a');
      writeFileSync(file, damage(readFileSync(file)));
      const error = await driver.get('ns:k:a').catch((caught: unknown) => caught);
      expect(AgenticGenError.hasCode(error, 'cache-entry-corrupt')).toBe(true);
      expect(await driver.get('ns:k:a')).toBeUndefined(); // the damaged file is gone
    }
  });

  it('lets a tiered cache fall back to the loader when its file entry is damaged', async () => {
    const directory = freshDirectory();
    const cache = createCache({ l2: createFileDriver({ directory }), l1: false });
    await cache.set('k', 'original');
    writeFileSync(pathOf(directory, 'default:k:k'), Buffer.from('garbage'));
    const errors: string[] = [];
    cache.on('cache-error', (event) => errors.push(event.error.code));
    expect(await cache.getOrSet('k', async () => 'reloaded')).toBe('reloaded');
    expect(errors).toEqual(['cache-entry-corrupt']);
    expect(await cache.get('k')).toBe('reloaded');
  });

  it('removes expired files on read and temp files older than a minute on clear', async () => {
    const directory = freshDirectory();
    const driver = createFileDriver({ directory });
    await driver.set('ns:k:old', { value: 1, createdAt: 0, expiresAt: Date.now() - 1 });
    expect(await driver.get('ns:k:old')).toBeUndefined();
    await driver.set('ns:k:a', entry(1));
    const stale = `${pathOf(directory, 'ns:k:a')}.0000.tmp`;
    writeFileSync(stale, 'partial');
    utimesSync(stale, new Date(Date.now() - 120_000), new Date(Date.now() - 120_000));
    await driver.clear?.('other:');
    const folder = join(stale, '..');
    expect(readdirSync(folder)).toEqual([pathOf(directory, 'ns:k:a').split('/').at(-1)]);
  });

  it('removes temp files a crash left behind when it opens, and leaves young ones of writes in progress', async () => {
    const directory = freshDirectory();
    const first = createFileDriver({ directory });
    await first.set('ns:k:a', entry(1));
    await first.dispose?.();
    const old = `${pathOf(directory, 'ns:k:a')}.dead.tmp`;
    const young = `${pathOf(directory, 'ns:k:a')}.live.tmp`;
    writeFileSync(old, 'partial');
    writeFileSync(young, 'partial');
    utimesSync(old, new Date(Date.now() - 120_000), new Date(Date.now() - 120_000));
    const reopened = createFileDriver({ directory });
    await reopened.dispose?.(); // dispose waits for the sweep that opening started
    const names = readdirSync(join(old, '..')).sort();
    expect(names).toEqual([pathOf(directory, 'ns:k:a').split('/').at(-1), young.split('/').at(-1)].sort());
    const again = createFileDriver({ directory });
    expect((await again.get('ns:k:a'))?.value).toBe(1);
    await again.dispose?.();
  });

  it("sees another instance's tag invalidation once l1.ttlMs has passed (no messages between them)", async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      const directory = freshDirectory();
      const writer = createCache({ l2: createFileDriver({ directory }), l1: { ttlMs: 200 } });
      const reader = createCache({ l2: createFileDriver({ directory }), l1: { ttlMs: 200 } });
      await writer.set('k', 'v1', { tags: ['t'] });
      expect(await reader.get('k')).toBe('v1'); // in the reader's L1, tag t remembered
      await writer.invalidateTags(['t']);
      vi.setSystemTime(Date.now() + 200);
      expect(await reader.get('k')).toBeUndefined();
      await writer.set('k', 'v2', { tags: ['t'] });
      expect(await reader.get('k')).toBe('v2');
      await writer.dispose();
      await reader.dispose();
    } finally {
      vi.useRealTimers();
    }
  });

  it('rejects a missing directory option with invalid-config', () => {
    let caught: unknown;
    try {
      createFileDriver({} as never);
    } catch (error) {
      caught = error;
    }
    expect(AgenticGenError.hasCode(caught, 'invalid-config')).toBe(true);
  });
});
