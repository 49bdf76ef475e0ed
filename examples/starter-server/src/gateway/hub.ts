import { AgenticGenError } from '@agenticgen/core';
import type { Connection, SendOutcome } from './connection.ts';
import { encodeJsonFrame } from './frame.ts';

/** Counters the hub keeps; exported to `/metrics` and `/ready`. */
export interface HubStats {
  /** Open, authenticated connections. */
  connections: number;
  /** Rooms with at least one member. */
  rooms: number;
  /** Messages dropped because a client's queue was full (droppable messages only). */
  droppedMessages: number;
  /** Clients disconnected because they could not keep up. */
  slowConsumerDisconnects: number;
}

export interface HubOptions {
  /** Rooms one connection may be in at once. */
  maxRoomsPerConnection: number;
}

const droppable = { droppable: true } as const;
const notDroppable = { droppable: false } as const;
const roomNamePattern = /^[a-zA-Z0-9_.:-]{1,64}$/;

/**
 * Sessions (authenticated connections by id) and rooms (named sets of connections). A broadcast encodes and
 * frames the message once and hands the same bytes to every member's bounded queue, so one slow member costs nothing to
 * the others.
 */
export class Hub {
  readonly #connections = new Map<string, Connection>();
  readonly #rooms = new Map<string, Set<Connection>>();
  readonly #options: HubOptions;
  droppedMessages = 0;
  slowConsumerDisconnects = 0;
  /** Called after every local broadcast, so a relay can repeat it on the other instances (see room-relay.ts). */
  onBroadcast: ((room: string, message: unknown) => void) | undefined;

  constructor(options: HubOptions) {
    this.#options = options;
  }

  add(connection: Connection): void {
    this.#connections.set(connection.id, connection);
  }

  /** Forgets a connection and takes it out of every room. */
  remove(connection: Connection): void {
    this.droppedMessages += connection.droppedMessages;
    connection.droppedMessages = 0;
    this.#connections.delete(connection.id);
    for (const room of connection.rooms) this.#leaveRoom(connection, room);
    connection.rooms.clear();
  }

  get(id: string): Connection | undefined {
    return this.#connections.get(id);
  }

  connections(): IterableIterator<Connection> {
    return this.#connections.values();
  }

  join(connection: Connection, room: string): number {
    if (!roomNamePattern.test(room)) {
      throw new AgenticGenError(
        'invalid-argument',
        `[gateway] invalid room name ${JSON.stringify(room).slice(0, 80)}: use 1–64 letters, digits, "_", ".", ":" or "-"`,
      );
    }
    if (!connection.rooms.has(room) && connection.rooms.size >= this.#options.maxRoomsPerConnection) {
      throw new AgenticGenError(
        'invalid-request',
        `[gateway] a connection may join at most ${this.#options.maxRoomsPerConnection} rooms; leave one first`,
      );
    }
    let members = this.#rooms.get(room);
    if (members === undefined) {
      members = new Set();
      this.#rooms.set(room, members);
    }
    members.add(connection);
    connection.rooms.add(room);
    return members.size;
  }

  leave(connection: Connection, room: string): void {
    connection.rooms.delete(room);
    this.#leaveRoom(connection, room);
  }

  members(room: string): number {
    return this.#rooms.get(room)?.size ?? 0;
  }

  /** Sends `message` to every member of `room` (but `except`); returns how many queued or sent it. */
  broadcast(
    room: string,
    message: unknown,
    options: { except?: Connection; droppable?: boolean; fromRelay?: boolean } = {},
  ): number {
    if (options.fromRelay !== true) this.onBroadcast?.(room, message);
    const members = this.#rooms.get(room);
    if (members === undefined) return 0;
    const frame = encodeJsonFrame(message);
    const sendOptions = options.droppable === true ? droppable : notDroppable;
    const except = options.except;
    let delivered = 0;
    for (const member of members) {
      if (member === except) continue;
      const outcome: SendOutcome = member.sendFrame(frame, sendOptions);
      if (outcome === 'sent' || outcome === 'queued') delivered++;
    }
    return delivered;
  }

  stats(): HubStats {
    let dropped = this.droppedMessages;
    for (const connection of this.#connections.values()) dropped += connection.droppedMessages;
    return {
      connections: this.#connections.size,
      rooms: this.#rooms.size,
      droppedMessages: dropped,
      slowConsumerDisconnects: this.slowConsumerDisconnects,
    };
  }

  #leaveRoom(connection: Connection, room: string): void {
    const members = this.#rooms.get(room);
    if (members === undefined) return;
    members.delete(connection);
    if (members.size === 0) this.#rooms.delete(room);
  }
}
