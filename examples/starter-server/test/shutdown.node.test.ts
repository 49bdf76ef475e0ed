import { MockChatModel } from '@agenticgen/core/testing';
import { describe, expect, it, vi } from 'vitest';
import { openAuthenticatedClient, startTestServer } from './harness.ts';

const answer = 'one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen';

function slowModel(partDelayMs: number) {
  return {
    model: new MockChatModel({ responses: [{ text: answer, chunkSize: 4, partDelayMs }], repeatLast: true }),
    label: 'slow test model',
    offlineDemo: false,
  };
}

const isRunEvent = (type: string) => (message: Record<string, unknown>) =>
  message.type === 'run-event' && (message.event as { type: string }).type === type;

describe('graceful shutdown', () => {
  it('drains in-flight runs: the client gets the whole answer, then 1001; new work is refused', async () => {
    const server = await startTestServer({ services: { model: slowModel(40) }, config: { drainTimeoutMs: 10_000 } });
    const client = await openAuthenticatedClient(server);
    const other = await openAuthenticatedClient(server);
    client.send({ type: 'chat', requestId: 'long', messages: [{ role: 'user', content: 'count' }] });
    await client.next(isRunEvent('text-delta'));

    // An SSE request in flight at the same time.
    const sse = server.api('/api/chat', {
      method: 'POST',
      json: { messages: [{ role: 'user', content: 'count' }], stream: true },
    });
    await vi.waitFor(() => expect(server.app.context.runs.stats().active).toBe(2));

    const shutdown = server.app.shutdown('test');
    // Readiness flips at once so a load balancer stops sending traffic.
    const ready = await fetch(`${server.url}/ready`).catch(() => undefined);
    if (ready !== undefined) expect(ready.status).toBe(503);
    other.send({ type: 'chat', requestId: 'late', messages: [{ role: 'user', content: 'too late' }] });
    const refused = await other.next((message) => message.type === 'error');
    expect(refused).toMatchObject({ requestId: 'late', error: { code: 'shutting-down' } });

    const finish = await client.next(isRunEvent('run-finish'), 10_000);
    expect((finish.event as { result: { text: string } }).result.text).toBe(answer);
    const streamed = client.messages
      .filter(isRunEvent('text-delta'))
      .map((message) => (message.event as { delta: string }).delta)
      .join('');
    expect(streamed).toBe(answer);
    const sseBody = await (await sse).text();
    expect(sseBody).toContain('event: run-finish');

    expect((await client.closed).code).toBe(1001);
    expect((await other.closed).code).toBe(1001);
    await shutdown;
    await server.close();
  });

  it('aborts runs that outlive the drain timeout and tells their clients', async () => {
    const server = await startTestServer({ services: { model: slowModel(1000) }, config: { drainTimeoutMs: 300 } });
    const client = await openAuthenticatedClient(server);
    client.send({ type: 'chat', requestId: 'endless', messages: [{ role: 'user', content: 'count slowly' }] });
    await client.next(isRunEvent('run-start'));
    // Shutdown returns after the drain timeout: the run (a token a second) is aborted, not awaited.
    await server.app.shutdown('test');
    const error = await client.next(isRunEvent('run-error'));
    expect((error.event as { error: { code: string } }).error.code).toBe('aborted');
    expect((await client.closed).code).toBe(1001);
    expect(server.app.context.runs.stats()).toMatchObject({ active: 0, cancelled: 1 });
    await server.close();
  });

  it('cancels a run at the request of the connection that started it, and only that one', async () => {
    const server = await startTestServer({ services: { model: slowModel(200) } });
    try {
      const owner = await openAuthenticatedClient(server);
      const stranger = await openAuthenticatedClient(server);
      owner.send({ type: 'agent-run', requestId: 'mine', agent: 'assistant', input: 'count slowly' });
      const started = await owner.next(isRunEvent('run-start'));
      const runId = (started.event as { runId: string }).runId;
      stranger.send({ type: 'cancel', runId });
      const refused = await stranger.next((message) => message.type === 'error');
      expect((refused.error as { code: string }).code).toBe('not-found');
      owner.send({ type: 'cancel', runId });
      const stopped = await owner.next(isRunEvent('run-error'));
      expect(stopped).toMatchObject({ requestId: 'mine', event: { runId, error: { code: 'aborted' } } });
      expect(server.app.context.runs.stats()).toMatchObject({ active: 0, cancelled: 1 });
    } finally {
      await server.close();
    }
  });

  it('limits the runs one connection may have in flight', async () => {
    const server = await startTestServer({ services: { model: slowModel(200) }, config: { drainTimeoutMs: 100 } });
    try {
      const client = await openAuthenticatedClient(server);
      for (let index = 0; index < 9; index++) {
        client.send({ type: 'chat', requestId: `r${index}`, messages: [{ role: 'user', content: 'count' }] });
      }
      const refused = await client.next((message) => message.type === 'error');
      expect(refused).toMatchObject({ requestId: 'r8', error: { code: 'rate-limit' } });
      expect(server.app.context.runs.stats().active).toBe(8);
    } finally {
      await server.close();
    }
  });
});
