import { MockChatModel } from '@agenticgen/core/testing';
import { describe, expect, it, vi } from 'vitest';
import type { PythonService } from '../src/services/types.ts';
import { openAuthenticatedClient, openClient, startTestServer } from './harness.ts';

const secondToken = 'second-token-abcdefghijklmnop';

function slowModel() {
  return {
    model: new MockChatModel({
      responses: [{ text: 'one two three four', chunkSize: 4, partDelayMs: 500 }],
      repeatLast: true,
    }),
    label: 'slow test model',
    offlineDemo: false,
  };
}

/** Reads an SSE response until its first event, so the run is known to be in flight. */
async function firstEvent(response: Response): Promise<string> {
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  let seen = '';
  while (!seen.includes('\n\n')) {
    const { value, done } = await reader.read();
    if (done) break;
    seen += new TextDecoder().decode(value);
  }
  return seen;
}

describe('no user can starve the others', () => {
  it('limits the runs one token has in flight over HTTP; other tokens still run', async () => {
    const server = await startTestServer({
      services: { model: slowModel() },
      limits: { runsPerToken: 2 },
      config: { drainTimeoutMs: 50 },
    });
    const controller = new AbortController();
    try {
      const chat = (token: string) =>
        server.api('/api/chat', {
          method: 'POST',
          json: { messages: [{ role: 'user', content: 'count' }], stream: true },
          headers: { authorization: `Bearer ${token}` },
          signal: controller.signal,
        });
      for (let index = 0; index < 2; index++) expect(await firstEvent(await chat(server.token))).toContain('run-start');
      const refused = await chat(server.token);
      expect(refused.status).toBe(429);
      expect(await refused.json()).toMatchObject({ error: { code: 'rate-limit', retryable: true } });
      const other = await chat(secondToken);
      expect(other.status).toBe(200);
      expect(await firstEvent(other)).toContain('run-start');
    } finally {
      controller.abort();
      await server.close();
    }
  });

  it('closes a WebSocket connection that sends faster than its message rate with 1008', async () => {
    const server = await startTestServer({ limits: { wsMessagesPerSecond: 1, wsMessageBurst: 5 } });
    try {
      const flooder = await openAuthenticatedClient(server);
      for (let index = 0; index < 50; index++) flooder.send({ type: 'join', room: `room-${index}` });
      const closed = await flooder.closed;
      expect(closed.code).toBe(1008);
      expect(closed.reason).toMatch(/message rate/);
      expect(server.app.context.gateway.counters.rateLimited).toBe(1);
      // Others are unaffected.
      const calm = await openAuthenticatedClient(server);
      calm.send({ type: 'join', room: 'quiet' });
      await calm.next((message) => message.type === 'joined');
      calm.socket.close();
    } finally {
      await server.close();
    }
  });

  it('throttles failed authentications per address, for the right token too while locked, on HTTP and WebSocket', async () => {
    const server = await startTestServer({ limits: { authFailures: 3 } });
    try {
      for (let attempt = 0; attempt < 3; attempt++) {
        const wrong = await server.api('/api/agents', { headers: { authorization: 'Bearer guess-number-x' } });
        expect(wrong.status).toBe(401);
      }
      const locked = await server.api('/api/agents', { headers: { authorization: 'Bearer guess-number-y' } });
      expect(locked.status).toBe(429);
      expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(await locked.json()).toMatchObject({ error: { code: 'rate-limit' } });
      expect((await server.api('/api/agents')).status).toBe(429);
      const socket = await openClient(`${server.wsUrl}?token=${server.token}`);
      const closed = await socket.closed;
      expect(closed).toMatchObject({ code: 1008, reason: expect.stringMatching(/too many failed/) });
      // Liveness stays public.
      expect((await fetch(`${server.url}/health`)).status).toBe(200);
    } finally {
      await server.close();
    }
  });

  it('takes sandbox runs in turn from each token instead of first come, first served', async () => {
    const started: string[] = [];
    const finish = new Map<string, () => void>();
    const python: PythonService = {
      async run(code) {
        started.push(code);
        await new Promise<void>((resolve) => finish.set(code, resolve));
        return { ok: true, stdout: code, stderr: '', durationMs: 1, sessionId: 'fake' } as never;
      },
      async dispose() {},
    };
    const server = await startTestServer({
      services: { python },
      limits: { sandboxConcurrency: 1, sandboxQueuePerToken: 3 },
    });
    try {
      const run = (code: string, token: string) =>
        server.api('/api/tools/python', {
          method: 'POST',
          json: { code },
          headers: { authorization: `Bearer ${token}` },
        });
      const first = run('a1', server.token);
      await vi.waitFor(() => expect(started).toEqual(['a1']));
      const queuedA = ['a2', 'a3', 'a4'].map((code) => run(code, server.token));
      await vi.waitFor(() => expect(server.app.context.runLimiter.active('token-0')).toBe(4));
      // A fourth waiting run of the same token is refused: its queue holds three.
      const overflow = await run('a5', server.token);
      expect(overflow.status).toBe(503);
      expect(await overflow.json()).toMatchObject({ error: { code: 'queue-full' } });
      const other = run('b1', secondToken);
      await vi.waitFor(() => expect(server.app.context.runLimiter.active('token-1')).toBe(1));
      for (const code of ['a1', 'b1', 'a2', 'a3', 'a4']) {
        await vi.waitFor(() => expect(started.at(-1)).toBe(code));
        finish.get(code)?.();
      }
      expect(started).toEqual(['a1', 'b1', 'a2', 'a3', 'a4']);
      for (const response of await Promise.all([first, other, ...queuedA])) expect(response.status).toBe(200);
    } finally {
      await server.close();
    }
  });

  it('refuses an upload above its limit and a room beyond the rooms a connection may join', async () => {
    const server = await startTestServer({ limits: { uploadBytes: 1000, wsRoomsPerConnection: 2 } });
    try {
      for (const path of ['/api/knowledge/documents?name=big.txt', '/api/tools/files?name=big.csv']) {
        const upload = await server.api(path, {
          method: 'POST',
          body: 'x'.repeat(2000),
          headers: { 'content-type': 'text/plain' },
        });
        expect(upload.status).toBe(413);
        expect(await upload.json()).toMatchObject({ error: { code: 'payload-too-large', data: { limitBytes: 1000 } } });
      }
      const client = await openAuthenticatedClient(server);
      for (const room of ['one', 'two']) {
        client.send({ type: 'join', room });
        await client.next((message) => message.type === 'joined' && message.room === room);
      }
      client.send({ type: 'join', room: 'three' });
      const refused = await client.next((message) => message.type === 'error');
      expect(refused).toMatchObject({ error: { code: 'invalid-request' } });
      client.socket.close();
    } finally {
      await server.close();
    }
  });
});
