import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAgenticGenApp } from '../src/agenticgen-app.ts';
import { defaultLimits, type ServerConfig } from '../src/config.ts';
import type { AppContext } from '../src/context.ts';
import { createAppContext } from '../src/create-context.ts';
import { createLogger } from '../src/log.ts';
import { createServices } from '../src/services/create-services.ts';
import type { Services } from '../src/services/types.ts';
import { readSse, testToken } from './harness.ts';

describe('createAgenticGenApp mounted in another Hono app', () => {
  let dataDir: string;
  let services: Services;
  let context: AppContext;
  let outer: Hono;
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'agenticgen-mount-'));
    const config: ServerConfig = {
      host: '127.0.0.1',
      port: 0,
      dataDir,
      tokens: [testToken],
      generatedToken: false,
      limits: { ...defaultLimits },
      heartbeatMs: 30_000,
      authTimeoutMs: 2_000,
      drainTimeoutMs: 1_000,
      sandboxPoolSize: 1,
      metricsSampleMs: 1_000,
    };
    const log = createLogger({ silent: true });
    services = await createServices(config, log, {}, { demoWordDelayMs: 0, sandbox: false });
    context = createAppContext({ config, services, log });
    outer = new Hono();
    outer.get('/', (c) => c.text('the user app'));
    outer.route('/agenticgen', createAgenticGenApp(context));
  });
  afterAll(async () => {
    await context.gateway.close();
    await services.dispose();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const call = (path: string, init: RequestInit = {}) =>
    outer.request(path, { ...init, headers: { authorization: `Bearer ${testToken}`, ...init.headers } });

  it('serves its routes under the prefix, next to the host app’s own', async () => {
    expect(await (await outer.request('/')).text()).toBe('the user app');
    const health = await outer.request('/agenticgen/health');
    expect(health.status).toBe(200);
    const agents = (await (await call('/agenticgen/api/agents')).json()) as { agents: Array<{ name: string }> };
    expect(agents.agents.map((agent) => agent.name)).toContain('assistant');
  });

  it('keeps its auth, error mapping and 405 under the prefix', async () => {
    const refused = await outer.request('/agenticgen/api/agents');
    expect(refused.status).toBe(401);
    expect(await refused.json()).toMatchObject({ error: { code: 'authentication' } });
    const wrongMethod = await call('/agenticgen/api/chat');
    expect(wrongMethod.status).toBe(405);
    expect(await wrongMethod.json()).toMatchObject({ error: { code: 'method-not-allowed' } });
    const missing = await call('/agenticgen/api/nope');
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error: { code: 'route-not-found' } });
  });

  it('streams a chat over SSE through the host app', async () => {
    const response = await call('/agenticgen/api/chat', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({ messages: [{ role: 'user', content: 'hello' }] }),
    });
    expect(response.status).toBe(200);
    const events = await readSse(response);
    expect(events[0]?.event).toBe('run-start');
    expect(events.at(-1)?.event).toBe('run-finish');
  });
});
