import type { Context } from 'hono';
import { compress } from 'hono/compress';
import type { AppContext } from '../context.ts';
import { bearerToken, createTokenVerifier } from '../gateway/auth.ts';
import type { ApiApp } from '../http/env.ts';
import { featureUnavailable, jsonResponse } from '../http/errors.ts';
import type { FeatureStatus } from '../services/types.ts';

/**
 * Replaces absolute file paths in a feature's detail (`LanceDB in /home/me/.data/lancedb`) with the last part
 * of the path: anyone may read `/ready` and `/api/info`, and the layout of the host is not theirs to read.
 */
export function redactPaths(detail: string): string {
  return detail.replace(
    /(?<![\w:/.])(?:\/[^\s/,;()]+)+\/?/g,
    (path) => `…/${path.split('/').filter(Boolean).at(-1) ?? ''}`,
  );
}

/** Information the UI shows before anyone signs in: the model label and what works (paths only when signed in). */
export function publicInfo(context: AppContext, signedIn: boolean) {
  const { services } = context;
  const features: Record<string, FeatureStatus> = {};
  for (const [name, status] of Object.entries(services.features)) {
    features[name] = signedIn ? status : { ...status, detail: redactPaths(status.detail) };
  }
  return {
    name: 'AgenticGen starter server',
    model: {
      label: services.model.label,
      provider: services.model.model.provider,
      modelId: services.model.model.modelId,
      offlineDemo: services.model.offlineDemo,
    },
    features,
    gateway: { path: '/ws' },
  };
}

export interface MonitoringState {
  /** Not ready: shutting down, or a dependency (Redis) is down; the reason is in `/ready`'s `status`. */
  readiness: () => { ready: boolean; status: string; dependencies?: Record<string, unknown> };
  /** True when the request carries a valid API token (without counting a failure when it does not). */
  signedIn: (c: Context) => boolean;
}

/** Liveness, readiness, Prometheus metrics: public routes, registered before the token check. */
export function registerPublicRoutes(app: ApiApp, context: AppContext, state: MonitoringState): void {
  const started = Date.now();
  app.get('/health', (c) => c.json({ status: 'ok', uptimeSeconds: (Date.now() - started) / 1000 }));
  app.get('/ready', (c) => {
    const { ready, status, dependencies } = state.readiness();
    return jsonResponse(ready ? 200 : 503, {
      status,
      ...publicInfo(context, state.signedIn(c)),
      ...(dependencies === undefined ? {} : { dependencies }),
      runs: context.runs.stats(),
      gateway: { path: '/ws', ...context.gateway.hub.stats() },
    });
  });
  app.get('/api/info', (c) => c.json(publicInfo(context, state.signedIn(c))));
  const metricsToken = context.config.metricsToken;
  const verifyMetricsToken = metricsToken === undefined ? undefined : createTokenVerifier([metricsToken]);
  app.get('/metrics', compress(), (c) => {
    const metrics = context.services.metrics;
    if (metrics === undefined) throw featureUnavailable('metrics', context.services.features.metrics?.detail ?? '');
    if (verifyMetricsToken !== undefined && !verifyMetricsToken(bearerToken(c.req.header('authorization')))) {
      return jsonResponse(
        401,
        {
          error: {
            code: 'authentication',
            message: '[server] /metrics needs "Authorization: Bearer <AGENTICGEN_METRICS_TOKEN>"',
            retryable: false,
          },
        },
        { 'www-authenticate': 'Bearer' },
      );
    }
    return metrics.handle(c.req.raw);
  });
}

/** The monitoring history and run counters behind the UI's charts (signed in). */
export function registerMonitoringRoutes(app: ApiApp, context: AppContext): void {
  app.get('/api/monitoring/history', (c) => {
    const metrics = context.services.metrics;
    if (metrics === undefined) throw featureUnavailable('metrics', context.services.features.metrics?.detail ?? '');
    return c.json({ samples: metrics.history(), intervalMs: context.config.metricsSampleMs });
  });
  app.get('/api/runs', (c) =>
    c.json({
      runs: context.runs.stats(),
      gateway: { ...context.gateway.hub.stats(), ...context.gateway.counters },
    }),
  );
}
