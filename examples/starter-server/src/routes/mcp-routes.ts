import type { IncomingMessage, ServerResponse } from 'node:http';
import { type Agent, AgenticGenError } from '@agenticgen/core';
import type { McpHttpHandler } from '@agenticgen/mcp';
import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response';
import type { AppContext } from '../context.ts';
import type { ApiApp } from '../http/env.ts';

/** The built-in agents served as MCP tools (`{ input }` → the final answer). */
const servedAgents = ['assistant', 'researcher', 'coder'];

/**
 * `/mcp`: the server's tools (search_knowledge, run_python and the plugins') and its built-in agents over the
 * Model Context Protocol (Streamable HTTP, stateful sessions), for MCP clients such as Claude Desktop, Cursor or
 * another AgenticGen agent. Behind the same bearer token as `/api/*` (the auth middleware runs first).
 */
export function registerMcpRoutes(app: ApiApp, context: AppContext): void {
  let handler: Promise<McpHttpHandler> | undefined;
  const open = async () => {
    const { createMcpHttpHandler, createMcpServer } = await import('@agenticgen/mcp');
    const agents = servedAgents.flatMap((name) => context.agents.get(name) ?? ([] as Agent[]));
    const server = createMcpServer({
      name: 'agenticgen-starter',
      version: '0.1.0',
      instructions: 'The AgenticGen starter server: search its knowledge base, run Python, or ask its agents.',
      tools: context.services.tools.list(),
      agents,
    });
    return createMcpHttpHandler(server);
  };
  context.services.features.mcp = {
    available: true,
    detail: '@agenticgen/mcp: tools and agents over Streamable HTTP at /mcp (bearer token)',
  };
  context.mcp = {
    async close() {
      await (await handler)?.close();
    },
  };
  app.on(['GET', 'POST', 'DELETE'], '/mcp', async (c) => {
    const node = c.env as { incoming?: IncomingMessage; outgoing?: ServerResponse } | undefined;
    if (node?.incoming === undefined || node.outgoing === undefined)
      throw new AgenticGenError('unavailable', '[server] /mcp needs the Node HTTP server (@hono/node-server)');
    handler ??= open();
    await (await handler)(node.incoming, node.outgoing);
    return RESPONSE_ALREADY_SENT;
  });
}
