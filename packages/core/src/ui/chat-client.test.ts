import { Type } from '@sinclair/typebox';
import { readUIMessageStream } from 'ai';
import { describe, expect, it, vi } from 'vitest';
import { createAgent } from '../agents/create-agent.js';
import type { AgentRunState } from '../agents/types.js';
import { MockChatModel, type MockScriptEntry } from '../testing/mock-chat-model.js';
import { defineTool } from '../tools/define-tool.js';
import { type ChatState, createChatClient } from './chat-client.js';
import { fromUIMessages } from './from-ui-messages.js';
import { toUIMessageStream } from './to-ui-message-stream.js';
import { applyUIMessageChunk, type UIMessage } from './ui-message-assembler.js';
import type { UIMessageChunk } from './ui-message-chunk.js';
import { uiMessageStreamHeaders } from './ui-message-chunk.js';
import { createUIStreamRegistry } from './ui-stream-registry.js';

const transfers: string[] = [];
const transfer = defineTool({
  name: 'transfer',
  description: 'Moves money.',
  parameters: Type.Object({ to: Type.String() }),
  needsApproval: true,
  execute: ({ to }) => {
    transfers.push(to);
    return { sent: to };
  },
});

/** A chat endpoint as a server would write it with core's pieces, served through a fake fetch. */
function chatServer(script: MockScriptEntry[]) {
  const agent = createAgent({
    name: 'bank',
    instructions: 'x',
    model: new MockChatModel({ responses: script, repeatLast: true }),
    tools: [transfer],
  });
  const registry = createUIStreamRegistry();
  const suspended = new Map<string, AgentRunState>();
  const fetch = vi.fn(async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const url = String(input);
    const resumeMatch = /^\/api\/ui\/chat\/([^/?]+)\/stream(?:\?from=(\d+))?$/.exec(url);
    if (resumeMatch !== null) {
      const id = resumeMatch[1] ?? '';
      if (init?.method === 'DELETE') {
        await registry.cancel(id);
        return new Response(null, { status: 204 });
      }
      const from = resumeMatch[2] === undefined ? undefined : Number(resumeMatch[2]);
      const signal = init?.signal ?? undefined;
      const stream = await registry.resume(id, {
        ...(from === undefined ? {} : { from }),
        ...(signal === undefined ? {} : { signal }),
      });
      return stream === undefined
        ? new Response(null, { status: 204 })
        : new Response(stream, { headers: uiMessageStreamHeaders });
    }
    const body = JSON.parse(String(init?.body)) as { id: string; messages: unknown };
    const { messages, approvals, suspendedRunId } = fromUIMessages(body.messages);
    const state = suspendedRunId === undefined ? undefined : suspended.get(suspendedRunId);
    const run = state !== undefined ? agent.resumeStream(state, approvals) : agent.stream(messages);
    run.result.then(
      (result) => result.state && suspended.set(result.runId, result.state),
      () => undefined,
    );
    await registry.start(body.id, toUIMessageStream(run));
    const signal = init?.signal ?? undefined;
    const stream = await registry.resume(body.id, { from: 0, ...(signal === undefined ? {} : { signal }) });
    return new Response(stream, { headers: uiMessageStreamHeaders });
  });
  return { fetch: fetch as unknown as typeof globalThis.fetch, registry };
}

const textOf = (state: ChatState) =>
  state.messages
    .at(-1)
    ?.parts.map((part) => (part.type === 'text' ? part.text : ''))
    .join('');

