// temporary profiling script (removed before finishing)
import { Redis } from 'ioredis';
import { startRedisServer } from '../../../test-support/redis-server.ts';
import { loadCache } from './load.ts';
const { createCache, createRedisDriver } = await loadCache();
const server = await startRedisServer();
const value = { id: 1, name: 'cached value', tags: ['a', 'b'] };
const driver = createRedisDriver({ url: server.url, pubSub: false });
const ours = createCache({ l1: false, l2: driver, ttlMs: 60000 });
const oursL1 = createCache({ l1: { max: 8 }, l2: createRedisDriver({ url: server.url, pubSub: false }), ttlMs: 60000 });
const raw = new Redis(server.url);
const keys: string[] = [];
for (let i = 0; i < 1024; i++) keys.push(`key-number-${i}-abcdefghijklmnopqrstuvwxyz`.slice(0, 20 + (i % 40)));
for (const key of keys) { await ours.set(key, value); await raw.set(`raw:${key}`, JSON.stringify(value), 'PX', 60000); }
const n = Number(process.argv[2] ?? 20000);
const which = process.argv[3] ?? 'all';
let idx = 0;
const contenders: Record<string, () => Promise<unknown>> = {
  ours: () => ours.get(keys[idx++ & 1023] as string),
  oursL1: () => oursL1.get(keys[idx++ & 1023] as string),
  driver: () => driver.get(`default:k:${keys[idx++ & 1023]}`),
  rawBuf: async () => raw.getBuffer(`default:k:${keys[idx++ & 1023]}`),
  raw: async () => JSON.parse((await raw.get(`raw:${keys[idx++ & 1023]}`)) as string),
};
const names = which === 'all' ? Object.keys(contenders) : which.split(',');
const res: Record<string, number[]> = {};
for (let round = 0; round < 7; round++) {
  for (const name of names) {
    const fn = contenders[name]!;
    for (let i = 0; i < 500; i++) await fn();
    const c0 = process.cpuUsage(); const t0 = performance.now();
    for (let i = 0; i < n; i++) await fn();
    const c = process.cpuUsage(c0); const t = performance.now() - t0;
    (res[name] ??= []).push(((c.user + c.system) / n) * 1000, (t / n) * 1e6);
  }
}
const med = (a: number[]) => { const s = [...a].sort((x, y) => x - y); return s[s.length >> 1]!; };
for (const name of names) {
  const cpu = res[name]!.filter((_, i) => i % 2 === 0); const wall = res[name]!.filter((_, i) => i % 2 === 1);
  console.log(name.padEnd(8), 'cpu ns/op med', med(cpu).toFixed(0), 'min', Math.min(...cpu).toFixed(0), ' wall med', med(wall).toFixed(0), 'min', Math.min(...wall).toFixed(0));
}
raw.disconnect(); await ours.dispose(); await oursL1.dispose(); await server.stop(); process.exit(0);
