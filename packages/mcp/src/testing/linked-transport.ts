/**
 * For tests: a client `transport` option whose every connection is an in-memory pair linked to a server
 * connection, so a client and a server talk in one process without sockets.
 */
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';

/** `server()` gives the server side of each new connection (an SDK `Server`, or `factory.createServer()`). */
export function linkedTransport(server: () => { connect(transport: Transport): Promise<void> }): {
  type: 'custom';
  create(): Transport;
} {
  return {
    type: 'custom',
    create: () => {
      const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
      void server().connect(serverSide);
      return clientSide;
    },
  };
}