describe('createChatClient', () => {
  it('sends, streams the answer into state and notifies subscribers', async () => {
    const server = chatServer([{ text: 'Hello there, friend.', chunkSize: 4 }]);
    const client = createChatClient({ fetch: server.fetch, chatId: 'c1' });
    const statuses: string[] = [];
    client.subscribe((state) => statuses.push(state.status));
    await client.send('hi');
    const state = client.getState();
    expect(state.status).toBe('ready');
    expect(state.messages.map((message) => message.role)).toEqual(['user', 'assistant']);
    expect(textOf(state)).toBe('Hello there, friend.');
    expect(statuses[0]).toBe('submitted');
    expect(statuses).toContain('streaming');
    expect(statuses.at(-1)).toBe('ready');
  });

  it('approves a tool call: the answer resumes the suspended run on the server', async () => {
    transfers.length = 0;
    const server = chatServer([
      { toolCalls: [{ toolName: 'transfer', input: { to: 'alice' }, toolCallId: 't1' }] },
      'Sent.',
    ]);
    const client = createChatClient({ fetch: server.fetch, chatId: 'c2' });
    await client.send('pay alice');
    const tool = client
      .getState()
      .messages.at(-1)
      ?.parts.find((part) => part.type === 'tool-transfer');
    expect(tool).toMatchObject({ state: 'approval-requested', approval: { id: 't1' } });
    await client.approve('t1', true);
    expect(transfers).toEqual(['alice']);
    expect(textOf(client.getState())).toBe('Sent.');
    await expect(client.approve('nope', true)).rejects.toMatchObject({ code: 'not-found' });
  });

  it('stop cancels the answer on the server; resume continues a dropped answer from where it was', async () => {
    const words = Array.from({ length: 50 }, (_, index) => `w${index}`).join(' ');
    const server = chatServer([{ text: words, chunkSize: 3, partDelayMs: 2 }]);
    const client = createChatClient({ fetch: server.fetch, chatId: 'c3' });
    const sending = client.send('go');
    await vi.waitFor(() => expect((textOf(client.getState()) ?? '').length).toBeGreaterThan(10));
    // resume() drops the current connection without cancelling the answer (a network blip), then reconnects.
    await client.resume();
    await sending;
    expect(textOf(client.getState())).toBe(words);
    const resumeCall = vi.mocked(server.fetch).mock.calls.find(([url]) => String(url).includes('?from='));
    expect(resumeCall).toBeDefined();

    const second = chatServer([{ text: words, chunkSize: 3, partDelayMs: 2 }]);
    const stopping = createChatClient({ fetch: second.fetch, chatId: 'c4' });
    const pending = stopping.send('go');
    await vi.waitFor(() => expect((textOf(stopping.getState()) ?? '').length).toBeGreaterThan(10));
    await stopping.stop();
    await pending;
    expect(stopping.getState().status).toBe('ready');
    await vi.waitFor(async () => expect(await second.registry.driver.state('c4')).toBe('finished'));
    expect(await second.registry.resume('c4')).toBeUndefined();
  });

  it('reports an error chunk as the error state', async () => {
    const server = chatServer([{ text: 'abc', error: new Error('boom'), errorAfterParts: 2 }]);
    const client = createChatClient({ fetch: server.fetch, chatId: 'c5' });
    await client.send('x');
    expect(client.getState()).toMatchObject({ status: 'error', error: 'An error occurred.' });
  });
});

describe('createChatClient errors', () => {
  it('keeps the partial answer when the error arrives in the same read as its text', async () => {
    const events = [
      { type: 'start', messageId: 'm1' },
      { type: 'text-start', id: 't1' },
      { type: 'text-delta', id: 't1', delta: 'partial answer' },
      { type: 'error', errorText: 'the provider failed' },
    ];
    const fetch = (async () =>
      new Response(events.map((event) => `data: ${JSON.stringify(event)}\n\n`).join(''), {
        headers: uiMessageStreamHeaders,
      })) as unknown as typeof globalThis.fetch;
    const client = createChatClient({ fetch });
    await client.send('hi');
    const state = client.getState();
    expect(state).toMatchObject({ status: 'error', error: 'the provider failed' });
    expect(state.messages.at(-1)).toMatchObject({
      role: 'assistant',
      parts: [{ type: 'text', text: 'partial answer' }],
    });
  });
});

describe('createChatClient limits', () => {
  it('refuses an SSE event longer than maxEventCharacters', async () => {
    const fetch = (async () =>
      new Response(`data: {"type":"text-delta","id":"t","delta":"${'x'.repeat(500)}`, {
        headers: uiMessageStreamHeaders,
      })) as unknown as typeof globalThis.fetch;
    const client = createChatClient({ fetch, maxEventCharacters: 100 });
    await client.send('hi');
    expect(client.getState()).toMatchObject({ status: 'error', error: '[ui] an event exceeded 100 characters' });
    // The deprecated `maxEventChars` still works; the new name wins when both are given.
    const legacy = createChatClient({ fetch, maxEventChars: 100 });
    await legacy.send('hi');
    expect(legacy.getState()).toMatchObject({ error: '[ui] an event exceeded 100 characters' });
    const both = createChatClient({ fetch, maxEventChars: 100, maxEventCharacters: 200 });
    await both.send('hi');
    expect(both.getState()).toMatchObject({ error: '[ui] an event exceeded 200 characters' });
  });
});

describe('applyUIMessageChunk', () => {
  it('builds the same message as the ai package from an agent run with tools, approval and reasoning', async () => {
    const agent = createAgent({
      name: 'a',
      instructions: 'x',
      model: new MockChatModel({
        responses: [
          {
            reasoning: 'hmm',
            text: 'Let me pay.',
            toolCalls: [{ toolName: 'transfer', input: { to: 'bob' }, toolCallId: 't9' }],
          },
        ],
      }),
      tools: [transfer],
    });
    const chunks: UIMessageChunk[] = [];
    const reader = toUIMessageStream(agent.stream('pay bob'), { messageId: 'm' }).getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
    }
    const ours: UIMessage = { id: '', role: 'assistant', parts: [] };
    for (const chunk of chunks) applyUIMessageChunk(ours, chunk);
    let reference: unknown;
    const stream = new ReadableStream({
      start(controller) {
        for (const chunk of chunks) controller.enqueue(chunk);
        controller.close();
      },
    });
    for await (const message of readUIMessageStream({ stream: stream as never })) reference = message;
    expect(JSON.parse(JSON.stringify(ours))).toEqual(JSON.parse(JSON.stringify(reference)));
  });
});
