import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RedisTestServer, redisServerAvailable, startRedisServer } from '../../../test-support/redis-server.ts';
import { openAuthenticatedClient, startTestServer, type TestServer } from './harness.ts';

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

  it('shares rooms between two instances: a message published on one reaches members on the other', async () => {
    const other = await startTestServer({ config: { redisUrl: redis.url } });
    try {
      expect(other.app.context.services.features.rooms?.detail).toContain('Redis pub/sub');
      const here = await openAuthenticatedClient(server);
      const there = await openAuthenticatedClient(other);
      const outsider = await openAuthenticatedClient(other);
      for (const client of [here, there]) {
        client.send({ type: 'join', room: 'bridge' });
        await client.next((message) => message.type === 'joined');
      }
      here.send({ type: 'publish', room: 'bridge', data: { text: 'across instances' } });
      const received = await there.next((message) => message.type === 'room-message');
      expect(received).toMatchObject({ room: 'bridge', data: { text: 'across instances' } });
      // Delivered once on the sending instance too (no echo back through Redis).
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(here.messages.filter((message) => message.type === 'room-message')).toHaveLength(1);
      expect(outsider.messages.some((message) => message.type === 'room-message')).toBe(false);
      for (const client of [here, there, outsider]) client.socket.close();
    } finally {
      await other.close();
    }
  });
});

describe('Redis unreachable', () => {
  it('starts anyway: rooms stay per instance and the server is ready', async () => {
    const server = await startTestServer({ config: { redisUrl: 'redis://127.0.0.1:1' } });
    try {
      expect(server.app.context.services.features.rooms?.detail).toMatch(/^this instance only \(Redis relay failed/);
      const ready = await fetch(`${server.url}/ready`);
      expect(ready.status).toBe(200);
      const client = await openAuthenticatedClient(server);
      client.send({ type: 'join', room: 'local' });
      await client.next((message) => message.type === 'joined');
      client.socket.close();
    } finally {
      await server.close();
    }
  });
});
