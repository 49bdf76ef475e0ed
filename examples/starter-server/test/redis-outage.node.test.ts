import { MockChatModel } from '@agenticgen/core/testing';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type RedisTestServer, redisServerAvailable, startRedisServer } from '../../../test-support/redis-server.ts';
import { readSse, startTestServer, type TestServer } from './harness.ts';

const answer = 'one two three four five six seven eight nine ten eleven twelve';

/** A model slow enough (150 ms a part) that Redis can be killed half-way through its answer. */
function slowModel() {
  return {
    model: new MockChatModel({ responses: [{ text: answer, chunkSize: 4, partDelayMs: 150 }], repeatLast: true }),
    label: 'slow test model',
    offlineDemo: false,
  };
}

/** Reads an SSE response until `marker` has been seen; returns what was read and the reader for the rest. */
async function readUntil(response: Response, marker: string) {
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  let text = '';
  while (!text.includes(marker)) {
    const { value, done } = await reader.read();
    if (done) break;
    text += new TextDecoder().decode(value);
  }
  return { text, reader };
}

async function readRest(reader: ReadableStreamDefaultReader<Uint8Array>): Promise<string> {
  let text = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return text;
    text += new TextDecoder().decode(value);
  }
}

const chat = (server: TestServer) =>
  server.api('/api/chat', {
    method: 'POST',
    json: { messages: [{ role: 'user', content: 'count' }], stream: true },
  });

describe.runIf(redisServerAvailable())('a Redis outage in the middle of runs (AGENTICGEN_REDIS_URL)', () => {
  let redis: RedisTestServer | undefined;
  let server: TestServer | undefined;
  afterEach(async () => {
    // Shutdown is bounded even with Redis down; stop() kills whichever redis-server the test left running.
    await server?.close();
    await redis?.stop();
    server = undefined;
    redis = undefined;
  });

  it('fails the run in flight with unavailable, reports not ready, refuses new runs clearly, and recovers', async () => {
    redis = await startRedisServer();
    server = await startTestServer({
      config: { redisUrl: redis.url, redisOutageMs: 300 },
      services: { model: slowModel() },
    });
    const ready = await fetch(`${server.url}/ready`);
    expect(ready.status).toBe(200);

    const inFlight = await chat(server);
    const { reader } = await readUntil(inFlight, 'event: text-delta');
    await redis.kill();
    // The stream ends by itself (no endless keep-alives) with a run-error the client can act on.
    const rest = await readRest(reader);
    expect(rest).toContain('event: run-error');
    expect(rest).toMatch(/"code":"unavailable"/);

    await vi.waitFor(async () => expect((await fetch(`${server?.url}/ready`)).status).toBe(503), { timeout: 5000 });
    const notReady = (await (await fetch(`${server.url}/ready`)).json()) as Record<string, unknown>;
    expect(notReady).toMatchObject({ status: 'redis-unavailable', dependencies: { redis: 'down' } });

    const refused = await chat(server);
    expect(refused.status).toBe(503);
    const body = (await refused.json()) as { error: { code: string; message: string; retryable: boolean } };
    expect(body.error).toMatchObject({ code: 'unavailable', retryable: true });
    expect(body.error.message).toMatch(/^\[server\] Redis is unreachable/);

    await redis.restart();
    await vi.waitFor(async () => expect((await fetch(`${server?.url}/ready`)).status).toBe(200), {
      timeout: 15_000,
      interval: 100,
    });
    const events = await readSse(await chat(server));
    expect(events.at(-1)).toMatchObject({ event: 'run-finish', data: { result: { text: answer } } });
  });

  it('shuts down while Redis is down: drains within the grace period, then forces', async () => {
    redis = await startRedisServer();
    server = await startTestServer({
      config: { redisUrl: redis.url, redisOutageMs: 60_000, drainTimeoutMs: 200, closeTimeoutMs: 300 },
      services: { model: slowModel() },
    });
    const inFlight = await chat(server);
    const { reader } = await readUntil(inFlight, 'event: text-delta');
    await redis.kill();
    await server.app.shutdown('test: Redis is down');
    const rest = await readRest(reader);
    expect(rest).toMatch(/event: run-error\ndata: .*"code":"aborted"/);
    expect(server.app.context.runs.stats().active).toBe(0);
  });
});
