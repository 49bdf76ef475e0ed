import type { WebSocket } from 'ws';
import { encodeJsonFrame } from './frame.ts';

/** Limits of one connection's outgoing queue. */
export interface SendQueueLimits {
  /** Bytes handed to the socket but not yet written to the kernel; above this, messages wait in our queue. */
  maxInflightBytes: number;
  /** Bytes allowed to wait in our queue; beyond this the client is a slow consumer. */
  maxQueuedBytes: number;
}

const noOptions: { readonly droppable?: boolean } = {};

/** The TCP socket under a WebSocket, as far as the queue needs it: frames are written to it directly. */
export interface FrameSink {
  write(frame: Buffer): boolean;
  /** Bytes written but not yet taken by the kernel. */
  readonly writableLength: number;
  /** True when a write went above the high-water mark: `drain` follows when the buffer empties. */
  readonly writableNeedDrain: boolean;
  once(event: 'drain', listener: () => void): unknown;
}

/** What happened to one outgoing message. */
export type SendOutcome = 'sent' | 'queued' | 'dropped' | 'closed';

/** Called when a connection overflows its queue with a message that must not be dropped. */
export type SlowConsumerHandler = (connection: Connection) => void;

/**
 * One WebSocket client. Outgoing messages are text frames (see `frame.ts`) that go through a bounded queue: at
 * most `maxInflightBytes` sit in the TCP socket's buffer at once, the rest wait here up to `maxQueuedBytes`
 * and move on when the socket drains. When that overflows, a droppable message (presence, progress ticks) is dropped and
 * counted; any other message means the client cannot keep up, and it is disconnected with 1013 so it never
 * stalls anyone else and never grows the server's memory without bound. The fast path (nothing queued, room
 * in the socket) is one `write` of bytes framed once for all members, which matters when a broadcast reaches
 * 10,000 sockets.
 */
export class Connection {
  readonly id: string;
  readonly socket: WebSocket;
  readonly remoteAddress: string;
  readonly rooms = new Set<string>();
  authenticated = false;
  /** The key of the token it signed in with (per-token limits). */
  owner: string | undefined;
  /** Set by every pong; cleared by every heartbeat ping. */
  alive = true;
  droppedMessages = 0;
  #queue: Buffer[] = [];
  #queuedBytes = 0;
  #waitingForDrain = false;
  #limits: SendQueueLimits;
  /** The TCP socket under the WebSocket: its `drain` event moves the queue on. */
  #transport: FrameSink;
  #onSlow: SlowConsumerHandler;
  #closing = false;

  constructor(
    id: string,
    socket: WebSocket,
    transport: FrameSink,
    remoteAddress: string,
    limits: SendQueueLimits,
    onSlow: SlowConsumerHandler,
  ) {
    this.id = id;
    this.socket = socket;
    this.#transport = transport;
    this.remoteAddress = remoteAddress;
    this.#limits = limits;
    this.#onSlow = onSlow;
  }

  /** Bytes waiting in our queue (not counting the socket's own buffers). */
  get queuedBytes(): number {
    return this.#queuedBytes;
  }

  get open(): boolean {
    return !this.#closing && this.socket.readyState === this.socket.OPEN;
  }

  /** Sends a JSON message. */
  send(message: unknown, options: { readonly droppable?: boolean } = noOptions): SendOutcome {
    return this.sendFrame(encodeJsonFrame(message), options);
  }

  /** Sends an already framed message (broadcasts frame once for every member). */
  sendFrame(data: Buffer, options: { readonly droppable?: boolean } = noOptions): SendOutcome {
    if (!this.open) return 'closed';
    if (this.#queue.length === 0 && this.#transport.writableLength + data.length <= this.#limits.maxInflightBytes) {
      this.#transport.write(data);
      return 'sent';
    }
    if (this.#queuedBytes + data.length > this.#limits.maxQueuedBytes) {
      if (options.droppable === true) {
        this.droppedMessages++;
        return 'dropped';
      }
      this.#onSlow(this);
      return 'dropped';
    }
    this.#queue.push(data);
    this.#queuedBytes += data.length;
    this.#awaitDrain();
    return 'queued';
  }

  /** Closes with a code; a peer that does not answer the close handshake is cut after `graceMs`. */
  close(code: number, reason: string, graceMs = 2000): void {
    if (this.#closing) return;
    this.#closing = true;
    this.#queue = [];
    this.#queuedBytes = 0;
    if (this.socket.readyState === this.socket.CLOSED) return;
    // A slow consumer gets its 1013 close frame after what its socket already holds (at most the in-flight
    // bytes), so a client that still reads sees the documented code; one that stopped reading is cut after the
    // grace period, as a dead peer would be.
    this.socket.close(code, reason);
    const timer = setTimeout(() => this.socket.terminate(), graceMs);
    timer.unref();
    this.socket.once('close', () => clearTimeout(timer));
  }

  /**
   * Resumes the queue when the socket can take more. `drain` only comes when a write went above the socket's
   * high-water mark; when none did (`writableNeedDrain` false) the next turn of the event loop retries.
   */
  #awaitDrain(): void {
    if (this.#waitingForDrain) return;
    this.#waitingForDrain = true;
    const resume = () => {
      this.#waitingForDrain = false;
      this.#flush();
    };
    if (this.#transport.writableNeedDrain) this.#transport.once('drain', resume);
    else setImmediate(resume);
  }

  #flush(): void {
    while (this.#queue.length > 0 && this.open) {
      const next = this.#queue[0] as Buffer;
      const buffered = this.#transport.writableLength;
      if (buffered > 0 && buffered + next.length > this.#limits.maxInflightBytes) {
        this.#awaitDrain();
        return;
      }
      this.#queue.shift();
      this.#queuedBytes -= next.length;
      this.#transport.write(next);
    }
  }
}
