/**
 * The contract every L2 driver passes (run by memory.test.ts, file.node.test.ts, indexeddb.browser.test.ts,
 * redis.node.test.ts). It checks what the tiered cache relies on; fault behaviour specific to a backend (torn
 * files, a killed Redis) is tested beside each driver.
 */
import { AgenticGenError } from '@agenticgen/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CacheDriver, CacheEntry, CacheInvalidation } from './driver.js';

export interface CacheDriverSuiteOptions {
  /** Names of cases this driver cannot pass, each with the reason in the calling test file. */
  skip?: readonly ('publish-subscribe' | 'clear')[];
  /**
   * Opens another instance on the same backend as the driver the factory made last (the pub/sub case needs two).
   * Default: call the factory again, for drivers whose factory already shares the backend.
   */
  sibling?: () => CacheDriver | Promise<CacheDriver>;
}

const entry = (value: unknown, extra: Partial<CacheEntry> = {}): CacheEntry => ({
  value,
  createdAt: Date.now(),
  expiresAt: Date.now() + 60_000,
  ...extra,
});

export function runCacheDriverSuite(
  name: string,
  factory: () => CacheDriver | Promise<CacheDriver>,
  options: CacheDriverSuiteOptions = {},
): void {
  const skip = new Set(options.skip ?? []);
  describe(`cache driver contract: ${name}`, () => {
    let driver: CacheDriver;
    beforeEach(async () => {
      driver = await factory();
    });
    afterEach(async () => {
      await driver.dispose?.();
    });

    it('returns undefined for a key never written', async () => {
      expect(await driver.get('ns:k:never-written')).toBeUndefined();
    });

    it('round-trips JSON values, binary values and metadata', async () => {
      const value = {
        text: 'héllo 🌍',
        number: 3.25,
        nested: { list: [1, null, true, 'x'], empty: {} },
        bytes: new Uint8Array([0, 1, 254, 255]),
        vector: new Float32Array([0.5, -1.25, 3e-8]),
        doubles: new Float64Array([Math.PI]),
        when: new Date(1_700_000_000_000),
        map: new Map<string, number>([['a', 1]]),
        set: new Set(['x']),
        $agc: 'a user key that looks like the internal marker',
      };
      const stored = entry(value, { tags: ['team:1', 'user:2'], staleUntil: Date.now() + 120_000 });
      await driver.set('ns:k:value', stored);
      const read = await driver.get('ns:k:value');
      expect(read?.value).toEqual(value);
      const readValue = read?.value as typeof value;
      expect(readValue.vector).toBeInstanceOf(Float32Array);
      expect(readValue.bytes).toBeInstanceOf(Uint8Array);
      expect(read?.createdAt).toBe(stored.createdAt);
      expect(read?.expiresAt).toBe(stored.expiresAt);
      expect(read?.staleUntil).toBe(stored.staleUntil);
      expect(read?.tags).toEqual(['team:1', 'user:2']);
    });

    it('round-trips top-level primitives and binary values', async () => {
      const values = ['', 'plain', 0, -1.5, true, false, null, [], new Uint8Array(0), new Float32Array([1, 2, 3])];
      for (const [index, value] of values.entries()) await driver.set(`ns:k:primitive-${index}`, entry(value));
      for (const [index, value] of values.entries()) {
        expect((await driver.get(`ns:k:primitive-${index}`))?.value).toEqual(value);
      }
    });

    it('keeps entries without an expiry', async () => {
      await driver.set('ns:k:forever', { value: 'kept', createdAt: Date.now() });
      const read = await driver.get('ns:k:forever');
      expect(read?.value).toBe('kept');
      expect(read?.expiresAt).toBeUndefined();
    });

    it('does not hand out its own copy: mutating a read or a written value changes nothing stored', async () => {
      const value = { list: [1, 2] };
      await driver.set('ns:k:isolated', entry(value));
      value.list.push(3);
      const first = await driver.get('ns:k:isolated');
      const firstValue = first?.value as { list: number[] };
      firstValue.list.push(4);
      expect((await driver.get('ns:k:isolated'))?.value).toEqual({ list: [1, 2] });
    });

    it('overwrites, deletes, and deletes absent keys without error', async () => {
      await driver.set('ns:k:a', entry('first'));
      await driver.set('ns:k:a', entry('second'));
      expect((await driver.get('ns:k:a'))?.value).toBe('second');
      await driver.delete('ns:k:a');
      expect(await driver.get('ns:k:a')).toBeUndefined();
      await expect(driver.delete('ns:k:absent')).resolves.toBeUndefined();
    });

    it('never returns an entry past the end of its stale window', async () => {
      const past = Date.now() - 1000;
      await driver.set('ns:k:expired', entry('old', { expiresAt: past - 1000, staleUntil: past }));
      await driver.set('ns:k:stale-but-servable', entry('stale', { expiresAt: past, staleUntil: Date.now() + 60_000 }));
      expect(await driver.get('ns:k:expired')).toBeUndefined();
      expect((await driver.get('ns:k:stale-but-servable'))?.value).toBe('stale');
    });

    it('accepts keys with any characters, including path-like and very long ones', async () => {
      const keys = ['ns:k:../../etc/passwd', 'ns:k:a b/c\\d?e*f[g]', 'ns:k:ключ-鍵-🔑', `ns:k:${'x'.repeat(3000)}`];
      for (const [index, key] of keys.entries()) await driver.set(key, entry(index));
      for (const [index, key] of keys.entries()) expect((await driver.get(key))?.value).toBe(index);
    });

    it('ends concurrent writes to one key with one complete value', async () => {
      const values = Array.from({ length: 20 }, (_, index) => ({ index, payload: 'x'.repeat(2000 + index) }));
      await Promise.all(values.map((value) => driver.set('ns:k:contended', entry(value))));
      const read = (await driver.get('ns:k:contended'))?.value as { index: number; payload: string };
      expect(values[read.index]).toEqual(read);
    });

    it('stores many keys independently', async () => {
      await Promise.all(Array.from({ length: 100 }, (_, index) => driver.set(`ns:k:many-${index}`, entry(index))));
      const reads = await Promise.all(Array.from({ length: 100 }, (_, index) => driver.get(`ns:k:many-${index}`)));
      expect(reads.map((read) => read?.value)).toEqual(Array.from({ length: 100 }, (_, index) => index));
    });

    it.skipIf(skip.has('clear'))('clears by prefix and then entirely', async () => {
      await driver.set('one:k:a', entry(1));
      await driver.set('one:k:b', entry(2));
      await driver.set('two:k:a', entry(3));
      await driver.clear?.('one:');
      expect(await driver.get('one:k:a')).toBeUndefined();
      expect(await driver.get('one:k:b')).toBeUndefined();
      expect((await driver.get('two:k:a'))?.value).toBe(3);
      await driver.clear?.();
      expect(await driver.get('two:k:a')).toBeUndefined();
    });

    it.skipIf(skip.has('publish-subscribe'))('delivers published invalidations to other instances', async () => {
      const other = await (options.sibling ?? factory)();
      try {
        const received: CacheInvalidation[] = [];
        const unsubscribe = other.subscribe?.((message) => received.push(message));
        expect(unsubscribe).toBeTypeOf('function');
        const message: CacheInvalidation = { type: 'keys', origin: 'sender', namespace: 'ns', keys: ['a', 'b'] };
        // Subscriptions of network drivers become active asynchronously; publish until one arrives.
        await expect
          .poll(
            async () => {
              await driver.publish?.(message);
              return received.length;
            },
            { timeout: 5000, interval: 100 },
          )
          .toBeGreaterThan(0);
        expect(received[0]).toEqual(message);
        unsubscribe?.();
      } finally {
        await other.dispose?.();
      }
    });

    it('counts atomically when it has counters (tag versions), and clears counters with entries', async (context) => {
      const { increment, readCounter } = driver;
      if (increment === undefined || readCounter === undefined) return context.skip();
      expect(await readCounter.call(driver, 'ns:t:never')).toBe(0);
      const results = await Promise.all(Array.from({ length: 50 }, () => increment.call(driver, 'ns:t:hot')));
      expect(new Set(results).size).toBe(50);
      expect(await readCounter.call(driver, 'ns:t:hot')).toBe(50);
      await driver.clear?.('ns:');
      expect(await readCounter.call(driver, 'ns:t:hot')).toBe(0);
    });

    it('rejects values it cannot store with cache-value-unsupported', async () => {
      class Point {
        x = 1;
      }
      for (const value of [() => 1, Symbol('s'), 10n, new Point()]) {
        const error = await driver.set('ns:k:bad', entry({ value })).catch((caught: unknown) => caught);
        expect(AgenticGenError.hasCode(error, 'cache-value-unsupported')).toBe(true);
      }
      const circular: Record<string, unknown> = {};
      circular.self = circular;
      const error = await driver.set('ns:k:bad', entry(circular)).catch((caught: unknown) => caught);
      expect(AgenticGenError.hasCode(error, 'cache-value-unsupported')).toBe(true);
    });

    it('can be disposed twice', async () => {
      await driver.dispose?.();
      await expect(driver.dispose?.()).resolves.toBeUndefined();
    });
  });
}
