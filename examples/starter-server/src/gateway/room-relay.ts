import { randomUUID } from 'node:crypto';
import type { Logger } from '../log.ts';
import { connectPubSub } from '../redis-pub-sub.ts';
import type { Hub } from './hub.ts';

export interface RoomRelay {
  /** This instance's id; its own messages come back from Redis and are skipped. */
  readonly instanceId: string;
  dispose(): Promise<void>;
}

const channel = 'agenticgen:starter:rooms';

/**
 * Rooms across instances: every broadcast of this hub is published on one Redis channel and every other
 * instance repeats it to its own members of the room (connections stay on the instance they reached). Redis
 * pub/sub is at-most-once: a message published while an instance is disconnected from Redis does not reach its
 * members, which is what a chat room needs and why runs keep their own results.
 */
export async function createRoomRelay(hub: Hub, options: { redisUrl: string; log: Logger }): Promise<RoomRelay> {
  const instanceId = randomUUID();
  // If Redis cannot be reached this throws and the server carries on with rooms per instance.
  const { publisher, subscriber } = await connectPubSub(options.redisUrl, { log: options.log, scope: 'rooms' });
  subscriber.on('message', (_channel, raw) => {
    try {
      const envelope = JSON.parse(raw) as { from: string; room: string; message: unknown };
      if (envelope.from !== instanceId) hub.broadcast(envelope.room, envelope.message, { fromRelay: true });
    } catch (error) {
      options.log('warn', 'rooms: dropped a malformed relay message', { error: String(error) });
    }
  });
  await subscriber.subscribe(channel);
  hub.onBroadcast = (room, message) => {
    publisher.publish(channel, JSON.stringify({ from: instanceId, room, message })).catch((error: unknown) => {
      options.log('warn', 'rooms: could not relay a broadcast to the other instances', { error: String(error) });
    });
  };
  return {
    instanceId,
    async dispose() {
      hub.onBroadcast = undefined;
      subscriber.disconnect();
      publisher.disconnect();
    },
  };
}
