/** The Node entry: everything of the browser-safe entry plus the file-system and Redis drivers. */

export { createFileDriver, type FileDriverOptions } from './drivers/file.js';
export { createRedisDriver, type RedisClient, type RedisDriverOptions } from './drivers/redis.js';
export * from './index.js';
