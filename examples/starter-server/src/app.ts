import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { AgenticGenError } from '@agenticgen/core';
import { createAgentService } from './agents/agent-service.ts';
import type { ServerConfig } from './config.ts';
import { type AppContext, executeSpec } from './context.ts';
import { bearerToken, createTokenVerifier } from './gateway/auth.ts';
import { createGateway } from './gateway/gateway.ts';
import { createGatewayRequestHandler } from './gateway/requests.ts';
import type { RoomRelay } from './gateway/room-relay.ts';
import { sendError } from './http/errors.ts';
import { Router } from './http/router.ts';
import { serveStatic, serveVendorFile } from './http/static.ts';
import type { Logger } from './log.ts';
import { registerChatRoutes } from './routes/chat-routes.ts';
import { registerKnowledgeRoutes } from './routes/knowledge-routes.ts';
import { registerMonitoringRoutes } from './routes/monitoring-routes.ts';
import { registerToolRoutes } from './routes/tools-routes.ts';
import { registerWorkflowRoutes } from './routes/workflow-routes.ts';
import { RunManager } from './runs/run-manager.ts';
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
  readonly server: Server;
  /** Listens on the configured host and port; resolves with the base URL. */
  listen(): Promise<string>;
  /**
   * Graceful shutdown: stop accepting connections and runs, let in-flight runs finish (abort them after the
   * drain timeout), close WebSockets with 1001, then release the services.
   */
  shutdown(reason?: string): Promise<void>;
}

const apiPrefixes = ['/api/', '/health', '/ready', '/metrics'];

