import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSse, startTestServer, type TestServer } from './harness.ts';

describe('HTTP API', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ limits: { jsonBodyBytes: 4096 } });
  });
  afterAll(() => server.close());

  it('serves liveness, readiness and public info without a token', async () => {
    const health = await fetch(`${server.url}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok' });
    const ready = await fetch(`${server.url}/ready`);
    expect(ready.status).toBe(200);
    const body = (await ready.json()) as {
      status: string;
      model: { offlineDemo: boolean; label: string };
      features: object;
    };
    expect(body.status).toBe('ready');
    expect(body.model).toMatchObject({ offlineDemo: true, label: 'offline demo model' });
    expect(body.features).toHaveProperty('model');
  });

  it('refuses API calls without a valid bearer token with 401 and code authentication', async () => {
    for (const authorization of ['', 'Bearer wrong-token', `Basic ${server.token}`]) {
      const response = await server.api('/api/agents', { headers: { authorization } });
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toBe('Bearer');
      expect(await response.json()).toMatchObject({ error: { code: 'authentication', retryable: false } });
    }
  });

  it('answers unknown routes and wrong methods with JSON errors', async () => {
    const missing = await server.api('/api/nope');
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error: { code: 'route-not-found' } });
    const wrongMethod = await server.api('/api/chat');
    expect(wrongMethod.status).toBe(405);
    expect(await wrongMethod.json()).toMatchObject({ error: { code: 'method-not-allowed' } });
  });

  it('rejects bad payloads: wrong content type, invalid JSON, schema violations with their paths', async () => {
    const wrongType = await server.api('/api/chat', {
      method: 'POST',
      body: 'hello',
      headers: { 'content-type': 'text/plain' },
    });
    expect(wrongType.status).toBe(415);
    expect(await wrongType.json()).toMatchObject({ error: { code: 'unsupported-media-type' } });

    const invalidJson = await server.api('/api/chat', {
      method: 'POST',
      body: '{"messages": [',
      headers: { 'content-type': 'application/json' },
    });
    expect(invalidJson.status).toBe(400);
    expect(await invalidJson.json()).toMatchObject({ error: { code: 'invalid-json' } });

    const invalid = await server.api('/api/chat', {
      method: 'POST',
      json: { messages: [{ role: 'robot', content: 1 }], extra: true },
    });
    expect(invalid.status).toBe(400);
    const body = (await invalid.json()) as {
      error: { code: string; message: string; data: { issues: Array<{ path: string }> } };
    };
    expect(body.error.code).toBe('validation-failed');
    const paths = body.error.data.issues.map((issue) => issue.path);
    expect(paths).toContain('/messages/0/content');
    expect(body.error.message).toMatch(/^\[server\] invalid chat request: at /);
  });

  it('refuses bodies above the size limit with 413, declared or streamed', async () => {
    const big = JSON.stringify({ messages: [{ role: 'user', content: 'x'.repeat(10_000) }] });
    const declared = await server.api('/api/chat', {
      method: 'POST',
      body: big,
      headers: { 'content-type': 'application/json' },
    });
    expect(declared.status).toBe(413);
    expect(await declared.json()).toMatchObject({ error: { code: 'payload-too-large', data: { limitBytes: 4096 } } });

    const chunks = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let index = 0; index < 10; index++) controller.enqueue(new TextEncoder().encode('x'.repeat(1000)));
        controller.close();
      },
    });
    const streamed = await server.api('/api/chat', {
      method: 'POST',
      body: chunks,
      headers: { 'content-type': 'application/json' },
      duplex: 'half',
    } as RequestInit);
    expect(streamed.status).toBe(413);
  });

  it('streams a chat answer over SSE, ending with run-finish', async () => {
    const response = await server.api('/api/chat', {
      method: 'POST',
      json: { messages: [{ role: 'user', content: 'hello there' }] },
      headers: { accept: 'text/event-stream' },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const events = await readSse(response);
    const types = events.map((event) => event.event);
    expect(types[0]).toBe('run-start');
    expect(types.at(-1)).toBe('run-finish');
    expect(types).toContain('text-delta');
    const text = events
      .filter((event) => event.event === 'text-delta')
      .map((event) => event.data.delta)
      .join('');
    expect(text).toMatch(/Offline demo model/);
    const runIds = new Set(events.map((event) => event.data.runId));
    expect(runIds.size).toBe(1);
  });

  it('answers a chat as one JSON document without streaming', async () => {
    const response = await server.api('/api/chat', {
      method: 'POST',
      json: { messages: [{ role: 'user', content: 'hi' }] },
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { runId: string; result: { text: string; usage: { totalTokens: number } } };
    expect(body.result.text).toMatch(/Offline demo model/);
    expect(body.result.usage.totalTokens).toBeGreaterThan(0);
  });

  it('lists agents, creates one from JSON and refuses duplicates and unknown tools', async () => {
    const list = (await (await server.api('/api/agents')).json()) as { agents: Array<{ name: string }> };
    expect(list.agents.map((agent) => agent.name)).toEqual(
      expect.arrayContaining(['assistant', 'researcher', 'coder']),
    );
    const created = await server.api('/api/agents', {
      method: 'POST',
      json: { name: 'greeter', instructions: 'Greet.' },
    });
    expect(created.status).toBe(201);
    expect(await created.json()).toEqual({
      agent: { name: 'greeter', description: expect.any(String), tools: [], builtIn: false },
    });
    const duplicate = await server.api('/api/agents', { method: 'POST', json: { name: 'greeter' } });
    expect(duplicate.status).toBe(409);
    const unknownTool = await server.api('/api/agents', { method: 'POST', json: { name: 'hacker', tools: ['rm_rf'] } });
    expect(unknownTool.status).toBe(400);
    expect(await unknownTool.json()).toMatchObject({
      error: { code: 'invalid-config', message: expect.stringContaining('rm_rf') },
    });
    const invalid = await server.api('/api/agents', { method: 'POST', json: { name: 'bad name!', maxSteps: 0 } });
    expect(invalid.status).toBe(400);
    expect(((await invalid.json()) as { error: { message: string } }).error.message).toMatch(
      /\/name.*\/maxSteps|\/maxSteps.*\/name/s,
    );
    const run = await server.api('/api/agents/greeter/run', { method: 'POST', json: { input: 'hello' } });
    expect(run.status).toBe(200);
    expect(await run.json()).toMatchObject({ result: { agent: 'greeter' } });
    // Refused before any byte of a stream is written, so even a streaming request gets a JSON 404.
    const missing = await server.api('/api/agents/nobody/run', {
      method: 'POST',
      json: { input: 'hello', stream: true },
    });
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error: { code: 'not-found' } });
  });
});
