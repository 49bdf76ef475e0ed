import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import { Connection } from './connection.ts';
import { encodeTextFrame } from './frame.ts';

/** A socket whose buffer the test fills and drains by hand; frames are decoded back to their JSON. */
function fakeSocket() {
  const sent: string[] = [];
  const transport = Object.assign(new EventEmitter(), {
    writableLength: 0,
    writableNeedDrain: false,
    write(frame: Buffer) {
      const headerLength = frame[1] === 126 ? 4 : 2;
      sent.push(frame.subarray(headerLength).toString());
      transport.writableLength += frame.length;
      return true;
    },
  });
  const closes: number[] = [];
  const socket = {
    OPEN: 1,
    CLOSED: 3,
    readyState: 1,
    terminate: () => {},
    close: (_code: number) => {},
    once: () => {},
  };
  socket.terminate = () => {
    socket.readyState = 3;
  };
  socket.close = (code: number) => {
    closes.push(code);
    socket.readyState = 2;
  };
  /** The kernel took everything: the buffer empties and, if a write went above the high-water mark, `drain`. */
  const drain = () => {
    transport.writableLength = 0;
    if (transport.writableNeedDrain) {
      transport.writableNeedDrain = false;
      transport.emit('drain');
    }
  };
  return { socket, transport, sent, drain, closes };
}

const limits = { maxInflightBytes: 100, maxQueuedBytes: 200 };
const message = (index: number) => encodeTextFrame(Buffer.from(`{"n":${index},"pad":"${'x'.repeat(30)}"}`)); // 48 bytes

describe('Connection send queue', () => {
  it('sends at once while the socket has room, queues beyond it, and resumes on drain in order', () => {
    const { socket, transport, sent, drain } = fakeSocket();
    const connection = new Connection('c', socket as unknown as WebSocket, transport, 'test', limits, () => {});
    expect(connection.sendFrame(message(1))).toBe('sent');
    expect(connection.sendFrame(message(2))).toBe('sent');
    transport.writableNeedDrain = true;
    expect(connection.sendFrame(message(3))).toBe('queued');
    expect(connection.sendFrame(message(4))).toBe('queued');
    expect(connection.queuedBytes).toBe(96);
    drain();
    expect(sent.map((text) => JSON.parse(text).n)).toEqual([1, 2, 3, 4]);
    expect(connection.queuedBytes).toBe(0);
  });

  it('does not stall when the socket empties without a drain event', async () => {
    const { socket, transport, sent } = fakeSocket();
    const connection = new Connection('c', socket as unknown as WebSocket, transport, 'test', limits, () => {});
    connection.sendFrame(message(1));
    connection.sendFrame(message(2));
    expect(connection.sendFrame(message(3))).toBe('queued');
    // No write went above the high-water mark, so no `drain` will come: the next turn retries.
    transport.writableLength = 0;
    await new Promise((resolve) => setImmediate(resolve));
    expect(sent.map((text) => JSON.parse(text).n)).toEqual([1, 2, 3]);
  });

  it('drops droppable messages when the queue is full and reports a slow consumer otherwise', () => {
    const { socket, transport } = fakeSocket();
    const slow: string[] = [];
    const connection = new Connection('c', socket as unknown as WebSocket, transport, 'test', limits, (c) =>
      slow.push(c.id),
    );
    transport.writableNeedDrain = true;
    connection.sendFrame(message(1));
    connection.sendFrame(message(2));
    for (let index = 3; index <= 6; index++) expect(connection.sendFrame(message(index))).toBe('queued');
    expect(connection.sendFrame(message(7), { droppable: true })).toBe('dropped');
    expect(connection.droppedMessages).toBe(1);
    expect(slow).toEqual([]);
    expect(connection.sendFrame(message(8))).toBe('dropped');
    expect(slow).toEqual(['c']);
  });

  it('frames payloads of every length class as RFC 6455 text frames', () => {
    for (const [length, header] of [
      [5, [0x81, 5]],
      [300, [0x81, 126, 1, 44]],
      [70_000, [0x81, 127, 0, 0, 0, 0, 0, 1, 17, 112]],
    ] as const) {
      const frame = encodeTextFrame(Buffer.alloc(length, 'a'));
      expect([...frame.subarray(0, header.length)]).toEqual(header);
      expect(frame.length).toBe(header.length + length);
    }
  });

  it('closes a slow consumer with 1013 (a close frame, not a cut) and refuses to send once closed', () => {
    const { socket, transport, sent, closes } = fakeSocket();
    const connection = new Connection('c', socket as unknown as WebSocket, transport, 'test', limits, () => {});
    connection.close(1013, 'slow consumer');
    expect(closes).toEqual([1013]);
    expect(connection.sendFrame(message(1))).toBe('closed');
    expect(sent).toEqual([]);
  });
});
