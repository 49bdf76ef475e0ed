import { AgenticGenError } from '@agenticgen/core';
import { type AppContext, startChatRun, startRun } from '../context.ts';
import type { StartedRun } from '../runs/run-manager.ts';
import type { Connection } from './connection.ts';
import type { ClientMessage } from './messages.ts';

/**
 * The application side of the gateway: chat and agent runs stream `run-event` messages (tagged with the
 * client's `requestId`) to the connection that started them and to the room named in the request; `cancel`
 * stops a run its own connection started. A run without a room is cancelled when its client disconnects; a
 * run streaming to a room keeps going for the room.
 */
export function createGatewayRequestHandler(context: AppContext, options: { maxRunsPerConnection?: number } = {}) {
  const owned = new Map<string, { run: StartedRun; owner: string; room: string | undefined }>();
  const maxRuns = options.maxRunsPerConnection ?? 8;
  const runsOf = (connection: Connection) => {
    let count = 0;
    for (const entry of owned.values()) if (entry.owner === connection.id) count++;
    return count;
  };

  const track = (run: StartedRun, connection: Connection, room: string | undefined) => {
    owned.set(run.id, { run, owner: connection.id, room });
    void run.done.then(() => owned.delete(run.id));
  };

  return {
    handle(connection: Connection, message: ClientMessage): void {
      switch (message.type) {
        case 'chat':
        case 'agent-run': {
          const requestId = message.requestId;
          const room = message.room;
          if (runsOf(connection) >= maxRuns) {
            throw new AgenticGenError(
              'rate-limit',
              `[gateway] at most ${maxRuns} runs per connection at once; wait for one to finish or cancel it`,
            );
          }
          if (room !== undefined && !connection.rooms.has(room)) {
            throw new AgenticGenError(
              'permission-denied',
              `[gateway] join room "${room}" before streaming a run to it`,
            );
          }
          const onEvent = (event: Record<string, unknown>) =>
            connection.send({ type: 'run-event', ...(requestId === undefined ? {} : { requestId }), event });
          const target = { onEvent, room, except: connection, owner: connection.owner };
          const run =
            message.type === 'chat'
              ? startChatRun(context, message.messages, target)
              : startRun(
                  context,
                  'agent',
                  ({ signal, emit }) => context.agents.run(message.agent, message.input, { signal, emit }),
                  target,
                );
          track(run, connection, room);
          return;
        }
        case 'cancel': {
          const entry = owned.get(message.runId);
          if (entry === undefined || entry.owner !== connection.id) {
            throw new AgenticGenError('not-found', `[gateway] no run "${message.runId}" started by this connection`);
          }
          entry.run.cancel();
          return;
        }
        default:
          throw new AgenticGenError('validation-failed', `[gateway] unexpected message type "${message.type}"`);
      }
    },
    disconnected(connection: Connection): void {
      for (const entry of owned.values()) {
        if (entry.owner === connection.id && entry.room === undefined)
          entry.run.cancel('cancelled: its client disconnected');
      }
    },
  };
}
