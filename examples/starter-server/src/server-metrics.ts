import type { AgenticGenAppOptions } from './agenticgen-app.ts';
import type { AppContext } from './context.ts';

/**
 * The server's own figures in the services' meter: requests by route and status, latency, open connections,
 * runs, and the gateway's counters. Returns the per-request recorder the HTTP app calls.
 */
export function wireServerMetrics(context: AppContext): NonNullable<AgenticGenAppOptions['onRequest']> {
  const { services, gateway, runs } = context;
  const meter = services.meter;
  const requestCounter = meter.counter('http_server_requests_total', {
    description: 'HTTP requests by route and status',
    labelNames: ['method', 'route', 'status'],
  });
  const requestDuration = meter.histogram('http_server_request_duration_seconds', {
    description: 'HTTP request duration (streams: until the response starts)',
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
    rateLimited: meter.counter('agenticgen_gateway_rate_limited_total', {
      description: 'Connections closed with 1008 for exceeding the message rate',
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
    rateLimited: 0,
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
  return ({ method, route, status, seconds }) => {
    requestCounter.add(1, { method, route, status: String(status) });
    requestDuration.record(seconds, { method, route });
    if (route !== '/metrics') latency.record(seconds);
  };
}
