import { fileURLToPath } from 'node:url';
import { AgenticGenError } from '@agenticgen/core';
import type { UIStreamRegistry } from '@agenticgen/core/ui';
import { type Context, Hono, type MiddlewareHandler } from 'hono';
import { cors } from 'hono/cors';
import { methodNotAllowed } from 'hono/method-not-allowed';
import { requestId } from 'hono/request-id';
import { secureHeaders } from 'hono/secure-headers';
import type { AppContext } from './context.ts';
import { bearerToken } from './gateway/auth.ts';
import { serveChatClient } from './http/chat-client-bundle.ts';
import type { ApiApp, ApiEnv } from './http/env.ts';
import { errorResponse, jsonResponse, toHttpError } from './http/errors.ts';
import { serveStatic, serveVendorFile } from './http/static.ts';
import { registerChatRoutes } from './routes/chat-routes.ts';
import { registerKnowledgeRoutes } from './routes/knowledge-routes.ts';
import { registerMcpRoutes } from './routes/mcp-routes.ts';
import { type MonitoringState, registerMonitoringRoutes, registerPublicRoutes } from './routes/monitoring-routes.ts';
import { registerToolRoutes } from './routes/tools-routes.ts';
import { registerUIChatRoutes } from './routes/ui-chat-routes.ts';
import { registerWorkflowRoutes } from './routes/workflow-routes.ts';

export interface AgenticGenAppOptions {
  /** Readiness for `/ready` (default: ready while the run manager accepts runs). */
  readiness?: MonitoringState['readiness'];
  /** Folder of the web UI, served for every other GET; `false` (the default) serves no UI. */
  publicDir?: string | false;
  /**
   * Host names the app answers to (`localhost`, `example.com:8443`); a request naming another host is refused
   * with 403, so a DNS-rebinding page cannot reach a server bound to loopback. Undefined accepts every host.
   */
  allowedHosts?: readonly string[];
  /** The client's address, for failed-auth throttling (default: the Node socket's remote address). */
  clientAddress?: (c: Context) => string;
  /**
   * Where `/api/ui/chat` answers are recorded for resume and cancel. Default: in memory (this instance); give
   * one on `createRedisUIStreamDriver` when several instances share a load balancer.
   */
  uiStreams?: UIStreamRegistry | (() => UIStreamRegistry);
  /** Records each request (route pattern, status, seconds). */
  onRequest?: (record: { method: string; route: string; status: number; seconds: number }) => void;
}

/** The web UI that ships with the starter (`examples/starter-server/public`). */
export const starterPublicDir = fileURLToPath(new URL('../public', import.meta.url));

const apiPaths = ['/api/*', '/mcp', '/health', '/ready', '/metrics'];

/**
 * The AgenticGen HTTP API as a Hono app over ready services (see `createAppContext`): mount it in your own
 * Hono app (`app.route('/agenticgen', createAgenticGenApp(context))`) or serve it as it is. Every route but
 * `/health`, `/ready`, `/api/info` and `/metrics` needs `Authorization: Bearer <token>`; errors are JSON
 * `{ error: { code, message, retryable } }` and no handler error escapes it.
 */
