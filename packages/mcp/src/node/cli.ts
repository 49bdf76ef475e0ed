import { createServer } from 'node:http';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { mcpError } from '../errors.js';
import { createMcpServer, type McpServerOptions } from '../server/mcp-server.js';
import { createMcpHttpHandler, serveStdio } from './serve.js';

const usage = `Usage: agenticgen-mcp serve --config <file> [--http <port>] [--host <host>] [--stateless]

Serves the tools, agents and knowledge bases of a config module as an MCP server: over stdio by default, over
Streamable HTTP at http://<host>:<port>/mcp with --http. The config module's default export is the options of
createMcpServer (or a function, possibly async, returning them).`;

/** Loads the config module and builds the server options from its default export. */
export async function loadServeConfig(path: string): Promise<McpServerOptions> {
  let module: { default?: unknown };
  try {
    module = (await import(pathToFileURL(resolve(path)).href)) as { default?: unknown };
  } catch (error) {
    throw mcpError('invalid-config', `cannot load the config module ${JSON.stringify(path.slice(0, 200))}`, {
      cause: error,
    });
  }
  const exported = module.default;
  const options = typeof exported === 'function' ? await (exported as () => unknown)() : exported;
  if (options === null || typeof options !== 'object') {
    throw mcpError('invalid-config', 'the config module must export default the options of createMcpServer');
  }
  return options as McpServerOptions;
}

/** Runs the command line; resolves when the server is up (stdio: until stdin closes). */
export async function main(argv: readonly string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      config: { type: 'string' },
      http: { type: 'string' },
      host: { type: 'string', default: '127.0.0.1' },
      stateless: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help || positionals[0] !== 'serve' || values.config === undefined) {
    process.stderr.write(`${usage}\n`);
    process.exitCode = values.help ? 0 : 2;
    return;
  }
  const factory = createMcpServer(await loadServeConfig(values.config));
  if (values.http === undefined) {
    await serveStdio(factory);
    return;
  }
  const port = Number(values.http);
  if (!Number.isInteger(port) || port < 0 || port > 65_535)
    throw mcpError('invalid-config', '--http needs a port number');
  const handler = createMcpHttpHandler(factory, { stateless: values.stateless });
  const server = createServer((request, response) => {
    if (new URL(request.url ?? '/', 'http://localhost').pathname !== '/mcp') return void response.writeHead(404).end();
    handler(request, response).catch((error: unknown) => {
      if (!response.headersSent) response.writeHead(500);
      response.end(error instanceof Error ? error.message : 'internal error');
    });
  });
  await new Promise<void>((listening) => server.listen(port, values.host, listening));
  const address = server.address();
  const actualPort = typeof address === 'object' && address !== null ? address.port : port;
  // The only line on stdout in HTTP mode: scripts and tests read the URL from it.
  process.stdout.write(`${JSON.stringify({ url: `http://${values.host}:${actualPort}/mcp` })}\n`);
}
