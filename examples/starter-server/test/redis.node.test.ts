import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type RedisTestServer, redisServerAvailable, startRedisServer } from '../../../test-support/redis-server.ts';
import type { ServiceOverrides } from '../src/services/create-services.ts';
import { openAuthenticatedClient, readSse, startTestServer, type TestServer } from './harness.ts';

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
      // Delivered once on the sending instance too (no echo back through Redis): a marker sent through Redis
      // after it reaches `here` behind any echo of the first message (one subscriber connection, in order).
      there.send({ type: 'publish', room: 'bridge', data: { text: 'marker' } });
      await here.next(
        (message) => message.type === 'room-message' && (message.data as { text: string }).text === 'marker',
      );
      expect(here.messages.filter((message) => message.type === 'room-message')).toHaveLength(2);
      expect(outsider.messages.some((message) => message.type === 'room-message')).toBe(false);
      for (const client of [here, there, outsider]) client.socket.close();
    } finally {
      await other.close();
    }
  });
});

/**
 * A Redis, an instance that executes queued runs and one that only submits them (so whatever the submitter
 * answers was executed by the other), started before the block's tests and stopped after them.
 */
function useTwoInstances(executorServices: ServiceOverrides = {}) {
  const instances = {} as { redis: RedisTestServer; executor: TestServer; submitter: TestServer };
  beforeAll(async () => {
    instances.redis = await startRedisServer();
    const redisUrl = instances.redis.url;
    instances.executor = await startTestServer({ config: { redisUrl }, services: executorServices });
    instances.submitter = await startTestServer({ config: { redisUrl, runWorker: false } });
  });
  afterAll(async () => {
    await instances.submitter?.close();
    await instances.executor?.close();
    await instances.redis?.stop();
  });
  return instances;
}

describe.runIf(redisServerAvailable())('runs through the Redis task queue', () => {
  const instances = useTwoInstances();

  it('streams, on the instance the client reached, every event of a chat another instance executed', async () => {
    expect(instances.submitter.app.context.services.features.runs?.detail).toContain('only submits');
    expect(instances.executor.app.context.services.features.runs?.detail).toContain('executes them too');
    const response = await instances.submitter.api('/api/chat', {
      method: 'POST',
      json: { messages: [{ role: 'user', content: 'hello there' }] },
      headers: { accept: 'text/event-stream' },
    });
    expect(response.status).toBe(200);
    const events = (await readSse(response)).map((record) => record.data);
    const types = events.map((event) => event.type);
    expect(types[0]).toBe('run-start');
    expect(types.at(-1)).toBe('run-finish');
    const text = events
      .filter((event) => event.type === 'text-delta')
      .map((event) => event.delta)
      .join('');
    // Every streamed word arrived before run-finish, and the final text is the same answer.
    expect(text).toMatch(/Offline demo model/);
    expect(events.at(-1)?.result).toMatchObject({ text });
    expect(new Set(events.map((event) => event.runId)).size).toBe(1);
    expect(instances.executor.app.context.runQueue?.executed()).toBe(1);
    expect(instances.submitter.app.context.runQueue?.executed()).toBe(0);
  });

  it('runs the collaboration task (supervisor, researcher, coder) through the queue too', async () => {
    const response = await instances.submitter.api('/api/collaboration', {
      method: 'POST',
      json: { task: 'What is 6 times 7?\n```python\nprint(6 * 7)\n```' },
    });
    const body = (await response.json()) as { result: { delegations: string[] } };
    expect(response.status).toBe(200);
    expect(body.result.delegations).toContain('coder');
    expect(instances.executor.app.context.runQueue?.executed()).toBe(2);
  });
});

describe.runIf(redisServerAvailable())('cancelling a queued run', () => {
  // A slow stream (100 ms a word), so the client can leave half-way.
  const instances = useTwoInstances({ demoWordDelayMs: 100 });

  it('stops the run on the executing instance when the client that started it goes away', async () => {
    const client = new AbortController();
    const response = await instances.submitter.api('/api/chat', {
      method: 'POST',
      json: { messages: [{ role: 'user', content: 'hello there' }] },
      headers: { accept: 'text/event-stream' },
      signal: client.signal,
    });
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    let seen = '';
    while (!seen.includes('event: text-delta')) {
      const { value, done } = await reader.read();
      if (done) break;
      seen += new TextDecoder().decode(value);
    }
    expect(seen).toContain('event: text-delta');
    client.abort();
    await vi.waitFor(() => expect(instances.executor.app.context.runQueue?.cancelled()).toBe(1), { timeout: 5000 });
    expect(instances.submitter.app.context.runs.stats().cancelled).toBe(1);
  });
});

describe('Redis unreachable', () => {
  it('starts anyway: rooms stay per instance and the server is ready', async () => {
    const server = await startTestServer({ config: { redisUrl: 'redis://127.0.0.1:1' } });
    try {
      expect(server.app.context.services.features.rooms?.detail).toMatch(/^this instance only \(Redis relay failed/);
      expect(server.app.context.services.features.runs?.detail).toMatch(
        /^executed by this instance \(Redis queue failed/,
      );
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
