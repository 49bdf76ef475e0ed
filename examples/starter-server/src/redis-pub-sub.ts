import type { Redis } from 'ioredis';
import type { Logger } from './log.ts';

/**
 * A publisher and a subscriber connection to Redis (a subscribed ioredis client can do nothing else), for the
 * room relay and the run queue. Connection errors are logged under `scope` (without a listener ioredis errors
 * are unhandled); if the first connect fails both clients are stopped, so nothing retries in the background
 * while the server carries on without Redis.
 */
export async function connectPubSub(
  redisUrl: string,
  options: { log: Logger; scope: string },
): Promise<{ publisher: Redis; subscriber: Redis }> {
  const { Redis: RedisClient } = await import('ioredis');
  const connection = { lazyConnect: true, maxRetriesPerRequest: 2, enableOfflineQueue: false };
  const publisher: Redis = new RedisClient(redisUrl, connection);
  const subscriber: Redis = new RedisClient(redisUrl, connection);
  for (const client of [publisher, subscriber]) {
    client.on('error', (error: Error) =>
      options.log('warn', `${options.scope}: Redis connection error`, { error: error.message }),
    );
  }
  try {
    await Promise.all([publisher.connect(), subscriber.connect()]);
  } catch (error) {
    publisher.disconnect();
    subscriber.disconnect();
    throw error;
  }
  return { publisher, subscriber };
}
