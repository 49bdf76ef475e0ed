import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RedisTestServer, redisServerAvailable, startRedisServer } from '../../../test-support/redis-server.ts';
import { startTestServer, type TestServer } from './harness.ts';

/** Sends one command over RESP and returns the raw reply (enough for KEYS). */
function redisCommand(port: number, ...parts: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let reply = '';
    socket.on('data', (chunk) => {
      reply += chunk.toString();
      socket.end();
    });
    socket.on('end', () => resolve(reply));
    socket.on('error', reject);
    socket.write(`*${parts.length}\r\n${parts.map((part) => `$${Buffer.byteLength(part)}\r\n${part}\r\n`).join('')}`);
  });
}

describe.runIf(redisServerAvailable())('the cache L2 on Redis (AGENTICGEN_REDIS_URL)', () => {
  let redis: RedisTestServer;
  let server: TestServer;
  beforeAll(async () => {
    redis = await startRedisServer();
    server = await startTestServer({ config: { redisUrl: redis.url } });
  });
  afterAll(async () => {
    await server?.close();
    await redis?.stop();
  });

  it('reports Redis as the L2 and writes cached search results there', async () => {
    expect(server.app.context.services.features.cache?.detail).toContain(`Redis L2 at ${redis.url}`);
    await server.api('/api/knowledge/documents', {
      method: 'POST',
      json: { name: 'tides.txt', content: 'Spring tides happen at new and full moon, when the sun and moon align.' },
    });
    const search = await server.api('/api/knowledge/search', {
      method: 'POST',
      json: { query: 'when are spring tides' },
    });
    expect(search.status).toBe(200);
    const keys = await redisCommand(redis.port, 'KEYS', 'agenticgen:starter:*');
    expect(keys).toMatch(/agenticgen:starter:/);
  });
});
