import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer } from './harness.ts';

interface ExportedSpan {
  name: string;
  spanId: string;
  parentSpanId?: string;
  traceId: string;
}

/** An OTLP/HTTP receiver like a collector's: it keeps the spans of every `POST /v1/traces` (JSON encoding). */
function startReceiver(): Promise<{ server: Server; url: string; spans: ExportedSpan[]; services: string[] }> {
  const spans: ExportedSpan[] = [];
  const services: string[] = [];
  const server = createServer(async (request, response) => {
    let raw = '';
    for await (const chunk of request) raw += chunk;
    if (request.method === 'POST' && request.url === '/v1/traces') {
      const body = JSON.parse(raw) as {
        resourceSpans: Array<{
          resource: { attributes: Array<{ key: string; value: { stringValue?: string } }> };
          scopeSpans: Array<{ spans: ExportedSpan[] }>;
        }>;
      };
      for (const resource of body.resourceSpans) {
        const name = resource.resource.attributes.find((attribute) => attribute.key === 'service.name');
        if (name?.value.stringValue !== undefined) services.push(name.value.stringValue);
        for (const scope of resource.scopeSpans) spans.push(...scope.spans);
      }
    }
    response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, spans, services }),
    ),
  );
}

describe('traces to an OpenTelemetry collector (OTLP/HTTP)', () => {
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  beforeAll(async () => {
    receiver = await startReceiver();
  });
  afterAll(() => new Promise<void>((resolve) => receiver.server.close(() => resolve())));

  it('exports nested agent, model and tool spans of a chat, flushed on shutdown', async () => {
    const server = await startTestServer({ environment: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url } });
    expect(server.app.context.services.features.tracing?.available).toBe(true);
    await server.api('/api/knowledge/documents', {
      method: 'POST',
      json: { name: 'owls.txt', content: 'Owls can turn their heads about 270 degrees.' },
    });
    const chat = await server.api('/api/chat', {
      method: 'POST',
      json: { messages: [{ role: 'user', content: 'How far can owls turn their heads?' }] },
    });
    expect(chat.status).toBe(200);
    await server.close();

    expect(receiver.services).toContain('agenticgen-starter');
    const agent = receiver.spans.find((span) => span.name === 'invoke_agent assistant');
    const step = receiver.spans.find((span) => span.name === 'step 1');
    const model = receiver.spans.find(
      (span) => span.name === 'chat offline-demo' && span.parentSpanId === step?.spanId,
    );
    const tool = receiver.spans.find((span) => span.name === 'execute_tool search_knowledge');
    // invoke_agent → step → chat / execute_tool: one trace, nested across awaits by the async context manager.
    expect(agent).toBeDefined();
    expect(step?.parentSpanId).toBe(agent?.spanId);
    expect(model).toBeDefined();
    expect(tool?.parentSpanId).toBe(step?.spanId);
    expect(new Set([agent, step, model, tool].map((span) => span?.traceId)).size).toBe(1);
    // The runtime's plugin setup is traced too.
    expect(receiver.spans.map((span) => span.name)).toContain('setup_plugin metrics');
  });
});
