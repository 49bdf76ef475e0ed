/**
 * Benchmarks of @agenticgen/cache against quick-lru, lru-cache, cacheable, cache-manager, bentocache and raw ioredis,
 * all in this process on the same pre-generated keys (20–60 characters), the same capacity and TTL, cloning off.
 * Writes bench/results.json. Run with `npm run bench -w packages/cache` (`-- --quick` for a short run).
 * Every timed function performs `batch` operations and the figure is divided by `batch`, so harness overhead does
 * not dominate nanosecond-scale operations.
 */
import { writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { BentoCache, bentostore } from 'bentocache';
import { memoryDriver } from 'bentocache/drivers/memory';
import { createCache as createCacheManager } from 'cache-manager';
import { Cacheable, createKeyv } from 'cacheable';
import { Redis } from 'ioredis';
import { Keyv } from 'keyv';
import { LRUCache } from 'lru-cache';
import { do_not_optimize, measure } from 'mitata';
import QuickLRU from 'quick-lru';
import { startRedisServer } from '../../../test-support/redis-server.ts';
import type { Figure } from '../../core/bench/results-file.ts';
import { createSeededRandom } from '../../core/src/testing/seeded-random.ts';
import { loadCache } from './load.ts';

const quick = process.argv.includes('--quick');
const loadAtStart = (loadavg()[0] ?? 0).toFixed(1);
const { createCache, createRedisDriver, createMemoryDriver } = await loadCache();
const measureOptions = { min_cpu_time: (quick ? 100 : 150) * 1e6, warmup_samples: 64 };
const capacity = 8192; // a power of two: `index & mask` picks keys without a modulo
const mask = capacity - 1;
const ttlMs = 60_000;
const batch = 256;

const figures: Figure[] = [];
const notes: string[] = [];

// ── data, generated before any timing ───────────────────────────────────────────────────────────────────────────
/** Seeded, so every run measures the same keys (a float LCG would lose its low bits and cycle early). */
const random = createSeededRandom(42);
const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789:-_';
const makeKey = () => {
  const length = 20 + Math.floor(random() * 41);
  let key = '';
  for (let index = 0; index < length; index++) key += alphabet[Math.floor(random() * alphabet.length)];
  return key;
};
/** Distinct keys: a duplicate would quietly shrink the working set. */
const distinctKeys = (count: number, taken: Set<string>) => {
  const keys: string[] = [];
  while (keys.length < count) {
    const key = makeKey();
    if (taken.has(key)) continue;
    taken.add(key);
    keys.push(key);
  }
  return keys;
};
const takenKeys = new Set<string>();
const hotKeys = distinctKeys(capacity, takenKeys);
const streamKeys = distinctKeys(capacity * 4, takenKeys); // 4× capacity: every set evicts once warm
const value = { id: 1, name: 'cached value', tags: ['a', 'b'] };

/** Zipf(s = 1) over 4× capacity keys; 90 % reads, 10 % writes. */
const zipfOps = (() => {
  const n = capacity * 4;
  const weights = Float64Array.from({ length: n }, (_, index) => 1 / (index + 1));
  const cumulative = new Float64Array(n);
  let total = 0;
  for (let index = 0; index < n; index++) {
    total += weights[index] as number;
    cumulative[index] = total;
  }
  const ops = Array.from({ length: 65_536 }, () => {
    const target = random() * total;
    let low = 0;
    let high = n - 1;
    while (low < high) {
      const middle = (low + high) >> 1;
      if ((cumulative[middle] as number) < target) low = middle + 1;
      else high = middle;
    }
    return { key: streamKeys[low] as string, write: random() < 0.1 };
  });
  return ops;
})();

const rounds = quick ? 1 : 9;

/**
 * Measures every contender `rounds` times, round-robin, with a full GC before each measurement, and keeps each
 * one's best median batch time: on a shared, busy machine (other engineers' test runs) averages swing by 3×
 * between rounds; the median resists preemption spikes and the best round is the least disturbed one.
 */
async function compare(contenders: Record<string, () => unknown>): Promise<Record<string, number>> {
  const best: Record<string, number> = {};
  for (let round = 0; round < rounds; round++) {
    for (const [name, fn] of Object.entries(contenders)) {
      (globalThis as { gc?: () => void }).gc?.();
      const stats = await measure(fn, measureOptions);
      best[name] = Math.min(best[name] ?? Number.POSITIVE_INFINITY, stats.p50 / batch);
    }
  }
  return best;
}

/** Turns `compare` results into a figure with `ours` and the peers. */
function figure(name: string, results: Record<string, number>): Figure {
  const { ours, ...peers } = results;
  return { name, unit: 'ns/op', ours: ours as number, peers };
}

const fourDigits = (number: number) => Number(number.toPrecision(4));
const log = (figure: Figure) => {
  const peers = Object.entries(figure.peers)
    .map(
      ([name, peer]) =>
        `${name} ${fourDigits(peer)} (${figure.unit === 'ratio' ? '' : `${(peer / figure.ours).toFixed(2)}×`})`,
    )
    .join(', ');
  console.log(`${figure.name}: ours ${fourDigits(figure.ours)} ${figure.unit}; ${peers}`);
};
const record = (figure: Figure) => {
  figure.ours = fourDigits(figure.ours);
  for (const name of Object.keys(figure.peers)) figure.peers[name] = fourDigits(figure.peers[name] as number);
  figures.push(figure);
  log(figure);
};

// ── l1-get-hit: our synchronous L1 path vs raw LRUs ─────────────────────────────────────────────────────────────
{
  const ours = createCache({ l1: { max: capacity }, ttlMs });
  const quickLru = new QuickLRU<string, unknown>({ maxSize: capacity, maxAge: ttlMs });
  const lruCache = new LRUCache<string, object>({ max: capacity, ttl: ttlMs });
  for (const key of hotKeys) {
    ours.setSync(key, value);
    quickLru.set(key, value);
    lruCache.set(key, value);
  }
  let index = 0;
  const results = await compare({
    ours: () => {
      for (let step = 0; step < batch; step++) do_not_optimize(ours.getSync(hotKeys[index++ & mask] as string));
    },
    'quick-lru': () => {
      for (let step = 0; step < batch; step++) do_not_optimize(quickLru.get(hotKeys[index++ & mask] as string));
    },
    'lru-cache': () => {
      for (let step = 0; step < batch; step++) do_not_optimize(lruCache.get(hotKeys[index++ & mask] as string));
    },
  });
  record(figure('l1-get-hit', results));
}

// ── tiered-get-l1-hit: async get answered by L1 of a two-tier cache ────────────────────────────────────────────
{
  const ours = createCache({ l1: { max: capacity }, l2: createMemoryDriver(), ttlMs });
  const cacheable = new Cacheable({
    // createKeyv: an in-memory Keyv without (de)serialisation, i.e. cloning off as for every other contender.
    primary: createKeyv({ lruSize: capacity, ttl: ttlMs, useClone: false }),
    secondary: new Keyv(),
    ttl: ttlMs,
  });
  const cacheManager = createCacheManager({
    stores: [createKeyv({ lruSize: capacity, ttl: ttlMs, useClone: false }), new Keyv()],
    ttl: ttlMs,
  });
  const bento = new BentoCache({
    default: 'cache',
    stores: { cache: bentostore().useL1Layer(memoryDriver({ maxItems: capacity, serialize: false })) },
  });
  for (const key of hotKeys) {
    await ours.set(key, value);
    await cacheable.set(key, value);
    await cacheManager.set(key, value);
    await bento.set({ key, value, ttl: ttlMs });
  }
  // Sanity: every peer really answers from its cache (a miss would make it look fast).
  for (const key of hotKeys.slice(0, 10)) {
    if ((await cacheable.get(key)) !== value || (await cacheManager.get(key)) !== value) throw new Error('peer miss');
    if ((await bento.get({ key })) !== value || (await ours.get(key)) !== value) throw new Error('miss');
  }
  let index = 0;
  const results = await compare({
    ours: async () => {
      for (let step = 0; step < batch; step++) do_not_optimize(await ours.get(hotKeys[index++ & mask] as string));
    },
    cacheable: async () => {
      for (let step = 0; step < batch; step++) do_not_optimize(await cacheable.get(hotKeys[index++ & mask] as string));
    },
    'cache-manager': async () => {
      for (let step = 0; step < batch; step++) {
        do_not_optimize(await cacheManager.get(hotKeys[index++ & mask] as string));
      }
    },
    bentocache: async () => {
      for (let step = 0; step < batch; step++) {
        do_not_optimize(await bento.get({ key: hotKeys[index++ & mask] as string }));
      }
    },
  });
  record(figure('tiered-get-l1-hit', results));
  await bento.disconnectAll();
}

// ── set-with-eviction: a stream of 4× capacity distinct keys, so every set evicts ──────────────────────────────
{
  const ours = createCache({ l1: { max: capacity }, ttlMs });
  const quickLru = new QuickLRU<string, unknown>({ maxSize: capacity, maxAge: ttlMs });
  const lruCache = new LRUCache<string, object>({ max: capacity, ttl: ttlMs });
  const streamMask = streamKeys.length - 1;
  let index = 0;
  const results = await compare({
    ours: () => {
      for (let step = 0; step < batch; step++) ours.setSync(streamKeys[index++ & streamMask] as string, value);
    },
    'quick-lru': () => {
      for (let step = 0; step < batch; step++) quickLru.set(streamKeys[index++ & streamMask] as string, value);
    },
    'lru-cache': () => {
      for (let step = 0; step < batch; step++) lruCache.set(streamKeys[index++ & streamMask] as string, value);
    },
  });
  record(figure('set-with-eviction', results));
}

// ── zipf-mix: 90 % reads (a miss fills), 10 % writes, Zipf-distributed over 4× capacity keys ───────────────────
{
  const ours = createCache({ l1: { max: capacity }, ttlMs });
  const quickLru = new QuickLRU<string, unknown>({ maxSize: capacity, maxAge: ttlMs });
  const lruCache = new LRUCache<string, object>({ max: capacity, ttl: ttlMs });
  const opsMask = zipfOps.length - 1;
  const hits = { ours: 0, 'quick-lru': 0, 'lru-cache': 0, reads: { ours: 0, 'quick-lru': 0, 'lru-cache': 0 } };
  let index = 0;
  const run =
    (name: 'ours' | 'quick-lru' | 'lru-cache', get: (key: string) => unknown, set: (key: string) => void) => () => {
      for (let step = 0; step < batch; step++) {
        const op = zipfOps[index++ & opsMask] as { key: string; write: boolean };
        if (op.write) {
          set(op.key);
        } else {
          hits.reads[name]++;
          if (get(op.key) === undefined) set(op.key);
          else hits[name]++;
        }
      }
    };
  const results = await compare({
    ours: run(
      'ours',
      (key) => ours.getSync(key),
      (key) => ours.setSync(key, value),
    ),
    'quick-lru': run(
      'quick-lru',
      (key) => quickLru.get(key),
      (key) => quickLru.set(key, value),
    ),
    'lru-cache': run(
      'lru-cache',
      (key) => lruCache.get(key),
      (key) => lruCache.set(key, value),
    ),
  });
  record(figure('zipf-mix', results));
  const ratio = (name: 'ours' | 'quick-lru' | 'lru-cache') => (hits[name] / hits.reads[name]).toFixed(3);
  notes.push(
    `zipf-mix read hit ratio: ours ${ratio('ours')}, quick-lru ${ratio('quick-lru')}, lru-cache ${ratio('lru-cache')} ` +
      '(ours and quick-lru keep up to 2× capacity in their generational maps).',
  );
}

// ── redis-get-l1-miss: every read goes to a local redis-server ─────────────────────────────────────────────────
{
  let server: Awaited<ReturnType<typeof startRedisServer>> | undefined;
  try {
    server = await startRedisServer();
    const ours = createCache({ l1: false, l2: createRedisDriver({ url: server.url, pubSub: false }), ttlMs });
    const raw = new Redis(server.url);
    const keys = hotKeys.slice(0, 1024);
    for (const key of keys) {
      await ours.set(key, value);
      await raw.set(`raw:${key}`, JSON.stringify(value), 'PX', ttlMs);
    }
    if (JSON.stringify(await ours.get(keys[0] as string)) !== JSON.stringify(value)) throw new Error('redis miss');
    const redisBatch = 16;
    // A Redis read is a round trip: on a busy machine its time is mostly the scheduler's. Many short alternating
    // rounds and the best of each side compare the client stacks, which is what this figure is about.
    const redisOptions = { min_cpu_time: (quick ? 50 : 150) * 1e6, warmup_samples: 16 };
    const redisRounds = quick ? 2 : 9;
    let index = 0;
    const best = { ours: Number.POSITIVE_INFINITY, ioredis: Number.POSITIVE_INFINITY };
    for (let round = 0; round < redisRounds; round++) {
      const oursStats = await measure(async () => {
        for (let step = 0; step < redisBatch; step++) do_not_optimize(await ours.get(keys[index++ & 1023] as string));
      }, redisOptions);
      const rawStats = await measure(async () => {
        for (let step = 0; step < redisBatch; step++) {
          do_not_optimize(JSON.parse((await raw.get(`raw:${keys[index++ & 1023]}`)) as string));
        }
      }, redisOptions);
      best.ours = Math.min(best.ours, oursStats.p50 / redisBatch);
      best.ioredis = Math.min(best.ioredis, rawStats.p50 / redisBatch);
    }
    record({ name: 'redis-get-l1-miss', unit: 'ns/op', ours: best.ours, peers: { ioredis: best.ioredis } });
    notes.push(
      'redis-get-l1-miss: sequential awaited GETs against a local redis-server; raw ioredis includes JSON.parse.',
    );
    raw.disconnect();
    await ours.dispose();
  } catch (error) {
    notes.push(`redis-get-l1-miss NOT MEASURED: ${(error as Error).message}`);
    console.error(error);
  } finally {
    await server?.stop();
  }
}

// ── single-flight-1000: 1,000 concurrent getOrSet on one cold key; loader calls per caller ─────────────────────
{
  const callers = 1000;
  const loaderDelay = () => new Promise((resolve) => setTimeout(resolve, 20));
  const count = async (run: (loader: () => Promise<object>) => Promise<unknown>[]) => {
    let calls = 0;
    const loader = async () => {
      calls++;
      await loaderDelay();
      return value;
    };
    await Promise.all(run(loader));
    return calls;
  };
  const ours = createCache({ l1: { max: capacity }, l2: createMemoryDriver(), ttlMs });
  const cacheable = new Cacheable({ primary: new Keyv(), secondary: new Keyv(), ttl: ttlMs });
  const cacheManager = createCacheManager({ stores: [new Keyv(), new Keyv()], ttl: ttlMs });
  const bento = new BentoCache({
    default: 'cache',
    stores: { cache: bentostore().useL1Layer(memoryDriver({ maxItems: capacity, serialize: false })) },
  });
  const repeat = <T>(make: () => T) => Array.from({ length: callers }, make);
  const oursCalls = await count((loader) => repeat(() => ours.getOrSet('flight', loader)));
  const cacheableCalls = await count((loader) => repeat(() => cacheable.getOrSet('flight', loader)));
  const managerCalls = await count((loader) => repeat(() => cacheManager.wrap('flight', loader)));
  const bentoCalls = await count((loader) =>
    repeat(() => bento.getOrSet({ key: 'flight', factory: loader, ttl: ttlMs })),
  );
  record({
    name: 'single-flight-1000',
    unit: 'ratio',
    ours: oursCalls / callers,
    peers: {
      cacheable: cacheableCalls / callers,
      'cache-manager': managerCalls / callers,
      bentocache: bentoCalls / callers,
    },
  });
  notes.push(
    `single-flight-1000 loader calls for 1,000 concurrent callers: ours ${oursCalls}, cacheable ${cacheableCalls}, ` +
      `cache-manager ${managerCalls}, bentocache ${bentoCalls} (figure = calls ÷ callers; 0.001 is one call).`,
  );
  await bento.disconnectAll();
}

notes.push(
  `Machine: ${cpus().length} CPU cores shared with other engineers' test runs; load average ${loadAtStart} at the ` +
    `start and ${(loadavg()[0] ?? 0).toFixed(1)} at the end. Figures are the best median of ${rounds} interleaved rounds; ` +
    'single figures still move by up to 2× between runs, ratios less.',
);
const results = { node: process.version, date: new Date().toISOString(), figures, notes };
if (!quick) writeFileSync(new URL('./results.json', import.meta.url), `${JSON.stringify(results, null, 2)}\n`);
console.log(quick ? '(quick run: results.json not written)' : 'wrote bench/results.json');
process.exit(0);
