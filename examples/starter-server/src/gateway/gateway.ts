import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { AgenticGenError, toAgenticGenError } from '@agenticgen/core';
import { type RawData, type WebSocket, WebSocketServer } from 'ws';
import { errorBody } from '../http/errors.ts';
import type { AuthThrottle } from '../limits/auth-throttle.ts';
import { TokenBucket } from '../limits/message-rate.ts';
import { bearerToken } from './auth.ts';
import { closeCodes } from './close-codes.ts';
import { Connection, type SendQueueLimits } from './connection.ts';
import { Hub } from './hub.ts';
import { type ClientMessage, parseClientMessage } from './messages.ts';

export interface GatewayOptions {
  /** Path the gateway answers upgrades on. */
  path: string;
  /** Identifies a token in constant time: the key of the token (per-token limits), or undefined. */
  identifyToken: (token: string | undefined | null) => string | undefined;
  /** Failed authentications per address, shared with the HTTP API. */
  authThrottle?: AuthThrottle;
  /** Messages per connection: `burst` at once, refilled at `perSecond`; beyond it the connection is closed with 1008. */
  messageRate?: { perSecond: number; burst: number };
  /** Largest incoming frame in bytes; larger ones close the connection with 1009. */
  maxMessageBytes: number;
  /** Outgoing queue limits per connection. */
  sendQueue: SendQueueLimits;
  /** Interval of heartbeat pings; a peer that missed the previous pong is cut. */
  heartbeatMs: number;
  /** Time a connection has to authenticate before it is closed with 1008. */
  authTimeoutMs: number;
  /** Rooms one connection may be in. */
  maxRoomsPerConnection: number;
  /** Handles the application messages (chat, agent runs, cancel). Errors are sent back to the client. */
  onRequest: (connection: Connection, message: ClientMessage) => void | Promise<void>;
  /** Called when a connection is gone (runs it started may be cancelled or left running). */
  onDisconnect?: (connection: Connection) => void;
  /** Structured log line. */
  log?: (level: 'info' | 'warn', message: string, fields?: Record<string, unknown>) => void;
}

/** Counters for `/metrics`. */
export interface GatewayCounters {
  authFailures: number;
  invalidMessages: number;
  deadPeers: number;
  connectionsOpened: number;
  /** Connections closed with 1008 for sending faster than the message rate. */
  rateLimited: number;
}

export interface Gateway {
  readonly hub: Hub;
  readonly counters: GatewayCounters;
  /** Routes an HTTP upgrade; returns false when the path is not the gateway's. */
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): boolean;
  /** Stops accepting connections. Existing ones keep working until `close`. */
  stopAccepting(): void;
  /** Closes every connection with 1001 and waits until they are gone (or cut after `graceMs`). */
  close(graceMs?: number): Promise<void>;
}

/** How long a slow consumer has to read what it was already sent and its 1013 close frame. */
const slowConsumerGraceMs = 10_000;