/** Builds the HTTP server and WebSocket gateway over ready services. */
export function createApp(options: AppOptions): App {
  const { config, services, log } = options;
  const publicDir = options.publicDir ?? fileURLToPath(new URL('../public', import.meta.url));
  const verifyToken = createTokenVerifier(config.tokens);
  const runs = new RunManager();
  const router = new Router();
  let ready = true;

  const gateway = createGateway({
    path: '/ws',
    verifyToken,
    maxMessageBytes: config.limits.wsMessageBytes,
    sendQueue: { maxInflightBytes: config.limits.wsInflightBytes, maxQueuedBytes: config.limits.wsQueueBytes },
    heartbeatMs: config.heartbeatMs,
    authTimeoutMs: config.authTimeoutMs,
    maxRoomsPerConnection: config.limits.wsRoomsPerConnection,
    // The handler needs the context, which needs the gateway: the closures read it once both exist.
    onRequest: (connection, message) => gatewayRequests.handle(connection, message),
    onDisconnect: (connection) => gatewayRequests.disconnected(connection),
    log: (level, message, fields) => log(level, message, fields),
  });
  const agents = createAgentService(services);
  const context: AppContext = { config, services, runs, gateway, agents, log };
  const gatewayRequests = createGatewayRequestHandler(context);

  registerMonitoringRoutes(router, context, { ready: () => ready });
  registerChatRoutes(router, context);
  registerKnowledgeRoutes(router, context);
  registerToolRoutes(router, context);
  registerWorkflowRoutes(router, context);

  const meter = services.meter;
  const requestCounter = meter.counter('http_server_requests_total', {
    description: 'HTTP requests by route and status',
    labelNames: ['method', 'route', 'status'],
  });
  const requestDuration = meter.histogram('http_server_request_duration_seconds', {
    description: 'HTTP request duration (streams: until the stream ends)',
    unit: 's',
    labelNames: ['method', 'route'],
  });
  // One unlabelled histogram for the latency chart: percentiles of separate series cannot be combined.
  const latency = meter.histogram('agenticgen_server_request_latency_seconds', { unit: 's' }).bind();
  const connectionsGauge = meter.gauge('agenticgen_gateway_connections').bind();
  const activeRunsGauge = meter.gauge('agenticgen_server_active_runs').bind();
  // The gateway keeps plain counters (cheap on the hot path); each sample adds their growth to the meter.
  const gatewayCounters = {
    authFailures: meter.counter('agenticgen_gateway_auth_failures_total', {
      description: 'Connections refused with 1008',
    }),
    invalidMessages: meter.counter('agenticgen_gateway_invalid_messages_total', {
      description: 'Messages failing validation',
    }),
    deadPeers: meter.counter('agenticgen_gateway_dead_peers_total', { description: 'Peers cut for missing pongs' }),
    connectionsOpened: meter.counter('agenticgen_gateway_connections_opened_total', {
      description: 'WebSocket handshakes',
    }),
    slowConsumerDisconnects: meter.counter('agenticgen_gateway_slow_consumer_disconnects_total', {
      description: 'Clients cut with 1013 because their send queue overflowed',
    }),
    droppedMessages: meter.counter('agenticgen_gateway_dropped_messages_total', {
      description: 'Droppable messages dropped',
    }),
  };
  const reported: Record<keyof typeof gatewayCounters, number> = {
    authFailures: 0,
    invalidMessages: 0,
    deadPeers: 0,
    connectionsOpened: 0,
    slowConsumerDisconnects: 0,
    droppedMessages: 0,
  };
  services.metrics?.onSample(() => {
    const hub = gateway.hub.stats();
    connectionsGauge.set(hub.connections);
    activeRunsGauge.set(runs.stats().active);
    const current = {
      ...gateway.counters,
      slowConsumerDisconnects: hub.slowConsumerDisconnects,
      droppedMessages: hub.droppedMessages,
    };
    for (const key of Object.keys(reported) as Array<keyof typeof reported>) {
      const growth = current[key] - reported[key];
      if (growth > 0) gatewayCounters[key].add(growth);
      reported[key] = current[key];
    }
  });

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const started = performance.now();
    const url = new URL(request.url ?? '/', 'http://localhost');
    const method = request.method ?? 'GET';
    let routeLabel = 'static';
    response.on('finish', () => {
      requestCounter.add(1, { method, route: routeLabel, status: String(response.statusCode) });
      const seconds = (performance.now() - started) / 1000;
      requestDuration.record(seconds, { method, route: routeLabel });
      if (routeLabel !== '/metrics') latency.record(seconds);
    });
    try {
      const isApi = apiPrefixes.some((prefix) => url.pathname === prefix || url.pathname.startsWith(prefix));
      if (!isApi) {
        const isRead = method === 'GET' || method === 'HEAD';
        if (isRead && (await serveStatic(publicDir, url.pathname, response))) return;
        if (isRead && (await serveVendorFile(url.pathname, response))) return;
        routeLabel = 'unknown';
        throw new AgenticGenError('route-not-found', `[server] nothing at ${method} ${url.pathname}`);
      }
      const { route, params } = router.match(method, url.pathname);
      routeLabel = route.path;
      if (route.public !== true && !verifyToken(bearerToken(request.headers.authorization))) {
        response.setHeader('www-authenticate', 'Bearer');
        throw new AgenticGenError(
          'authentication',
          '[server] missing or invalid bearer token; send "Authorization: Bearer <token>" (printed at start-up, or AGENTICGEN_TOKENS)',
        );
      }
      await route.handler({ request, response, url, params });
    } catch (thrown) {
      const error = sendError(response, thrown);
      if (error.code === 'internal')
        log('error', 'request failed', { method, path: url.pathname, error: error.message });
    }
  };

  const server = createServer(
    // requestTimeout bounds receiving a request (a trickled body), not streaming a response (SSE).
    { requestTimeout: 120_000, headersTimeout: 30_000, keepAliveTimeout: 5_000 },
    (request, response) => {
      void handle(request, response);
    },
  );
  server.on('upgrade', (request, socket, head) => {
    if (!gateway.handleUpgrade(request, socket, head)) {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
    }
  });
  server.on('clientError', (_error, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
  });

  let shuttingDown: Promise<void> | undefined;
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
      if (config.redisUrl !== undefined && context.runQueue === undefined) {
        const { createRedisRunQueue } = await import('./runs/redis-run-queue.ts');
        const executesRuns = config.runWorker !== false;
        try {
          context.runQueue = await createRedisRunQueue({
            redisUrl: config.redisUrl,
            executesRuns,
            execute: (spec, run) => executeSpec(context, spec, run),
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
        ready = false;
        log('info', 'shutting down: draining in-flight runs', { reason, activeRuns: runs.stats().active });
        gateway.stopAccepting();
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        const drained = await runs.drain(config.drainTimeoutMs);
        log('info', 'runs drained', drained);
        await gateway.close();
        await relay?.dispose();
        await context.runQueue?.close();
        server.closeAllConnections();
        await closed;
        await services.dispose();
        log('info', 'shutdown complete');
      })();
      return shuttingDown;
    },
  };
}
