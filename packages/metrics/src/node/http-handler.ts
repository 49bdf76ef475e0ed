import type { IncomingMessage, ServerResponse } from 'node:http';
import { gzipSync } from 'node:zlib';
import { type MetricsEndpointOptions, renderMetrics } from '../exposition/fetch-handler.js';
import type { MetricsRegistry } from '../registry/registry.js';

export interface MetricsHandlerOptions extends MetricsEndpointOptions {
  /** Gzip the body when the scraper accepts it and the body is larger than this many bytes. Default 4096. */
  gzipThreshold?: number;
}

/**
 * A Node `http` request handler serving the registry (mount it on `/metrics`). It negotiates OpenMetrics or
 * Prometheus text from the `Accept` header, compresses large bodies for scrapers that accept gzip, answers
 * HEAD, and 405 for other methods. Rendering errors become a 500 with the message, never a crash.
 */
export function createMetricsHandler(
  registry: MetricsRegistry,
  options: MetricsHandlerOptions = {},
): (request: IncomingMessage, response: ServerResponse) => void {
  const threshold = options.gzipThreshold ?? 4096;
  return (request, response) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' });
      response.end('method not allowed\n');
      return;
    }
    let rendered: { body: string; contentType: string };
    try {
      rendered = renderMetrics(registry, request.headers.accept, options);
    } catch (error) {
      response.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
      response.end(`${error instanceof Error ? error.message : String(error)}\n`);
      return;
    }
    let body: Buffer = Buffer.from(rendered.body, 'utf8');
    const headers: Record<string, string> = { 'content-type': rendered.contentType, vary: 'accept, accept-encoding' };
    if (body.length > threshold && /\bgzip\b/.test(String(request.headers['accept-encoding'] ?? ''))) {
      body = gzipSync(body);
      headers['content-encoding'] = 'gzip';
    }
    headers['content-length'] = String(body.length);
    response.writeHead(200, headers);
    response.end(request.method === 'HEAD' ? undefined : body);
  };
}
