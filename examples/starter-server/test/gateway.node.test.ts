import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAuthenticatedClient, openClient, startTestServer, type TestServer } from './harness.ts';

describe('WebSocket gateway', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({
      config: { authTimeoutMs: 300 },
      // The firehose test publishes up to 2,000 frames: above the default message rate, which has its own test.
      limits: {
        wsMessageBytes: 8 * 1024,
        wsQueueBytes: 256 * 1024,
        wsInflightBytes: 64 * 1024,
        wsMessageBurst: 2100,
      },
    });
  });
  afterAll(() => server.close());

  describe('authentication', () => {
    it('accepts a valid token in the auth message and says welcome with a session id', async () => {
      const client = await openAuthenticatedClient(server);
      const welcome = client.messages.find((message) => message.type === 'welcome');
      expect(welcome?.sessionId).toMatch(/^[0-9a-f-]{36}$/);
      client.socket.close();
    });

    it('accepts any configured token in the Authorization header', async () => {
      const client = await openClient(server.wsUrl, {
        headers: { authorization: 'Bearer second-token-abcdefghijklmnop' },
      });
      await client.next((message) => message.type === 'welcome');
      client.socket.close();
    });

    it('closes with 1008 on a wrong token in the header', async () => {
      const client = await openClient(server.wsUrl, { headers: { authorization: `Bearer ${server.token}x` } });
      expect(await client.closed).toEqual({ code: 1008, reason: 'invalid token' });
      expect(client.messages).toEqual([]);
    });

    it('closes with 1008 on a wrong token in the query string', async () => {
      const client = await openClient(`${server.wsUrl}?token=nope`);
      expect((await client.closed).code).toBe(1008);
    });

    it('closes with 1008 on a wrong token in the auth message', async () => {
      const client = await openClient(server.wsUrl);
      client.send({ type: 'auth', token: 'wrong' });
      expect(await client.closed).toEqual({ code: 1008, reason: 'invalid token' });
    });

    it('closes with 1008 when anything but auth comes first', async () => {
      const client = await openClient(server.wsUrl);
      client.send({ type: 'join', room: 'lobby' });
      const closed = await client.closed;
      expect(closed.code).toBe(1008);
      expect(closed.reason).toMatch(/authenticate first/);
      expect(client.messages).toEqual([]);
    });

    it('closes with 1008 when the client never authenticates', async () => {
      const client = await openClient(server.wsUrl);
      expect(await client.closed).toEqual({ code: 1008, reason: 'authentication timeout' });
    });
  });

  describe('message validation', () => {
    it('answers invalid JSON, unknown types and schema violations with validation errors and stays open', async () => {
      const client = await openAuthenticatedClient(server);
      client.socket.send('{not json');
      const invalidJson = await client.next((message) => message.type === 'error');
      expect(invalidJson.error).toMatchObject({
        code: 'validation-failed',
        message: expect.stringMatching(/not valid JSON/),
      });

      client.send({ type: 'launch-missiles' });
      await client.next(
        (message) =>
          message.type === 'error' &&
          String((message.error as { message: string }).message).includes('unknown message type'),
      );

      client.send({ type: 'chat', requestId: 'r1', messages: [{ role: 'wizard', content: 'hi' }] });
      const schema = await client.next(
        (message) =>
          message.type === 'error' &&
          String((message.error as { message: string }).message).includes('/messages/0/role'),
      );
      expect((schema.error as { code: string }).code).toBe('validation-failed');

      client.send({ type: 'join', room: 'bad room name!' });
      await client.next(
        (message) =>
          message.type === 'error' && String((message.error as { message: string }).message).includes('/room'),
      );

      client.send({ type: 'join', room: 'still-open' });
      await client.next((message) => message.type === 'joined');
      client.socket.close();
    });

    it('closes with 1009 on a frame above the size limit', async () => {
      const client = await openAuthenticatedClient(server);
      client.send({ type: 'publish', room: 'lobby', data: 'x'.repeat(16 * 1024) });
      expect((await client.closed).code).toBe(1009);
    });
  });

  describe('rooms', () => {
    it('delivers room messages to members only, and not before they join', async () => {
      const [alice, bob, carol] = await Promise.all([1, 2, 3].map(() => openAuthenticatedClient(server)));
      if (alice === undefined || bob === undefined || carol === undefined) throw new Error('clients');
      for (const client of [alice, bob]) {
        client.send({ type: 'join', room: 'team' });
        await client.next((message) => message.type === 'joined');
      }
      carol.send({ type: 'publish', room: 'team', data: 'sneaky' });
      const denied = await carol.next((message) => message.type === 'error');
      expect((denied.error as { code: string }).code).toBe('permission-denied');

      alice.send({ type: 'publish', room: 'team', data: { text: 'hello team' } });
      const received = await bob.next((message) => message.type === 'room-message');
      expect(received).toMatchObject({ room: 'team', data: { text: 'hello team' } });
      expect(carol.messages.some((message) => message.type === 'room-message')).toBe(false);
      for (const client of [alice, bob, carol]) client.socket.close();
    });

    it('streams a chat run to the client that started it and to the room', async () => {
      const [starter, watcher] = await Promise.all([openAuthenticatedClient(server), openAuthenticatedClient(server)]);
      if (starter === undefined || watcher === undefined) throw new Error('clients');
      for (const client of [starter, watcher]) {
        client.send({ type: 'join', room: 'studio' });
        await client.next((message) => message.type === 'joined');
      }
      starter.send({ type: 'chat', requestId: 'q1', room: 'studio', messages: [{ role: 'user', content: 'hello' }] });
      const finish = await starter.next(
        (message) => message.type === 'run-event' && (message.event as { type: string }).type === 'run-finish',
      );
      expect(finish.requestId).toBe('q1');
      const runId = (finish.event as { runId: string }).runId;
      const roomFinish = await watcher.next(
        (message) => message.type === 'run-event' && (message.event as { type: string }).type === 'run-finish',
      );
      expect(roomFinish).toMatchObject({ room: 'studio', event: { runId } });
      const streamed = (client: typeof starter) =>
        client.messages
          .filter(
            (message) => message.type === 'run-event' && (message.event as { type: string }).type === 'text-delta',
          )
          .map((message) => (message.event as { delta: string }).delta)
          .join('');
      expect(streamed(starter).length).toBeGreaterThan(0);
      expect(streamed(watcher)).toBe(streamed(starter));
      for (const client of [starter, watcher]) client.socket.close();
    });
  });

  describe('slow consumers and dead peers', () => {
    it('disconnects a client that stops reading without delaying the others', async () => {
      const fast = await openAuthenticatedClient(server);
      fast.send({ type: 'join', room: 'firehose' });
      await fast.next((message) => message.type === 'joined');

      // A raw TCP client that completes the handshake, joins, then never reads again.
      const slow = connect(Number(new URL(server.url).port), '127.0.0.1');
      await new Promise<void>((resolve) => slow.once('connect', () => resolve()));
      slow.write(
        `GET /ws?token=${server.token} HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
          'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n',
      );
      await new Promise<void>((resolve) => slow.once('data', () => resolve()));
      slow.write(maskedTextFrame(JSON.stringify({ type: 'join', room: 'firehose' })));
      await until(() => server.app.context.gateway.hub.members('firehose') === 2); // the raw client has joined
      slow.pause();
      let slowClosed = false;
      slow.on('close', () => {
        slowClosed = true;
      });

      const publisher = await openAuthenticatedClient(server);
      publisher.send({ type: 'join', room: 'firehose' });
      await publisher.next((message) => message.type === 'joined');
      const payload = 'y'.repeat(7 * 1024);
      // The publisher sends in batches of 16 frames (≈ 112 KB) and waits until the fast client has each batch. The
      // fast client reads in this process, so it cannot read while the server handles a batch: a batch must fit in
      // its 64 KB in flight plus 256 KB queue whatever the kernel buffers hold (sending 900 frames at once once
      // overflowed the fast client too, in CI). The paused client is never read, so it overflows once the
      // kernel's buffers for it are full (the server's send buffer grows up to tcp_wmem's 4 MB here); the loop
      // stops there, or at 14 MB, which no buffer absorbs.
      const batch = 16;
      const maxFrames = 2000;
      const disconnects = () => server.app.context.gateway.hub.stats().slowConsumerDisconnects;
      const before = disconnects();
      let sent = 0;
      while (disconnects() === before && sent < maxFrames) {
        for (let index = 0; index < batch; index++, sent++)
          publisher.send({ type: 'publish', room: 'firehose', data: { index: sent, payload } });
        const last = sent - 1;
        await fast.next(
          (message) => message.type === 'room-message' && (message.data as { index: number }).index === last,
          20_000,
        );
      }
      const indexes = fast.messages
        .filter((message) => message.type === 'room-message')
        .map((message) => (message.data as { index: number }).index);
      expect(indexes).toEqual(Array.from({ length: sent }, (_, index) => index));
      expect(disconnects()).toBe(before + 1); // the paused client only: the fast client and the publisher kept up
      slow.destroy();
      expect(slowClosed || slow.destroyed).toBe(true);
      for (const client of [fast, publisher]) client.socket.close();
    });
  });
});

describe('heartbeats', () => {
  it('cuts a peer that stops answering pings and forgets its rooms', async () => {
    const server = await startTestServer({ config: { heartbeatMs: 150 } });
    try {
      const live = await openAuthenticatedClient(server);
      const dead = connect(Number(new URL(server.url).port), '127.0.0.1');
      await new Promise<void>((resolve) => dead.once('connect', () => resolve()));
      dead.write(
        `GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${server.token}\r\nUpgrade: websocket\r\n` +
          'Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n',
      );
      await new Promise<void>((resolve) => dead.once('data', () => resolve()));
      dead.write(maskedTextFrame(JSON.stringify({ type: 'join', room: 'ghosts' })));
      await until(() => server.app.context.gateway.hub.members('ghosts') === 1);
      // The raw socket reads pings but never answers them: a dead peer.
      const closed = new Promise<void>((resolve) => dead.once('close', () => resolve()));
      await closed;
      await until(() => server.app.context.gateway.hub.members('ghosts') === 0);
      expect(server.app.context.gateway.counters.deadPeers).toBeGreaterThanOrEqual(1);
      // A client that answers pings (the ws library does) stays connected through many heartbeats.
      expect(live.socket.readyState).toBe(live.socket.OPEN);
      live.socket.close();
    } finally {
      await server.close();
    }
  });
});

async function until(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** A client-to-server text frame (clients must mask). */
function maskedTextFrame(text: string): Buffer {
  const payload = Buffer.from(text);
  if (payload.length > 125) throw new Error('short frames only');
  const mask = Buffer.from([1, 2, 3, 4]);
  const masked = Buffer.from(payload.map((byte, index) => byte ^ (mask[index % 4] as number)));
  return Buffer.concat([Buffer.from([0x81, 0x80 | payload.length]), mask, masked]);
}
