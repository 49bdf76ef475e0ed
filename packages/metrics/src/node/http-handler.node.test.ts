import { createServer, type Server } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMetricsHandler, createMetricsRegistry, formatPrometheus } from '../index.node.js';

describe('createMetricsHandler', () => {
  const registry = createMetricsRegistry();
  const counter = registry.counter('requests', { labelNames: ['id'] });
  for (let i = 0; i < 500; i++) counter.add(i, { id: `id-${i}` });
  let server: Server;
  let base: string;

  beforeAll(async () => {
    server = createServer(createMetricsHandler(registry));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    base = `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}`;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('serves Prometheus text by default and OpenMetrics when asked', async () => {
    const plain = await fetch(`${base}/metrics`);
    expect(plain.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(await plain.text()).toBe(formatPrometheus(registry.collect()));
    const open = await fetch(`${base}/metrics`, { headers: { accept: 'application/openmetrics-text;version=1.0.0' } });
    expect(open.headers.get('content-type')).toMatch(/^application\/openmetrics-text; version=1\.0\.0/);
    expect(await open.text()).toMatch(/\n# EOF\n$/);
  });

  it('gzips large bodies for scrapers that accept it', async () => {
    const { request } = await import('node:http');
    const body = await new Promise<{ encoding: string | undefined; bytes: Buffer }>((resolve, reject) => {
      request(`${base}/metrics`, { headers: { 'accept-encoding': 'gzip' } }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({ encoding: response.headers['content-encoding'], bytes: Buffer.concat(chunks) }),
        );
      })
        .on('error', reject)
        .end();
    });
    expect(body.encoding).toBe('gzip');
    expect(gunzipSync(body.bytes).toString('utf8')).toBe(formatPrometheus(registry.collect()));
  });

  it('answers HEAD without a body and refuses other methods', async () => {
    const head = await fetch(`${base}/metrics`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
    const post = await fetch(`${base}/metrics`, { method: 'POST' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
  });
});
