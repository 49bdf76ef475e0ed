import type { MetricsRegistry } from '../registry/registry.js';
import { snapshotToJson } from './json.js';
import {
  formatOpenMetrics,
  formatPrometheus,
  negotiateFormat,
  openMetricsContentType,
  prometheusContentType,
} from './prometheus.js';

export interface MetricsEndpointOptions {
  /**
   * Output format: `'negotiate'` (default) serves OpenMetrics to scrapers that accept it and Prometheus text
   * otherwise; `'prometheus'`, `'openmetrics'` and `'json'` force one.
   */
  format?: 'negotiate' | 'prometheus' | 'openmetrics' | 'json';
}

/** Renders the registry for one request: the body and its content type. */
export function renderMetrics(
  registry: MetricsRegistry,
  accept: string | null | undefined,
  options: MetricsEndpointOptions = {},
): { body: string; contentType: string } {
  const format =
    options.format === undefined || options.format === 'negotiate' ? negotiateFormat(accept) : options.format;
  if (format === 'json') {
    return { body: snapshotToJson(registry.collect()), contentType: 'application/json; charset=utf-8' };
  }
  const snapshot = registry.collect({ includeSketches: false });
  return format === 'openmetrics'
    ? { body: formatOpenMetrics(snapshot), contentType: openMetricsContentType }
    : { body: formatPrometheus(snapshot), contentType: prometheusContentType };
}

/**
 * A `fetch`-style handler (`Request` → `Response`) for `/metrics`, usable in service workers, Deno, Bun, Hono
 * or any runtime with the Fetch API. Node's `http` servers use `createMetricsHandler` from the node entry.
 */
export function createMetricsFetchHandler(
  registry: MetricsRegistry,
  options: MetricsEndpointOptions = {},
): (request: Request) => Response {
  return (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return new Response('method not allowed\n', { status: 405, headers: { allow: 'GET, HEAD' } });
    }
    const { body, contentType } = renderMetrics(registry, request.headers.get('accept'), options);
    return new Response(request.method === 'HEAD' ? null : body, { headers: { 'content-type': contentType } });
  };
}
