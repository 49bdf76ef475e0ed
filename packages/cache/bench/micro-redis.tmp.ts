// temporary: cache + redis driver over a fake in-process ioredis client (no network), CPU per op
import { loadCache } from './load.ts';
const { createCache, createRedisDriver } = await loadCache();
const value = { id: 1, name: 'cached value', tags: ['a', 'b'] };
const store = new Map<string, Buffer>();
const fake = {
  status: 'ready',
  getBuffer: (k: string) => Promise.resolve(store.get(k) ?? null),
  get: (k: string) => Promise.resolve(store.get(k)?.toString('utf8') ?? null),
  set: async (k: string, v: Buffer | string) => { store.set(k, Buffer.isBuffer(v) ? Buffer.from(v) : Buffer.from(v)); return 'OK'; },
  del: async (k: string) => { store.delete(k); return 1; },
  on() { return this; },
  duplicate() { return this; },
};
const driver = createRedisDriver({ client: fake as never, pubSub: false });
const ours = createCache({ l1: false, l2: driver, ttlMs: 60000 });
const oursL1 = createCache({ l1: { max: 8 }, l2: createRedisDriver({ client: fake as never, pubSub: false }), ttlMs: 60000 });
const keys: string[] = [];
for (let i = 0; i < 1024; i++) keys.push(`key-number-${i}-abcdefghijklmnopqrstuvwxyz`.slice(0, 20 + (i % 40)));
for (const key of keys) { await ours.set(key, value); await fake.set(`raw:${key}`, JSON.stringify(value)); }
let idx = 0;
const contenders: Record<string, () => Promise<unknown>> = {
  ours: () => ours.get(keys[idx++ & 1023] as string),
  oursL1: () => oursL1.get(keys[idx++ & 1023] as string),
  driver: () => driver.get(`default:k:${keys[idx++ & 1023]}`),
  raw: async () => JSON.parse((await fake.get(`raw:${keys[idx++ & 1023]}`)) as string),
};
const n = Number(process.argv[2] ?? 200000);
const names = (process.argv[3] ?? 'all') === 'all' ? Object.keys(contenders) : (process.argv[3] as string).split(',');
const res: Record<string, number[]> = {};
for (let round = 0; round < 9; round++) for (const name of names) {
  const fn = contenders[name]!;
  for (let i = 0; i < 2000; i++) await fn();
  const c0 = process.cpuUsage();
  for (let i = 0; i < n; i++) await fn();
  const c = process.cpuUsage(c0);
  (res[name] ??= []).push(((c.user + c.system) / n) * 1000);
}
const med = (a: number[]) => [...a].sort((x, y) => x - y)[a.length >> 1]!;
for (const name of names) console.log(name.padEnd(8), 'cpu ns/op med', med(res[name]!).toFixed(0), 'min', Math.min(...res[name]!).toFixed(0));
process.exit(0);
