import type { Socket } from 'node:net';
import { describe, expect, it, vi } from 'vitest';
import { openAuthenticatedClient, startTestServer } from './harness.ts';

describe('a slow WebSocket consumer', () => {
  it('is closed with the documented 1013, which the client sees once it reads again (not 1006)', async () => {
    const server = await startTestServer({
      limits: {
        wsQueueBytes: 64 * 1024,
        wsInflightBytes: 32 * 1024,
        wsMessageBytes: 16 * 1024,
        wsMessageBurst: 10_000,
      },
    });
    try {
      const slow = await openAuthenticatedClient(server);
      slow.send({ type: 'join', room: 'firehose' });
      await slow.next((message) => message.type === 'joined');
      // Stop reading: the kernel buffers fill, then the server's queue.
      const transport = (slow.socket as unknown as { _socket: Socket })._socket;
      transport.pause();

      const publisher = await openAuthenticatedClient(server);
      publisher.send({ type: 'join', room: 'firehose' });
      await publisher.next((message) => message.type === 'joined');
      const payload = 'z'.repeat(8 * 1024);
      for (
        let index = 0;
        index < 1500 && server.app.context.gateway.hub.stats().slowConsumerDisconnects === 0;
        index++
      ) {
        publisher.send({ type: 'publish', room: 'firehose', data: { index, payload } });
        if (index % 50 === 49) await new Promise((resolve) => setImmediate(resolve));
      }
      await vi.waitFor(() => expect(server.app.context.gateway.hub.stats().slowConsumerDisconnects).toBe(1), {
        timeout: 10_000,
      });
      transport.resume();
      const closed = await slow.closed;
      expect(closed.code).toBe(1013);
      expect(closed.reason).toMatch(/slow consumer/);
      publisher.socket.close();
    } finally {
      await server.close();
    }
  });
});
