import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SSEServerTransport } from '@modelcontextprotocol/sdk/server/sse.js';
import { createMcpHttpHandler } from '../node/serve.js';
import { createFixtureServer } from '../server/fixture-server.js';
import type { McpServerFactory } from '../server/mcp-server.js';

/** URLs of the fixture MCP server, reachable from Node and from the Chromium test page. */
export interface McpFixtureUrls {
  /** Streamable HTTP, stateful sessions. */
  streamable: string;
  /** Streamable HTTP, stateless. */
  stateless: string;
  /** Streamable HTTP behind `Authorization: Bearer fixture-token` (401 otherwise). */
  authenticated: string;
  /** Legacy HTTP+SSE: the event stream endpoint. */
  sse: string;
}

export const fixtureBearerToken = 'fixture-token';

/**
 * Starts the fixture server (our `createMcpServer` behind every transport; the plain fixture unless another
 * factory is given) on a random 127.0.0.1 port.
 */
export async function startHttpFixture(
  serverFactory?: McpServerFactory,
): Promise<{ urls: McpFixtureUrls; close(): Promise<void> }> {
  const factory = serverFactory ?? (await createFixtureServer());
  // The port is known only after listen; the handlers read it through this list.
  const allowedHosts: string[] = [];
  const stateful = createMcpHttpHandler(factory, { allowedHosts });
  const stateless = createMcpHttpHandler(factory, { stateless: true });
  const sseSessions = new Map<string, SSEServerTransport>();

  const route = async (request: IncomingMessage, response: ServerResponse) => {
    // The browser test page runs on another origin.
    response.setHeader('access-control-allow-origin', '*');
    response.setHeader('access-control-allow-headers', '*');
    response.setHeader('access-control-allow-methods', 'GET, POST, DELETE, OPTIONS');
    response.setHeader('access-control-expose-headers', 'mcp-session-id, mcp-protocol-version');
    response.setHeader('cross-origin-resource-policy', 'cross-origin');
    if (request.method === 'OPTIONS') return void response.writeHead(204).end();
    const { pathname } = new URL(request.url ?? '/', 'http://localhost');
    if (pathname === '/mcp') return stateful(request, response);
    if (pathname === '/mcp-stateless') return stateless(request, response);
    if (pathname === '/mcp-auth') {
      if (request.headers.authorization !== `Bearer ${fixtureBearerToken}`) {
        return void response.writeHead(401, { 'content-type': 'text/plain' }).end('unauthorized');
      }
      return stateful(request, response);
    }
    if (pathname === '/sse' && request.method === 'GET') {
      const transport = new SSEServerTransport('/messages', response);
      sseSessions.set(transport.sessionId, transport);
      transport.onclose = () => sseSessions.delete(transport.sessionId);
      return factory.createServer().connect(transport);
    }
    if (pathname === '/messages' && request.method === 'POST') {
      const sessionId = new URL(request.url ?? '/', 'http://localhost').searchParams.get('sessionId') ?? '';
      const transport = sseSessions.get(sessionId);
      if (transport === undefined) return void response.writeHead(404).end('unknown session');
      return transport.handlePostMessage(request, response);
    }
    response.writeHead(404).end();
  };

  const server = createServer((request, response) => {
    route(request, response).catch((error: unknown) => {
      if (!response.headersSent) response.writeHead(500);
      response.end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  allowedHosts.push(`127.0.0.1:${port}`, `localhost:${port}`);
  const base = `http://127.0.0.1:${port}`;
  return {
    urls: {
      streamable: `${base}/mcp`,
      stateless: `${base}/mcp-stateless`,
      authenticated: `${base}/mcp-auth`,
      sse: `${base}/sse`,
    },
    async close() {
      await Promise.all([stateful.close(), ...[...sseSessions.values()].map((transport) => transport.close())]);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
