import type { AppContext } from '../context.ts';
import { featureUnavailable, sendJson } from '../http/errors.ts';
import type { Router } from '../http/router.ts';

/** Public information the UI shows before anyone signs in: the model label and what works. */
export function publicInfo(context: AppContext) {
  const { services } = context;
  return {
    name: 'AgenticGen starter server',
    model: {
      label: services.model.label,
      provider: services.model.model.provider,
      modelId: services.model.model.modelId,
      offlineDemo: services.model.offlineDemo,
    },
    features: services.features,
    gateway: { path: '/ws' },
  };
}

/** Liveness, readiness, Prometheus metrics and the monitoring history. */
export function registerMonitoringRoutes(router: Router, context: AppContext, state: { ready: () => boolean }): void {
  const started = Date.now();
  router.add({
    method: 'GET',
    path: '/health',
    public: true,
    handler: ({ response }) => sendJson(response, 200, { status: 'ok', uptimeSeconds: (Date.now() - started) / 1000 }),
  });
  router.add({
    method: 'GET',
    path: '/ready',
    public: true,
    handler: ({ response }) => {
      const ready = state.ready();
      sendJson(response, ready ? 200 : 503, {
        status: ready ? 'ready' : context.runs.accepting ? 'starting' : 'shutting-down',
        ...publicInfo(context),
        runs: context.runs.stats(),
        gateway: { path: '/ws', ...context.gateway.hub.stats() },
      });
    },
  });
  router.add({
    method: 'GET',
    path: '/api/info',
    public: true,
    handler: ({ response }) => sendJson(response, 200, publicInfo(context)),
  });
  router.add({
    method: 'GET',
    path: '/metrics',
    public: true,
    handler({ request, response }) {
      const metrics = context.services.metrics;
      if (metrics === undefined) throw featureUnavailable('metrics', context.services.features.metrics?.detail ?? '');
      metrics.handle(request, response);
    },
  });
  router.add({
    method: 'GET',
    path: '/api/monitoring/history',
    handler({ response }) {
      const metrics = context.services.metrics;
      if (metrics === undefined) throw featureUnavailable('metrics', context.services.features.metrics?.detail ?? '');
      sendJson(response, 200, { samples: metrics.history(), intervalMs: context.config.metricsSampleMs });
    },
  });
  router.add({
    method: 'GET',
    path: '/api/runs',
    handler: ({ response }) =>
      sendJson(response, 200, {
        runs: context.runs.stats(),
        gateway: { ...context.gateway.hub.stats(), ...context.gateway.counters },
      }),
  });
}