export function createAgenticGenApp(context: AppContext, options: AgenticGenAppOptions = {}): ApiApp {
  const app: ApiApp = new Hono<ApiEnv>();
  const { config } = context;
  const clientAddress = options.clientAddress ?? nodeClientAddress;
  const readiness =
    options.readiness ??
    (() => ({ ready: context.runs.accepting, status: context.runs.accepting ? 'ready' : 'shutting-down' }));
  const signedIn = (c: Context) => context.identifyToken(bearerToken(c.req.header('authorization'))) !== undefined;

  app.onError((error, c) => {
    const agError = toHttpError(error);
    if (agError.code === 'internal') {
      context.log('error', 'request failed', {
        method: c.req.method,
        path: c.req.path.slice(0, 200),
        error: agError.message,
      });
    }
    return errorResponse(agError);
  });
  app.use(requestId());
  if (options.onRequest !== undefined) app.use(measure(options.onRequest));
  if (options.allowedHosts !== undefined) app.use(checkHost(options.allowedHosts));
  app.use(rejectMalformedPath);
  app.use(
    secureHeaders({
      xFrameOptions: 'DENY',
      contentSecurityPolicy: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'", 'ws:', 'wss:'],
        frameAncestors: ["'none'"],
      },
    }),
  );
  if (config.corsOrigins !== undefined && config.corsOrigins.length > 0) {
    app.use('/api/*', cors({ origin: config.corsOrigins, allowHeaders: ['authorization', 'content-type'] }));
  }
  app.use(
    methodNotAllowed({
      app,
      onMethodNotAllowed: (c, methods) => {
        const error = new AgenticGenError('method-not-allowed', `[server] ${c.req.method} is not allowed on this path`);
        return errorResponse(error, { allow: methods.join(', ') });
      },
    }),
  );

  registerPublicRoutes(app, context, { readiness, signedIn });
  const requireToken: MiddlewareHandler<ApiEnv> = async (c, next) => {
    const address = clientAddress(c);
    context.authThrottle.check(address);
    const owner = context.identifyToken(bearerToken(c.req.header('authorization')));
    if (owner === undefined) {
      context.authThrottle.fail(address);
      throw new AgenticGenError(
        'authentication',
        '[server] missing or invalid bearer token; send "Authorization: Bearer <token>" (printed at start-up, or AGENTICGEN_TOKENS)',
      );
    }
    c.set('owner', owner);
    await next();
  };
  app.use('/api/*', requireToken);
  app.use('/mcp', requireToken);
  registerMonitoringRoutes(app, context);
  registerChatRoutes(app, context);
  registerUIChatRoutes(app, context, options.uiStreams === undefined ? {} : { streams: options.uiStreams });
  registerKnowledgeRoutes(app, context);
  registerToolRoutes(app, context);
  registerWorkflowRoutes(app, context);
  registerMcpRoutes(app, context);

  // A plain 404 (no thrown error), so methodNotAllowed can turn it into a 405 when the path exists.
  const notFound = (c: Context) =>
    jsonResponse(404, {
      error: {
        code: 'route-not-found',
        message: `[server] no route ${c.req.method} ${c.req.path.slice(0, 200)}; see docs/deployment.md for the API`,
        retryable: false,
      },
    });
  for (const path of apiPaths) app.all(path, notFound);
  const publicDir = options.publicDir ?? false;
  if (publicDir !== false) {
    // `all`, not `get`: methodNotAllowed ignores ALL routes, so this catch-all does not make GET look allowed everywhere.
    app.all('*', async (c) => {
      if (c.req.method !== 'GET' && c.req.method !== 'HEAD') return notFound(c);
      const pathname = decodeURIComponent(new URL(c.req.url).pathname);
      return (
        (await serveStatic(publicDir, pathname)) ??
        (await serveVendorFile(pathname)) ??
        (await serveChatClient(pathname)) ??
        notFound(c)
      );
    });
  }
  return app;
}

/** The remote address of the Node socket under the request (`@hono/node-server`), or `unknown`. */
function nodeClientAddress(c: Context): string {
  const incoming = (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming;
  return incoming?.socket?.remoteAddress ?? 'unknown';
}

/** 400 for a path with a malformed %-escape (`/%E0%A4%A`), before any route decodes it. */
const rejectMalformedPath: MiddlewareHandler = async (c, next) => {
  try {
    decodeURIComponent(new URL(c.req.url).pathname);
  } catch {
    throw new AgenticGenError('invalid-request', '[server] the request path has a malformed %-escape');
  }
  await next();
};

/** The host part of a Host header, lower-cased, without the port (`[::1]` keeps its brackets). */
export function hostName(host: string): string {
  const lower = host.trim().toLowerCase();
  if (lower.startsWith('[')) return lower.slice(0, lower.indexOf(']') + 1);
  return lower.split(':')[0] ?? '';
}

/** Refuses requests whose Host header names a host the server is not (DNS rebinding). */
function checkHost(allowedHosts: readonly string[]): MiddlewareHandler {
  const allowed = new Set(allowedHosts.map(hostName));
  return async (c, next) => {
    const host = c.req.header('host') ?? new URL(c.req.url).host;
    if (!allowed.has(hostName(host))) {
      throw new AgenticGenError(
        'permission-denied',
        `[server] this server does not answer to host ${JSON.stringify(host.slice(0, 100))}; add it to AGENTICGEN_ALLOWED_HOSTS`,
      );
    }
    await next();
  };
}

function measure(onRequest: NonNullable<AgenticGenAppOptions['onRequest']>): MiddlewareHandler {
  return async (c, next) => {
    const started = performance.now();
    await next();
    const route = c.req.routePath;
    onRequest({
      method: c.req.method,
      route: route === '*' || route === '/*' ? 'static' : route,
      status: c.res.status,
      seconds: (performance.now() - started) / 1000,
    });
  };
}
