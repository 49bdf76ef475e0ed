import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRedisUIStreamDriver, createUIStreamRegistry, type UIStreamRegistry } from '@agenticgen/core/ui';
import { createAdaptorServer } from '@hono/node-server';
import type { Redis } from 'ioredis';
import { type AgenticGenAppOptions, createAgenticGenApp, hostName, starterPublicDir } from './agenticgen-app.ts';
import type { ServerConfig } from './config.ts';
import { type AppContext, executeSpec } from './context.ts';
import { createAppContext } from './create-context.ts';
import type { RoomRelay } from './gateway/room-relay.ts';
import type { ApiApp } from './http/env.ts';
import type { Logger } from './log.ts';
import { resumeInterruptedChats } from './routes/ui-chat-routes.ts';
import { wireServerMetrics } from './server-metrics.ts';
import type { Services } from './services/types.ts';

export interface AppOptions {
  config: ServerConfig;
  services: Services;
  log: Logger;
  /** Folder of the web UI (default: the package's `public/`). */
  publicDir?: string;
}

export interface App {
  readonly context: AppContext;
  /** The Hono app with every route (what `createAgenticGenApp` returns). */
  readonly http: ApiApp;
  readonly server: Server;
  /** Listens on the configured host and port; resolves with the base URL. */
  listen(): Promise<string>;
  /**
   * Graceful shutdown: stop accepting connections and runs, let in-flight runs finish (abort them after the
   * drain timeout), close WebSockets with 1001, then release the services.
   */
  shutdown(reason?: string): Promise<void>;
}

const loopbackNames = ['localhost', '127.0.0.1', '[::1]'];
const wildcardAddresses = new Set(['0.0.0.0', '::', '[::]', '']);

/**
 * The host names the server answers to: the loopback names, the bound address and `AGENTICGEN_ALLOWED_HOSTS`.
 * Bound to a wildcard address with none configured, any (undefined): the operator chose to be reachable by
 * every name, and a proxy in front usually checks them.
 */
export function allowedHostsFor(config: ServerConfig): string[] | undefined {
  const configured = config.allowedHosts ?? [];
  if (wildcardAddresses.has(config.host) && configured.length === 0) return undefined;
  const bound = config.host.includes(':') && !config.host.startsWith('[') ? `[${config.host}]` : config.host;
  return [...loopbackNames, ...(wildcardAddresses.has(config.host) ? [] : [bound]), ...configured];
}

