import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AsyncResource } from '@agenticgen/core';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { McpServerFactory } from '../server/mcp-server.js';

/** Serves over this process's stdin/stdout until stdin closes. */
export async function serveStdio(factory: McpServerFactory): Promise<AsyncResource & { close(): Promise<void> }> {
  const server = factory.createServer();
  await server.connect(new StdioServerTransport());
  const close = () => server.close();
  return { close, dispose: close, [Symbol.asyncDispose]: close };
}

export interface McpHttpHandlerOptions {
  /**
   * `false` (default): stateful sessions (`Mcp-Session-Id`), server-to-client requests and notifications work.
   * `true`: every POST is answered on its own, no session is kept (horizontal scaling, serverless).
   */
  stateless?: boolean;
  /** Most open sessions (default 100); a new one beyond it is refused with HTTP 503. */
  maxSessions?: number;
  /**
   * `Host` header values accepted (e.g. `['127.0.0.1:3000', 'localhost:3000']`); others get HTTP 403. Set it
   * for a server on localhost, so a web page cannot reach it through DNS rebinding. Default: any host.
   */
  allowedHosts?: readonly string[];
}

/** A Node `(request, response)` handler for the Streamable HTTP transport, plus `close()` for every session. */
export interface McpHttpHandler {
  (request: IncomingMessage, response: ServerResponse): Promise<void>;
  /** Open sessions (always 0 in stateless mode). */
  readonly sessions: number;
  /** Closes every session (the handler keeps serving new ones). */
  close(): Promise<void>;
  /** The same as `close()`, so `await using handler = createMcpHttpHandler(…)` closes the sessions at scope end. */
  dispose(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

/** Mount it on any Node HTTP server or framework route (`http.createServer(handler)`, an Express route, …). */
export function createMcpHttpHandler(factory: McpServerFactory, options: McpHttpHandlerOptions = {}): McpHttpHandler {
  const maxSessions = options.maxSessions ?? 100;
  const sessions = new Map<string, StreamableHTTPServerTransport>();

  const stateless = async (request: IncomingMessage, response: ServerResponse) => {
    const server = factory.createServer();
    // No session id generator: the SDK then keeps no session and answers this one request as JSON.
    const transport = new StreamableHTTPServerTransport({ enableJsonResponse: true });
    response.on('close', () => {
      void transport.close();
      void server.close();
    });
    await server.connect(transport);
    await transport.handleRequest(request, response);
  };

  const stateful = async (request: IncomingMessage, response: ServerResponse) => {
    const sessionId = request.headers['mcp-session-id'];
    const existing = typeof sessionId === 'string' ? sessions.get(sessionId) : undefined;
    if (existing !== undefined) return existing.handleRequest(request, response);
    if (sessionId !== undefined) return refuse(response, 404, -32001, 'Session not found');
    if (request.method !== 'POST') return refuse(response, 400, -32000, 'Bad Request: no session; initialize first');
    if (sessions.size >= maxSessions) return refuse(response, 503, -32000, `Too many sessions (max ${maxSessions})`);
    const server = factory.createServer();
    const transport: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: (id) => {
        sessions.set(id, transport);
      },
    });
    transport.onclose = () => {
      if (transport.sessionId !== undefined) sessions.delete(transport.sessionId);
    };
    await server.connect(transport);
    await transport.handleRequest(request, response);
  };

  const { allowedHosts } = options;
  const handler = (async (request: IncomingMessage, response: ServerResponse) => {
    if (allowedHosts !== undefined && !allowedHosts.includes(request.headers.host ?? '')) {
      return refuse(response, 403, -32000, 'Forbidden: Host not allowed');
    }
    return options.stateless === true ? stateless(request, response) : stateful(request, response);
  }) as McpHttpHandler;
  Object.defineProperty(handler, 'sessions', { get: () => sessions.size });
  handler.close = async () => {
    await Promise.all([...sessions.values()].map((transport) => transport.close()));
    sessions.clear();
  };
  handler.dispose = handler.close;
  handler[Symbol.asyncDispose] = handler.close;
  return handler;
}

function refuse(response: ServerResponse, status: number, code: number, message: string): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify({ jsonrpc: '2.0', error: { code, message }, id: null }));
}
