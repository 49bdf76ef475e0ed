import { join } from 'node:path';
import { createCache, createFileDriver, type TieredCache } from '@agenticgen/cache';

/**
 * The tiered cache of the starter: quick-lru L1 in memory, file L2 in the data folder, so cached search
 * results and model answers survive a restart. Swap the L2 for `createRedisDriver` to share it between
 * instances (docs/deployment.md).
 */
export function createStarterCache(dataDir: string): TieredCache {
  return createCache({
    namespace: 'starter',
    ttlMs: 60 * 60_000,
    l1: { max: 2000 },
    l2: createFileDriver({ directory: join(dataDir, 'cache') }),
  });
}
