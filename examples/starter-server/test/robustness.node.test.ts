import { AgenticGenError } from '@agenticgen/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAuthenticatedClient, startTestServer, type TestServer } from './harness.ts';

/** `{"a":{"a":…"x"…}}` nested `depth` levels (5,000 levels is about 30 KB). */
function nested(depth: number): string {
  return `${'{"a":'.repeat(depth)}"x"${'}'.repeat(depth)}`;
}

describe('a signed-in client cannot crash the server', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  it('refuses a chat whose content nests 5,000 levels deep with a short 400, and keeps serving', async () => {
    const body = `{"messages":[{"role":"user","content":${nested(5000)}}]}`;
    expect(body.length).toBeGreaterThan(25_000);
    const response = await server.api('/api/chat', {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json' },
    });
    expect(response.status).toBe(400);
    const text = await response.text();
    expect(JSON.parse(text)).toMatchObject({ error: { code: 'invalid-json', data: { maxDepth: 64 } } });
    expect(text.length).toBeLessThan(1000);
    expect((await fetch(`${server.url}/health`)).status).toBe(200);
  });

  it('never echoes unbounded input in an error', async () => {
    const name = 'n'.repeat(8_000);
    const response = await server.api(`/api/agents/${name}/run`, { method: 'POST', json: { input: 'hi' } });
    expect(response.status).toBe(404);
    expect((await response.text()).length).toBeLessThan(2000);
    const wide = await server.api('/api/chat', {
      method: 'POST',
      json: { messages: Array.from({ length: 10 }, () => ({ role: 'robot', content: 'y'.repeat(40_000) })) },
    });
    expect(wide.status).toBe(400);
    expect((await wide.text()).length).toBeLessThan(10_000);
  });

  it('answers an unexpected handler error with a 500 JSON error and keeps serving', async () => {
    const knowledge = server.app.context.services.knowledge;
    if (knowledge === undefined) throw new Error('knowledge must be available in this test');
    const list = knowledge.list;
    // An error whose data cannot be serialised (a cycle) used to throw again while its response was built.
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    knowledge.list = async () => {
      throw new AgenticGenError('internal', '[test] disk on fire', { data: cyclic });
    };
    try {
      const response = await server.api('/api/knowledge/documents');
      expect(response.status).toBe(500);
      expect(await response.json()).toMatchObject({ error: { code: 'internal' } });
    } finally {
      knowledge.list = list;
    }
    expect((await server.api('/api/knowledge/documents')).status).toBe(200);
  });
});

describe('a WebSocket client cannot crash the server', () => {
  it('answers a deeply nested message with a validation error and keeps the connection and the server up', async () => {
    const server = await startTestServer();
    try {
      const client = await openAuthenticatedClient(server);
      client.socket.send(`{"type":"chat","messages":[{"role":"user","content":${nested(5000)}}]}`);
      const refused = await client.next((message) => message.type === 'error');
      expect(refused).toMatchObject({ error: { code: 'validation-failed' } });
      expect(JSON.stringify(refused).length).toBeLessThan(1000);
      client.send({ type: 'join', room: 'still-here' });
      await client.next((message) => message.type === 'joined');
      client.socket.close();
    } finally {
      await server.close();
    }
  });
});
