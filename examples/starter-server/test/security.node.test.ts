import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startTestServer, type TestServer } from './harness.ts';

const metricsToken = 'metrics-token-0123456789';

/** A GET with a Host header of our choosing (fetch does not let a caller set it). */
function getWithHost(url: string, host: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const outgoing = request(
      { hostname: target.hostname, port: target.port, path: target.pathname, headers: { host } },
      (response) => {
        let body = '';
        response.on('data', (chunk: Buffer) => {
          body += chunk.toString();
        });
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
      },
    );
    outgoing.on('error', reject);
    outgoing.end();
  });
}

describe('what the server reveals and to whom', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ config: { metricsToken } });
  });
  afterAll(() => server.close());

  it('keeps absolute paths out of /ready and /api/info without a token, and shows them with one', async () => {
    for (const path of ['/ready', '/api/info']) {
      const anonymous = await (await fetch(`${server.url}${path}`)).text();
      expect(anonymous).toContain('features');
      expect(anonymous).not.toContain(server.config.dataDir);
      expect(anonymous).not.toMatch(/ in \/[^"]*\//);
      const signedIn = await (await server.api(path)).text();
      expect(signedIn).toContain(server.config.dataDir);
    }
  });

  it('asks for its own token on /metrics when one is configured', async () => {
    expect((await fetch(`${server.url}/metrics`)).status).toBe(401);
    expect((await server.api('/metrics')).status).toBe(401);
    const scraped = await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${metricsToken}` } });
    expect(scraped.status).toBe(200);
    expect(await scraped.text()).toContain('http_server_requests_total');
    const zipped = await fetch(`${server.url}/metrics`, {
      headers: { authorization: `Bearer ${metricsToken}`, 'accept-encoding': 'gzip' },
    });
    expect(zipped.headers.get('content-encoding')).toBe('gzip');
  });

  it('answers only to the names it is bound to (DNS rebinding), on HTTP and WebSocket', async () => {
    const port = new URL(server.url).port;
    const rebound = await getWithHost(`${server.url}/api/info`, `attacker.example:${port}`);
    expect(rebound.status).toBe(403);
    expect(JSON.parse(rebound.body)).toMatchObject({ error: { code: 'permission-denied' } });
    for (const host of [`localhost:${port}`, `127.0.0.1:${port}`]) {
      expect((await getWithHost(`${server.url}/api/info`, host)).status).toBe(200);
    }
    const socket = new WebSocket(`${server.wsUrl}?token=${server.token}`, { headers: { host: 'attacker.example' } });
    const refused = await new Promise<string>((resolve) => {
      socket.once('unexpected-response', (_request, response) => resolve(String(response.statusCode)));
      socket.once('open', () => resolve('open'));
      socket.once('error', (error) => resolve(error.message));
    });
    socket.terminate();
    expect(refused).toBe('403');
  });

  it('forbids framing its pages and answers a malformed %-escape with 400', async () => {
    const page = await fetch(`${server.url}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    const api = await server.api('/api/agents');
    expect(api.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(api.headers.get('x-request-id')).toMatch(/.+/);
    const staticPath = await fetch(`${server.url}/%E0%A4%A`);
    expect(staticPath.status).toBe(400);
    const apiPath = await server.api('/api/knowledge/documents/%E0%A4%A', { method: 'DELETE' });
    expect(apiPath.status).toBe(400);
    expect(await apiPath.json()).toMatchObject({ error: { code: 'invalid-request' } });
  });
});

describe('cross-origin browser calls', () => {
  it('answers CORS preflights only for the configured origins', async () => {
    const server = await startTestServer({ config: { corsOrigins: ['https://app.example'] } });
    try {
      const preflight = (origin: string) =>
        fetch(`${server.url}/api/chat`, {
          method: 'OPTIONS',
          headers: {
            origin,
            'access-control-request-method': 'POST',
            'access-control-request-headers': 'authorization',
          },
        });
      const allowed = await preflight('https://app.example');
      expect(allowed.headers.get('access-control-allow-origin')).toBe('https://app.example');
      const other = await preflight('https://evil.example');
      expect(other.headers.get('access-control-allow-origin')).toBeNull();
    } finally {
      await server.close();
    }
  });
});
