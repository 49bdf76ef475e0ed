import { join } from 'node:path';
import { createCache, createFileDriver, createRedisDriver, type TieredCache } from '@agenticgen/cache';

/**
 * The tiered cache of the starter: quick-lru L1 in memory, and an L2 shared by restarts and instances —
 * files in the data folder by default, Redis with `AGENTICGEN_REDIS_URL` (then L1 copies are invalidated
 * across instances through Redis pub/sub; see docs/deployment.md).
 */
export function createStarterCache(options: { dataDir: string; redisUrl?: string | undefined }): {
  cache: TieredCache;
  detail: string;
} {
  const l2 =
    options.redisUrl === undefined
      ? createFileDriver({ directory: join(options.dataDir, 'cache') })
      : createRedisDriver({ url: options.redisUrl, prefix: 'agenticgen:starter:' });
  return {
    cache: createCache({ namespace: 'starter', ttlMs: 60 * 60_000, l1: { max: 2000 }, l2 }),
    detail:
      options.redisUrl === undefined
        ? `@agenticgen/cache: memory L1 + file L2 in ${join(options.dataDir, 'cache')}`
        : `@agenticgen/cache: memory L1 + Redis L2 at ${redactPassword(options.redisUrl)}`,
  };
}

function redactPassword(url: string): string {
  return url.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@');
}