export function createGateway(options: GatewayOptions): Gateway {
  const hub = new Hub({ maxRoomsPerConnection: options.maxRoomsPerConnection });
  const counters: GatewayCounters = {
    authFailures: 0,
    invalidMessages: 0,
    deadPeers: 0,
    connectionsOpened: 0,
    rateLimited: 0,
  };
  const buckets = new WeakMap<Connection, TokenBucket>();
  const pending = new Set<Connection>();
  // permessage-deflate stays off: the gateway writes its own frames (frame.ts).
  const server = new WebSocketServer({
    noServer: true,
    maxPayload: options.maxMessageBytes,
    clientTracking: false,
    perMessageDeflate: false,
  });
  const log = options.log ?? (() => {});
  let accepting = true;

  const onSlow = (connection: Connection) => {
    hub.slowConsumerDisconnects++;
    log('warn', 'gateway: slow consumer disconnected', { connection: connection.id, queued: connection.queuedBytes });
    // A client that still reads gets the close frame after what its socket already holds; one that stopped
    // reading altogether is cut when the grace period ends.
    connection.close(closeCodes.tryAgainLater, 'slow consumer: send queue overflowed', slowConsumerGraceMs);
  };

  const authenticate = (connection: Connection, owner: string) => {
    connection.authenticated = true;
    connection.owner = owner;
    pending.delete(connection);
    hub.add(connection);
    connection.send({ type: 'welcome', sessionId: connection.id });
  };

  const rejectAuth = (connection: Connection, reason: string) => {
    counters.authFailures++;
    options.authThrottle?.fail(connection.remoteAddress);
    pending.delete(connection);
    connection.close(closeCodes.policyViolation, reason);
  };

  const sendError = (connection: Connection, error: unknown, requestId?: string) => {
    const agError = toAgenticGenError(error, 'internal', 'gateway');
    // The same bounded body as HTTP errors: never the whole input, never data that cannot be serialised.
    const { error: body } = errorBody(agError) as { error: Record<string, unknown> };
    const { retryable: _retryable, ...fields } = body;
    connection.send({ type: 'error', ...(requestId === undefined ? {} : { requestId }), error: fields });
  };

  /** Checks the address is not locked out, then the token. */
  const tryAuthenticate = (connection: Connection, token: string | undefined) => {
    try {
      options.authThrottle?.check(connection.remoteAddress);
    } catch {
      pending.delete(connection);
      connection.close(closeCodes.policyViolation, 'too many failed authentications from this address; retry later');
      return;
    }
    const owner = options.identifyToken(token);
    if (owner === undefined) rejectAuth(connection, 'invalid token');
    else authenticate(connection, owner);
  };

  const onMessage = (connection: Connection, data: RawData, isBinary: boolean) => {
    if (!connection.open) return;
    const bucket = buckets.get(connection);
    if (bucket !== undefined && !bucket.take()) {
      counters.rateLimited++;
      log('warn', 'gateway: message rate exceeded', { connection: connection.id });
      connection.close(closeCodes.policyViolation, 'message rate exceeded; slow down');
      return;
    }
    let message: ClientMessage;
    try {
      if (isBinary)
        throw new AgenticGenError('validation-failed', '[gateway] binary frames are not accepted; send JSON text');
      message = parseClientMessage(data.toString());
    } catch (error) {
      counters.invalidMessages++;
      if (!connection.authenticated)
        return rejectAuth(connection, 'authenticate first: send {"type":"auth","token":…}');
      return sendError(connection, error);
    }
    if (!connection.authenticated) {
      if (message.type !== 'auth') return rejectAuth(connection, 'authenticate first: send {"type":"auth","token":…}');
      return tryAuthenticate(connection, message.token);
    }
    const requestId = 'requestId' in message ? message.requestId : undefined;
    try {
      switch (message.type) {
        case 'auth':
          connection.send({ type: 'welcome', sessionId: connection.id });
          return;
        case 'join': {
          const members = hub.join(connection, message.room);
          connection.send({ type: 'joined', room: message.room, members });
          return;
        }
        case 'leave':
          hub.leave(connection, message.room);
          connection.send({ type: 'left', room: message.room });
          return;
        case 'publish':
          if (!connection.rooms.has(message.room)) {
            throw new AgenticGenError(
              'permission-denied',
              `[gateway] join room "${message.room}" before publishing to it`,
            );
          }
          hub.broadcast(message.room, {
            type: 'room-message',
            room: message.room,
            from: connection.id,
            data: message.data,
          });
          return;
        default:
          Promise.resolve(options.onRequest(connection, message)).catch((error: unknown) =>
            sendError(connection, error, requestId),
          );
      }
    } catch (error) {
      sendError(connection, error, requestId);
    }
  };

  const onConnection = (socket: WebSocket, request: IncomingMessage, transport: Duplex) => {
    counters.connectionsOpened++;
    const connection = new Connection(
      randomUUID(),
      socket,
      transport,
      request.socket.remoteAddress ?? 'unknown',
      options.sendQueue,
      onSlow,
    );
    if (options.messageRate !== undefined) {
      buckets.set(connection, new TokenBucket(options.messageRate.perSecond, options.messageRate.burst));
    }
    socket.on('message', (data, isBinary) => {
      try {
        onMessage(connection, data, isBinary);
      } catch (error) {
        // An error here would be thrown from ws' event emitter and end the process: log it and keep serving.
        log('warn', 'gateway: message handling failed', {
          connection: connection.id,
          error: String(error).slice(0, 300),
        });
      }
    });
    socket.on('pong', () => {
      connection.alive = true;
    });
    socket.on('error', (error) =>
      log('warn', 'gateway: socket error', { connection: connection.id, error: error.message }),
    );
    socket.on('close', () => {
      pending.delete(connection);
      if (connection.authenticated) {
        hub.remove(connection);
        options.onDisconnect?.(connection);
      }
    });
    const token = handshakeToken(request);
    if (token !== undefined) {
      tryAuthenticate(connection, token);
      return;
    }
    pending.add(connection);
    const timer = setTimeout(() => {
      if (!connection.authenticated && connection.open) rejectAuth(connection, 'authentication timeout');
    }, options.authTimeoutMs);
    timer.unref();
    socket.once('close', () => clearTimeout(timer));
  };

  const heartbeat = setInterval(() => {
    for (const connection of [...hub.connections(), ...pending]) {
      if (!connection.alive) {
        counters.deadPeers++;
        log('info', 'gateway: dead peer cut', { connection: connection.id });
        connection.socket.terminate();
        continue;
      }
      connection.alive = false;
      if (connection.socket.readyState === connection.socket.OPEN) connection.socket.ping();
    }
  }, options.heartbeatMs);
  heartbeat.unref();

  return {
    hub,
    counters,
    handleUpgrade(request, socket, head) {
      const url = new URL(request.url ?? '/', 'http://localhost');
      if (url.pathname !== options.path) return false;
      if (!accepting) {
        socket.end('HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
        return true;
      }
      server.handleUpgrade(request, socket, head, (webSocket) => onConnection(webSocket, request, socket));
      return true;
    },
    stopAccepting() {
      accepting = false;
    },
    async close(graceMs = 2000) {
      accepting = false;
      clearInterval(heartbeat);
      const all = [...hub.connections(), ...pending];
      const closed = all.map(
        (connection) =>
          new Promise<void>((resolve) => {
            if (connection.socket.readyState === connection.socket.CLOSED) return resolve();
            connection.socket.once('close', () => resolve());
            connection.close(closeCodes.goingAway, 'server shutting down', graceMs);
          }),
      );
      await Promise.all(closed);
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A token from the `Authorization` header or the `token` query parameter (browsers cannot set headers). */
function handshakeToken(request: IncomingMessage): string | undefined {
  const header = bearerToken(request.headers.authorization);
  if (header !== undefined) return header;
  const url = new URL(request.url ?? '/', 'http://localhost');
  return url.searchParams.get('token') ?? undefined;
}
