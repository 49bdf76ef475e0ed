import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe } from 'vitest';
import { type RedisTestServer, redisServerAvailable, startRedisServer } from '../../../../test-support/redis-server.js';
import { createRedisUIStreamDriver } from './redis-ui-stream-driver.js';
import type { UIStreamDriver } from './ui-stream-driver.js';
import { runUIStreamDriverSuite } from './ui-stream-registry.suite.js';

const available = redisServerAvailable();
let server: RedisTestServer | undefined;
const connections: Redis[] = [];

beforeAll(async () => {
  if (available) server = await startRedisServer();
});
afterAll(async () => {
  for (const connection of connections) connection.disconnect();
  await server?.stop();
});

/** Each instance has its own two connections, as two servers behind a load balancer would. */
async function instance(): Promise<UIStreamDriver> {
  if (server === undefined) throw new Error('redis-server not started');
  const client = new Redis(server.url);
  const subscriber = new Redis(server.url);
  connections.push(client, subscriber);
  return createRedisUIStreamDriver({ client, subscriber, prefix: 'test:ui' });
}

describe.skipIf(!available)('redis', () => {
  runUIStreamDriverSuite('redis', { instance });
});
