/**
 * Run in a separate Node process by redis.node.test.ts (bundled with esbuild first): proves that invalidation
 * messages cross process boundaries. Reads its instructions from the environment, prints one JSON line.
 */
import { createCache } from '../cache/tiered-cache.js';
import { createRedisDriver } from './redis.js';

const url = process.env.REDIS_URL ?? '';
const prefix = process.env.CACHE_PREFIX ?? '';
const cache = createCache({ l2: createRedisDriver({ url, prefix }), namespace: 'shared' });
const before = await cache.get('shared-key');
await cache.set('shared-key', 'from-child');
await cache.invalidateTags(['child-tag']);
await cache.dispose();
process.stdout.write(`${JSON.stringify({ before })}\n`);
