import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { AgenticGenError } from '@agenticgen/core';
import { build } from 'esbuild';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type RedisTestServer, redisServerAvailable, startRedisServer } from '../../../../test-support/redis-server.js';
import type { CacheEvents } from '../cache/events.js';
import { createCache } from '../cache/tiered-cache.js';
import { runCacheDriverSuite } from './driver-suite.js';
import { createRedisDriver } from './redis.js';

const available = redisServerAvailable();
let server: RedisTestServer;
let counter = 0;
const uniquePrefix = () => `test${counter++}:`;

describe.runIf(available)('redis driver', () => {
  beforeAll(async () => {
    server = await startRedisServer();
  });
  afterAll(async () => {
    await server?.stop();
  });

  // Each driver gets its own key prefix; the channel is shared so the pub/sub case reaches the second instance.
  runCacheDriverSuite('redis', () =>
    createRedisDriver({ url: server.url, prefix: uniquePrefix(), channel: 'suite-invalidations' }),
  );
  runCacheDriverSuite('redis (compressed, injected client)', async () => {
    const client = new Redis(server.url);
    const driver = createRedisDriver({
      client,
      prefix: uniquePrefix(),
      channel: 'suite-invalidations-2',
      compression: true,
      compressAboveBytes: 0,
    });
    const dispose = driver.dispose?.bind(driver);
    driver.dispose = async () => {
      await dispose?.();
      await client.quit().catch(() => undefined); // the driver never closes an injected client
    };
    return driver;
  });

  it('detects a corrupt value, deletes it and reports cache-entry-corrupt', async () => {
    const prefix = uniquePrefix();
    const driver = createRedisDriver({ url: server.url, prefix });
    const raw = new Redis(server.url);
    try {
      await driver.set('ns:k:a', { value: 'ok', createdAt: Date.now() });
      const stored = (await raw.getBuffer(`${prefix}ns:k:a`)) as Buffer;
      await raw.set(`${prefix}ns:k:a`, stored.subarray(0, stored.length - 1)); // a torn value
      const error = await driver.get('ns:k:a').catch((caught: unknown) => caught);
      expect(AgenticGenError.hasCode(error, 'cache-entry-corrupt')).toBe(true);
      expect(await raw.exists(`${prefix}ns:k:a`)).toBe(0);
    } finally {
      raw.disconnect();
      await driver.dispose?.();
    }
  });

  it('sets Redis expiry at the end of the stale window', async () => {
    const prefix = uniquePrefix();
    const driver = createRedisDriver({ url: server.url, prefix });
    const raw = new Redis(server.url);
    try {
      const now = Date.now();
      await driver.set('ns:k:a', { value: 1, createdAt: now, expiresAt: now + 10_000, staleUntil: now + 60_000 });
      const ttl = await raw.pttl(`${prefix}ns:k:a`);
      expect(ttl).toBeGreaterThan(50_000);
      expect(ttl).toBeLessThanOrEqual(60_000);
    } finally {
      raw.disconnect();
      await driver.dispose?.();
    }
  });

  it('invalidates L1 copies across cache instances with separate connections (set, delete, tags, clear)', async () => {
    const prefix = uniquePrefix();
    const first = createCache({ l2: createRedisDriver({ url: server.url, prefix }) });
    const second = createCache({ l2: createRedisDriver({ url: server.url, prefix }) });
    try {
      await first.set('k', 'v1', { tags: ['t'] });
      expect(await second.get('k')).toBe('v1');
      // The subscriber connects in the background; keep writing until the first message lands.
      await vi.waitFor(async () => {
        await first.set('k', 'v2', { tags: ['t'] });
        expect(second.getSync('k')).toBeUndefined();
      });
      expect(await second.get('k')).toBe('v2');
      await first.delete('k');
      await vi.waitFor(() => expect(second.getSync('k')).toBeUndefined());
      expect(await second.get('k')).toBeUndefined();

      await first.set('tagged', 1, { tags: ['team'] });
      expect(await second.get('tagged')).toBe(1);
      await first.invalidateTags(['team']);
      await vi.waitFor(() => expect(second.getSync('tagged')).toBeUndefined());
      expect(await second.get('tagged')).toBeUndefined();

      await first.set('x', 1);
      expect(await second.get('x')).toBe(1);
      await first.clear();
      await vi.waitFor(() => expect(second.getSync('x')).toBeUndefined());
    } finally {
      await first.dispose();
      await second.dispose();
    }
  });

  it('judges tagged entries by tag versions kept as Redis counters, not by the clocks of the processes', async () => {
    const prefix = uniquePrefix();
    const writer = createCache({ l2: createRedisDriver({ url: server.url, prefix, pubSub: false }), l1: false });
    const invalidator = createCache({ l2: createRedisDriver({ url: server.url, prefix, pubSub: false }), l1: false });
    const raw = new Redis(server.url);
    try {
      const now = Date.now();
      vi.useFakeTimers({ toFake: ['Date'], now });
      await writer.set('old', 'before', { tags: ['t'] });
      vi.setSystemTime(now - 10_000); // the invalidating process's clock runs 10 s behind
      await invalidator.invalidateTags(['t']);
      vi.setSystemTime(now + 60_000); // and then a minute ahead
      await invalidator.invalidateTags(['u']);
      vi.setSystemTime(now);
      await writer.set('fresh', 'after', { tags: ['u'] });
      expect(await writer.get('old')).toBeUndefined();
      expect(await invalidator.get('fresh')).toBe('after');
      expect(await raw.get(`${prefix}default:t:t`)).toBe('1'); // an INCR counter
      await invalidator.invalidateTags(['t']);
      expect(await raw.get(`${prefix}default:t:t`)).toBe('2');
    } finally {
      vi.useRealTimers();
      raw.disconnect();
      await writer.dispose();
      await invalidator.dispose();
    }
  });

  it('invalidates the L1 of this process when another Node process writes', async () => {
    const prefix = uniquePrefix();
    const here = createCache({ l2: createRedisDriver({ url: server.url, prefix }), namespace: 'shared' });
    const folder = mkdtempSync(join(tmpdir(), 'agenticgen-redis-child-'));
    try {
      await here.set('shared-key', 'from-parent');
      await here.set('tagged-here', 1, { tags: ['child-tag'] });
      // Wait until our own subscription is live: a message we publish must come back to a second listener.
      const probe = createRedisDriver({ url: server.url, prefix });
      const got: unknown[] = [];
      probe.subscribe?.((message) => got.push(message));
      // Publish until a message comes back (the subscription is then live), polling instead of sleeping.
      await vi.waitFor(
        async () => {
          await probe.publish?.({ type: 'keys', origin: 'probe', namespace: 'probe', keys: [] });
          await vi.waitFor(() => expect(got.length).toBeGreaterThan(0), { timeout: 200, interval: 10 });
        },
        { timeout: 5000 },
      );
      await probe.dispose?.();

      // The child runs this package's source, bundled on the fly (Node cannot load the .ts sources directly).
      const outfile = join(folder, 'child.mjs');
      await build({
        entryPoints: [fileURLToPath(new URL('./redis-child-process.fixture.ts', import.meta.url))],
        bundle: true,
        platform: 'node',
        format: 'esm',
        target: 'node22',
        outfile,
        logLevel: 'silent',
        alias: { '@agenticgen/core': fileURLToPath(new URL('../../../core/src/index.ts', import.meta.url)) },
        // ioredis is CommonJS; give its require() calls a real require in the ESM bundle (under a name of its own:
        // msgpackr's Node entry imports createRequire too).
        banner: {
          js: "import { createRequire as createBannerRequire } from 'node:module'; const require = createBannerRequire(import.meta.url);",
        },
      });
      const { stdout } = await promisify(execFile)(process.execPath, [outfile], {
        env: { ...process.env, REDIS_URL: server.url, CACHE_PREFIX: prefix },
        timeout: 20_000,
      });
      expect(JSON.parse(stdout.trim())).toEqual({ before: 'from-parent' }); // the child read our value from Redis
      await vi.waitFor(() => expect(here.getSync('shared-key')).toBeUndefined());
      expect(await here.get('shared-key')).toBe('from-child');
      await vi.waitFor(() => expect(here.getSync('tagged-here')).toBeUndefined());
      expect(await here.get('tagged-here')).toBeUndefined();
    } finally {
      await here.dispose();
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('keeps serving while redis-server is killed mid-test, then reconnects on its own', async () => {
    const prefix = uniquePrefix();
    const cache = createCache({
      l2: createRedisDriver({ url: server.url, prefix }),
      l2TimeoutMs: 200,
      l2Circuit: { failureThreshold: 3, retryAfterMs: 200 },
    });
    const errors: CacheEvents['cache-error'][] = [];
    cache.on('cache-error', (event) => errors.push(event));
    try {
      await cache.set('warm', 'kept-in-l1');
      await cache.set('only-l2', 'in-redis');
      await server.kill();

      // Reads never reject: L1 answers what it has, the loader the rest.
      expect(await cache.get('warm')).toBe('kept-in-l1');
      expect(await cache.get('never-written')).toBeUndefined();
      expect(await cache.getOrSet('computed', async () => 'by-loader')).toBe('by-loader');
      for (let index = 0; index < 20; index++) expect(await cache.get(`missing-${index}`)).toBeUndefined();
      expect(cache.stats().l2.skipped).toBeGreaterThan(15); // the open circuit skips most L2 calls
      await cache.set('during-outage', 'l1-only');
      expect(cache.getSync('during-outage')).toBe('l1-only');
      expect(errors.length).toBeGreaterThan(0);
      expect(errors.every((event) => event.tier === 'l2')).toBe(true);

      await server.restart(); // an empty server on the same port
      await vi.waitFor(
        async () => {
          await cache.set('after-restart', 'stored');
          const raw = new Redis(server.url);
          try {
            expect(await raw.exists(`${prefix}default:k:after-restart`)).toBe(1);
          } finally {
            raw.disconnect();
          }
        },
        { timeout: 10_000, interval: 200 },
      );
      // After the reconnect the subscriber reported a resync, so L1 no longer trusts copies from before.
      await vi.waitFor(() => expect(cache.getSync('warm')).toBeUndefined(), { timeout: 10_000 });
      expect(await cache.get('after-restart')).toBe('stored');
    } finally {
      await cache.dispose();
    }
  });

  it('reports a missing ioredis package as dependency-missing through cache-error', async () => {
    const driver = createRedisDriver({
      loadIoredis: () => Promise.reject(new Error("Cannot find package 'ioredis'")),
    });
    const error = await driver.get('x').catch((caught: unknown) => caught);
    expect(AgenticGenError.hasCode(error, 'dependency-missing')).toBe(true);
    expect((error as Error).message).toMatch(/npm install ioredis/);
    await driver.dispose?.();
  });
});