/** The starter server: the AgenticGen Hono app and the WebSocket gateway on one Node HTTP server. */
export function createApp(options: AppOptions): App {
  const { config, services, log } = options;
  const context = createAppContext({ config, services, log });
  const { runs, gateway } = context;
  let shuttingDown: Promise<void> | undefined;
  const allowedHosts = allowedHostsFor(config);
  // In memory until listen() connects Redis; then every instance records and serves every answer.
  let uiStreams: UIStreamRegistry = createUIStreamRegistry();
  let uiStreamConnections: { publisher: Redis; subscriber: Redis } | undefined;
  const appOptions: AgenticGenAppOptions = {
    uiStreams: () => uiStreams,
    publicDir: options.publicDir ?? starterPublicDir,
    readiness: () => {
      if (shuttingDown !== undefined || !runs.accepting) return { ready: false, status: 'shutting-down' };
      const queue = context.runQueue;
      if (queue === undefined) return { ready: true, status: 'ready' };
      // Runs go through Redis: while it is down this instance cannot run anything, so it takes no traffic.
      const redis = queue.available ? 'up' : 'down';
      return {
        ready: queue.available,
        status: queue.available ? 'ready' : 'redis-unavailable',
        dependencies: { redis },
      };
    },
    onRequest: wireServerMetrics(context),
    ...(allowedHosts === undefined ? {} : { allowedHosts }),
  };
  const http = createAgenticGenApp(context, appOptions);
  const server = createAdaptorServer({
    fetch: http.fetch,
    // requestTimeout bounds receiving a request (a trickled body), not streaming a response (SSE).
    serverOptions: { requestTimeout: 120_000, headersTimeout: 30_000, keepAliveTimeout: 5_000 },
  }) as Server;
  const allowedHostNames = allowedHosts === undefined ? undefined : new Set(allowedHosts.map(hostName));
  server.on('upgrade', (request, socket, head) => {
    if (allowedHostNames !== undefined && !allowedHostNames.has(hostName(request.headers.host ?? ''))) {
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    if (!gateway.handleUpgrade(request, socket, head)) {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
    }
  });
  server.on('clientError', (_error, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
  });

  let relay: RoomRelay | undefined;
  services.features.runs ??= {
    available: true,
    detail: 'executed by this instance (set AGENTICGEN_REDIS_URL to share them through a Redis queue)',
  };
  services.features.rooms ??= {
    available: true,
    detail: 'this instance only (set AGENTICGEN_REDIS_URL to share rooms)',
  };
  return {
    context,
    http,
    server,
    async listen() {
      if (config.redisUrl !== undefined && relay === undefined) {
        try {
          const { createRoomRelay } = await import('./gateway/room-relay.ts');
          relay = await createRoomRelay(gateway.hub, { redisUrl: config.redisUrl, log });
          services.features.rooms = { available: true, detail: 'shared by every instance through Redis pub/sub' };
        } catch (error) {
          services.features.rooms = {
            available: true,
            detail: `this instance only (Redis relay failed: ${String(error)})`,
          };
          log('warn', 'rooms: Redis relay unavailable; rooms are per instance', { error: String(error) });
        }
      }
      if (config.redisUrl !== undefined && uiStreamConnections === undefined) {
        try {
          const { connectPubSub } = await import('./redis-pub-sub.ts');
          uiStreamConnections = await connectPubSub(config.redisUrl, { log, scope: 'ui streams' });
          const { publisher: client, subscriber } = uiStreamConnections;
          uiStreams = createUIStreamRegistry({ driver: createRedisUIStreamDriver({ client, subscriber }) });
        } catch (error) {
          log('warn', 'ui streams: Redis unavailable; /api/ui/chat answers resume on this instance only', {
            error: String(error),
          });
        }
      }
      if (config.redisUrl !== undefined && context.runQueue === undefined) {
        const { createRedisRunQueue } = await import('./runs/redis-run-queue.ts');
        const executesRuns = config.runWorker !== false;
        try {
          context.runQueue = await createRedisRunQueue({
            redisUrl: config.redisUrl,
            executesRuns,
            execute: (spec, run) => executeSpec(context, spec, run),
            ...(config.redisOutageMs === undefined ? {} : { outageMs: config.redisOutageMs }),
            log,
          });
          services.features.runs = {
            available: true,
            detail: `chat and collaboration runs go through the Redis task queue${executesRuns ? '; this instance executes them too' : '; this instance only submits (AGENTICGEN_RUN_WORKER=0)'}`,
          };
        } catch (error) {
          // As with rooms: without Redis the server still serves, executing its own runs.
          services.features.runs = {
            available: true,
            detail: `executed by this instance (Redis queue failed: ${String(error)})`,
          };
          log('warn', 'runs: Redis queue unavailable; runs execute on this instance', { error: String(error) });
        }
      }
      try {
        const resumed = await resumeInterruptedChats(context, uiStreams);
        if (resumed > 0) log('info', 'chat: resumed answers interrupted by the last stop', { resumed });
      } catch (error) {
        log('error', 'chat: could not resume interrupted answers', { error: String(error) });
      }
      return new Promise<string>((resolve, reject) => {
        server.once('error', reject);
        server.listen(config.port, config.host, () => {
          server.off('error', reject);
          const address = server.address() as AddressInfo;
          const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
          resolve(`http://${host}:${address.port}`);
        });
      });
    },
    shutdown(reason = 'shutdown requested') {
      shuttingDown ??= (async () => {
        log('info', 'shutting down: draining in-flight runs', { reason, activeRuns: runs.stats().active });
        gateway.stopAccepting();
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        const drained = await runs.drain(config.drainTimeoutMs);
        log('info', 'runs drained', drained);
        // Each step below is bounded: a dependency that is down (Redis) must not hold the exit for minutes.
        const closeTimeoutMs = config.closeTimeoutMs ?? 5_000;
        // Chat answers are durable: stopped here, they continue from their last checkpoint at the next start.
        await withDeadline(context.chatRuns.interrupt(), closeTimeoutMs, 'chat answers', log);
        await withDeadline(gateway.close(), closeTimeoutMs, 'WebSocket connections', log);
        await withDeadline(relay?.dispose(), closeTimeoutMs, 'room relay', log);
        await withDeadline(context.mcp?.close(), closeTimeoutMs, 'MCP sessions', log);
        uiStreamConnections?.publisher.disconnect();
        uiStreamConnections?.subscriber.disconnect();
        await context.runQueue?.close({ timeoutMs: closeTimeoutMs });
        server.closeAllConnections();
        await withDeadline(closed, closeTimeoutMs, 'HTTP server', log);
        await withDeadline(services.dispose(), closeTimeoutMs, 'services', log);
        log('info', 'shutdown complete');
      })();
      return shuttingDown;
    },
  };
}

/** Waits for `work` at most `timeoutMs`; past that, logs and moves on (the process exits after shutdown). */
async function withDeadline(work: Promise<unknown> | undefined, timeoutMs: number, what: string, log: Logger) {
  if (work === undefined) return;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
  });
  const outcome = await Promise.race([
    work.then(
      () => 'done' as const,
      () => 'done' as const,
    ),
    deadline,
  ]);
  clearTimeout(timer);
  if (outcome === 'timeout') log('warn', `shutdown: ${what} did not close within ${timeoutMs} ms; going on`);
}
