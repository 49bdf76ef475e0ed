import { createAgentService } from './agents/agent-service.ts';
import { createChatRuns } from './chat/chat-runs.ts';
import type { ServerConfig } from './config.ts';
import type { AppContext } from './context.ts';
import { createTokenIdentifier } from './gateway/auth.ts';
import { createGateway } from './gateway/gateway.ts';
import { createGatewayRequestHandler } from './gateway/requests.ts';
import { AuthThrottle } from './limits/auth-throttle.ts';
import { RunLimiter } from './limits/run-limiter.ts';
import type { Logger } from './log.ts';
import { RunManager } from './runs/run-manager.ts';
import type { Services } from './services/types.ts';

/**
 * What the HTTP app and the WebSocket gateway share, over ready services: the run manager, the per-token run
 * limits, failed-auth throttling, the agents and the gateway (rooms, sessions; upgrades are routed to it by
 * whoever owns the HTTP server, see `app.ts`).
 */
export function createAppContext(options: { config: ServerConfig; services: Services; log: Logger }): AppContext {
  const { config, services, log } = options;
  const { limits } = config;
  const identifyToken = createTokenIdentifier(config.tokens);
  const authThrottle = new AuthThrottle({ maxFailures: limits.authFailures, windowMs: limits.authFailureWindowMs });
  const gateway = createGateway({
    path: '/ws',
    identifyToken,
    authThrottle,
    messageRate: { perSecond: limits.wsMessagesPerSecond, burst: limits.wsMessageBurst },
    maxMessageBytes: limits.wsMessageBytes,
    sendQueue: { maxInflightBytes: limits.wsInflightBytes, maxQueuedBytes: limits.wsQueueBytes },
    heartbeatMs: config.heartbeatMs,
    authTimeoutMs: config.authTimeoutMs,
    maxRoomsPerConnection: limits.wsRoomsPerConnection,
    // The handler needs the context, which needs the gateway: the closures read it once both exist.
    onRequest: (connection, message) => gatewayRequests.handle(connection, message),
    onDisconnect: (connection) => gatewayRequests.disconnected(connection),
    log: (level, message, fields) => log(level, message, fields),
  });
  const agents = createAgentService(services);
  const context: AppContext = {
    config,
    services,
    runs: new RunManager(),
    gateway,
    agents,
    chatRuns: createChatRuns({ store: services.store, agents, log }),
    log,
    runLimiter: new RunLimiter(limits.runsPerToken),
    authThrottle,
    identifyToken,
  };
  const gatewayRequests = createGatewayRequestHandler(context);
  return context;
}
