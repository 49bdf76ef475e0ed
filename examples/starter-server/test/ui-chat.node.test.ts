import { uiMessageChunkSchema } from 'ai';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RedisTestServer, redisServerAvailable, startRedisServer } from '../../../test-support/redis-server.ts';
import { startTestServer, type TestServer } from './harness.ts';
import { transfers, uiChatServices, wickiesDocument } from './ui-chat-fixture.ts';

/** The chunks of a UI message stream response, each checked against the `ai` package's schema. */
async function chunksOf(response: Response): Promise<Array<Record<string, unknown>>> {
  const text = await response.text();
  expect(text.endsWith('data: [DONE]\n\n')).toBe(true);
  const schema = uiMessageChunkSchema();
  const chunks = text
    .split('\n\n')
    .filter((block) => block.startsWith('data: ') && block !== 'data: [DONE]')
    .map((block) => JSON.parse(block.slice(6)) as Record<string, unknown>);
  for (const chunk of chunks) expect((await schema.validate?.(chunk))?.success, JSON.stringify(chunk)).toBe(true);
  return chunks;
}

const userMessage = (text: string, id = 'u1') => ({ id, role: 'user', parts: [{ type: 'text', text }] });

describe('POST /api/ui/chat (AI SDK UI message stream protocol)', () => {
  let server: TestServer;
  const post = (body: unknown) => server.api('/api/ui/chat', { method: 'POST', json: body });

  beforeAll(async () => {
    server = await startTestServer({ services: uiChatServices() });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('streams an answer with the protocol headers and the model in the metadata', async () => {
    const response = await post({ id: 'chat1', messages: [userMessage('hello')], trigger: 'submit-message' });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-vercel-ai-ui-message-stream')).toBe('v1');
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    const chunks = await chunksOf(response);
    const text = chunks
      .filter((chunk) => chunk.type === 'text-delta')
      .map((chunk) => chunk.delta)
      .join('');
    expect(text).toBe('You said: hello');
    expect(chunks.at(-1)).toMatchObject({ type: 'finish', messageMetadata: { model: 'scripted-model' } });
  });

  it('streams the arguments of a tool call before its output', async () => {
    const chunks = await chunksOf(await post({ id: 'chat-tool', messages: [userMessage('weather in Paris')] }));
    const deltas = chunks.filter((chunk) => chunk.type === 'tool-input-delta').map((chunk) => chunk.inputTextDelta);
    expect(deltas.length).toBeGreaterThan(1);
    expect(deltas.join('')).toBe('{"city":"Paris"}');
    expect(chunks.find((chunk) => chunk.type === 'tool-output-available')).toMatchObject({
      output: { city: 'Paris', celsius: 21 },
    });
  });

  it('round-trips a tool approval: the answered approval resumes the suspended run', async () => {
    transfers.length = 0;
    const first = await chunksOf(await post({ id: 'chat2', messages: [userMessage('pay alice')] }));
    const request = first.find((chunk) => chunk.type === 'tool-approval-request');
    const input = first.find((chunk) => chunk.type === 'tool-input-available');
    const suspended = first.find((chunk) => chunk.type === 'data-suspended');
    expect(request).toBeDefined();
    expect(transfers).toEqual([]);
    const toolCallId = String(request?.toolCallId);
    const assistant = {
      id: 'a1',
      role: 'assistant',
      parts: [
        { type: 'step-start' },
        {
          type: 'tool-transfer',
          toolCallId,
          state: 'approval-responded',
          input: input?.input,
          approval: { id: request?.approvalId, approved: true },
        },
        { type: 'data-suspended', id: suspended?.id, data: suspended?.data },
      ],
    };
    const second = await chunksOf(await post({ id: 'chat2', messages: [userMessage('pay alice'), assistant] }));
    expect(transfers).toEqual(['30 to alice']);
    expect(second.find((chunk) => chunk.type === 'tool-output-available')).toMatchObject({
      toolCallId,
      output: { sent: 30 },
    });
  });

  it('sends cited knowledge passages as source parts', async () => {
    const upload = await server.api('/api/knowledge/documents', { method: 'POST', json: wickiesDocument });
    expect(upload.status).toBe(201);
    const chunks = await chunksOf(await post({ id: 'chat3', messages: [userMessage('cite wickies')] }));
    expect(chunks).toContainEqual({
      type: 'source-document',
      sourceId: '1',
      mediaType: 'text/plain',
      title: 'wickies.md',
    });
  });

  it('resume: 204 when nothing runs; mid-answer a second reader gets the suffix; DELETE cancels', async () => {
    expect((await server.api('/api/ui/chat/idle/stream')).status).toBe(204);
    const controller = new AbortController();
    const response = await server.api('/api/ui/chat', {
      method: 'POST',
      json: { id: 'chat4', messages: [userMessage('slow')] },
      signal: controller.signal,
    });
    const reader = response.body?.getReader();
    await reader?.read();
    controller.abort(); // the page goes away; the answer keeps being recorded
    const resumed = await server.api('/api/ui/chat/chat4/stream?from=3');
    expect(resumed.status).toBe(200);
    const body = resumed.body?.getReader();
    const first = await body?.read();
    expect(new TextDecoder().decode(first?.value)).toMatch(/^data: /);
    expect((await server.api('/api/ui/chat/chat4/stream', { method: 'DELETE' })).status).toBe(204);
    let rest = '';
    for (;;) {
      const next = await body?.read();
      if (next === undefined || next.done) break;
      rest += new TextDecoder().decode(next.value);
    }
    expect(rest).toContain('"type":"abort"');
    expect(rest.endsWith('data: [DONE]\n\n')).toBe(true);
    expect((await server.api('/api/ui/chat/chat4/stream')).status).toBe(204);
  });

  it('answers malformed bodies with 400 invalid-argument without echoing them', async () => {
    const response = await post({
      id: 'chat5',
      messages: [{ id: 'x', role: 'user', parts: [{ type: 'x'.repeat(5000) }] }],
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('invalid-argument');
    expect(body.error.message.length).toBeLessThan(300);
    expect((await post({ id: '../x', messages: [] })).status).toBe(400);
  });

  it('never crashes on fuzzed UIMessage bodies: each is a 200 stream or a 4xx error', async () => {
    const part = fc.oneof(
      fc.record({ type: fc.constant('text'), text: fc.oneof(fc.string(), fc.integer()) }),
      fc.record({
        type: fc.constantFrom('tool-transfer', 'dynamic-tool'),
        toolCallId: fc.string(),
        state: fc.string(),
        input: fc.jsonValue(),
      }),
      fc.record({
        type: fc.constant('file'),
        mediaType: fc.constantFrom('image/png', 'application/pdf'),
        url: fc.string(),
      }),
      fc.jsonValue(),
    );
    const message = fc.record({
      id: fc.string(),
      role: fc.constantFrom('user', 'assistant', 'system', 'x'),
      parts: fc.array(part, { maxLength: 3 }),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(message, { maxLength: 3 }), async (messages) => {
        const response = await post({ id: 'fuzz', messages });
        if (response.status === 200) await chunksOf(response);
        else {
          expect(response.status).toBeGreaterThanOrEqual(400);
          expect(response.status).toBeLessThan(500);
          await response.text();
        }
      }),
      { numRuns: 60 },
    );
  });
});

describe.runIf(redisServerAvailable())('/api/ui/chat on two instances sharing Redis', () => {
  let redis: RedisTestServer;
  let first: TestServer;
  let second: TestServer;

  beforeAll(async () => {
    redis = await startRedisServer();
    first = await startTestServer({ config: { redisUrl: redis.url }, services: uiChatServices() });
    second = await startTestServer({ config: { redisUrl: redis.url }, services: uiChatServices() });
  });
  afterAll(async () => {
    await first?.close();
    await second?.close();
    await redis?.stop();
  });

  it('an answer started on one instance resumes from the other, and the other cancels it', async () => {
    const controller = new AbortController();
    const response = await first.api('/api/ui/chat', {
      method: 'POST',
      json: { id: 'shared', messages: [userMessage('slow')] },
      signal: controller.signal,
    });
    await response.body?.getReader().read();
    controller.abort();
    const resumed = await second.api('/api/ui/chat/shared/stream?from=0');
    expect(resumed.status).toBe(200);
    const reader = resumed.body?.getReader();
    const head = new TextDecoder().decode((await reader?.read())?.value);
    expect(head.startsWith('data: {"type":"start"')).toBe(true);
    expect((await second.api('/api/ui/chat/shared/stream', { method: 'DELETE' })).status).toBe(204);
    let rest = '';
    for (;;) {
      const next = await reader?.read();
      if (next === undefined || next.done) break;
      rest += new TextDecoder().decode(next.value);
    }
    expect(rest).toContain('"type":"abort"');
    expect(rest).not.toContain('word399');
    expect(rest.endsWith('data: [DONE]\n\n')).toBe(true);
  });
});
