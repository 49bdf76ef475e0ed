import { Type } from '@sinclair/typebox';
import {
  JsonToSseTransformStream,
  readUIMessageStream,
  UI_MESSAGE_STREAM_HEADERS,
  type UIMessage,
  uiMessageChunkSchema,
} from 'ai';
import { describe, expect, it } from 'vitest';
import { createAgent } from '../agents/create-agent.js';
import { knowledgeSearchToolName } from '../agents/presets/research-agent.js';
import { AgenticGenError } from '../errors/agenticgen-error.js';
import { MockChatModel } from '../testing/mock-chat-model.js';
import { defineTool } from '../tools/define-tool.js';
import { toUIMessageSseBytes, toUIMessageStream, toUIMessageStreamResponse } from './to-ui-message-stream.js';
import type { UIMessageChunk } from './ui-message-chunk.js';

async function collect<T = UIMessageChunk>(stream: ReadableStream<T>): Promise<T[]> {
  const items: T[] = [];
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return items;
    items.push(value);
  }
}

/** Every chunk must pass the `ai` package's own schema. */
async function expectValidChunks(chunks: readonly UIMessageChunk[]): Promise<void> {
  const schema = uiMessageChunkSchema();
  for (const chunk of chunks) {
    const verdict = await schema.validate?.(chunk);
    expect(verdict?.success, JSON.stringify(chunk)).toBe(true);
  }
}

/** The message `useChat` would build from these chunks (the `ai` package's own reader). */
async function assemble(chunks: readonly UIMessageChunk[]): Promise<UIMessage> {
  const stream = new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(chunk);
      controller.close();
    },
  });
  let last: UIMessage | undefined;
  for await (const message of readUIMessageStream({ stream: stream as never })) last = message;
  if (last === undefined) throw new Error('no message');
  return last;
}

const weather = defineTool({
  name: 'weather',
  description: 'Weather of a city.',
  parameters: Type.Object({ city: Type.String() }),
  execute: ({ city }) => ({ city, celsius: 21 }),
});
const transfer = defineTool({
  name: 'transfer',
  description: 'Moves money.',
  parameters: Type.Object({ to: Type.String() }),
  needsApproval: true,
  execute: () => ({ ok: true }),
});

describe('toUIMessageStream', () => {
  it('turns an agent run with a tool call into chunks the ai package accepts and assembles', async () => {
    const model = new MockChatModel({
      responses: [
        { reasoning: 'think', toolCalls: [{ toolName: 'weather', input: { city: 'Paris' }, toolCallId: 'w1' }] },
        { text: 'It is 21 degrees in Paris.', usage: { inputTokens: 10, outputTokens: 7 } },
      ],
    });
    const agent = createAgent({ name: 'w', instructions: 'x', model, tools: [weather] });
    const chunks = await collect(
      toUIMessageStream(agent.stream('Weather in Paris?'), { messageId: 'm1', model: 'mock-model' }),
    );
    await expectValidChunks(chunks);
    expect(chunks[0]).toEqual({ type: 'start', messageId: 'm1' });
    expect(chunks.at(-1)).toMatchObject({ type: 'finish', finishReason: 'stop' });
    const message = await assemble(chunks);
    expect(message.id).toBe('m1');
    expect(message.metadata).toMatchObject({ model: 'mock-model', usage: { inputTokens: expect.any(Number) } });
    const tool = message.parts.find((part) => part.type === 'tool-weather');
    expect(tool).toMatchObject({ toolCallId: 'w1', state: 'output-available', input: { city: 'Paris' } });
    expect(tool).toMatchObject({ output: { city: 'Paris', celsius: 21 } });
    const text = message.parts.filter((part) => part.type === 'text').map((part) => part.text);
    expect(text.join('')).toBe('It is 21 degrees in Paris.');
    expect(message.parts.filter((part) => part.type === 'reasoning')).toHaveLength(1);
    expect(message.parts.filter((part) => part.type === 'step-start')).toHaveLength(2);
  });

  it('streams tool input of a model stream as deltas, then the parsed input', async () => {
    const model = new MockChatModel({
      responses: [{ toolCalls: [{ toolName: 'weather', input: { city: 'Lisbon' }, toolCallId: 'c1' }], chunkSize: 4 }],
    });
    const chunks = await collect(toUIMessageStream(model.stream({ messages: [] })));
    await expectValidChunks(chunks);
    const deltas = chunks.filter((chunk) => chunk.type === 'tool-input-delta');
    expect(deltas.length).toBeGreaterThan(1);
    expect(deltas.map((chunk) => (chunk.type === 'tool-input-delta' ? chunk.inputTextDelta : '')).join('')).toBe(
      JSON.stringify({ city: 'Lisbon' }),
    );
    expect(chunks.findIndex((chunk) => chunk.type === 'tool-input-start')).toBeLessThan(
      chunks.findIndex((chunk) => chunk.type === 'tool-input-delta'),
    );
    const message = await assemble(chunks);
    expect(message.parts.find((part) => part.type === 'tool-weather')).toMatchObject({
      state: 'input-available',
      input: { city: 'Lisbon' },
    });
    expect(message.metadata).toMatchObject({ model: 'mock-model' });
  });

  it('streams the tool input of an agent run as deltas before the call runs', async () => {
    const model = new MockChatModel({
      responses: [
        { toolCalls: [{ toolName: 'weather', input: { city: 'Oslo' }, toolCallId: 'w2' }], chunkSize: 3 },
        'ok',
      ],
    });
    const agent = createAgent({ name: 'w', instructions: 'x', model, tools: [weather] });
    const chunks = await collect(toUIMessageStream(agent.stream('Weather in Oslo?')));
    await expectValidChunks(chunks);
    const deltas = chunks.flatMap((chunk) => (chunk.type === 'tool-input-delta' ? [chunk.inputTextDelta] : []));
    expect(deltas.length).toBeGreaterThan(1);
    expect(deltas.join('')).toBe('{"city":"Oslo"}');
    const types = chunks.map((chunk) => chunk.type);
    expect(types.indexOf('tool-input-start')).toBeLessThan(types.indexOf('tool-input-delta'));
    expect(types.lastIndexOf('tool-input-delta')).toBeLessThan(types.indexOf('tool-input-available'));
    expect(types.filter((type) => type === 'tool-input-start')).toHaveLength(1);
  });

  it('maps a suspended run to a tool approval request and a data-suspended part', async () => {
    const model = new MockChatModel({
      responses: [{ toolCalls: [{ toolName: 'transfer', input: { to: 'alice' }, toolCallId: 't1' }] }],
    });
    const agent = createAgent({ name: 'bank', instructions: 'x', model, tools: [transfer] });
    const chunks = await collect(toUIMessageStream(agent.stream('pay alice')));
    await expectValidChunks(chunks);
    expect(chunks).toContainEqual({ type: 'tool-approval-request', approvalId: 't1', toolCallId: 't1' });
    expect(chunks.at(-1)).toMatchObject({ type: 'finish', finishReason: 'tool-calls' });
    const message = await assemble(chunks);
    expect(message.parts.find((part) => part.type === 'tool-transfer')).toMatchObject({
      state: 'approval-requested',
      approval: { id: 't1' },
    });
    const suspended = message.parts.find((part) => part.type === 'data-suspended');
    expect(suspended).toMatchObject({ data: { pendingApprovals: [{ toolCallId: 't1', toolName: 'transfer' }] } });
  });

  it('maps a denied call to tool-output-denied and a failing tool to tool-output-error', async () => {
    const failing = defineTool({
      name: 'broken',
      description: 'Fails.',
      parameters: Type.Object({}),
      execute: () => {
        throw new Error('disk on fire');
      },
    });
    const model = new MockChatModel({
      responses: [{ toolCalls: [{ toolName: 'broken', input: {}, toolCallId: 'b1' }] }, 'sorry'],
    });
    const agent = createAgent({ name: 'b', instructions: 'x', model, tools: [failing] });
    const chunks = await collect(toUIMessageStream(agent.stream('go')));
    await expectValidChunks(chunks);
    const error = chunks.find((chunk) => chunk.type === 'tool-output-error');
    expect(error).toMatchObject({ toolCallId: 'b1', errorText: expect.stringContaining('disk on fire') });

    const bank = createAgent({
      name: 'bank',
      instructions: 'x',
      model: new MockChatModel({
        responses: [{ toolCalls: [{ toolName: 'transfer', input: { to: 'bob' }, toolCallId: 't2' }] }, 'ok, not sent'],
      }),
      tools: [transfer],
    });
    const first = await bank.run('pay bob');
    if (first.state === undefined) throw new Error('expected a suspended run');
    const denied = await collect(
      toUIMessageStream(bank.resumeStream(first.state, { t2: { approved: false, reason: 'no' } })),
    );
    await expectValidChunks(denied);
    expect(denied).toContainEqual({ type: 'tool-output-denied', toolCallId: 't2' });
  });

  it('sends the cited sources of a research run as source-url and source-document', async () => {
    const search = defineTool({
      name: knowledgeSearchToolName,
      description: 'Searches.',
      parameters: Type.Object({ query: Type.String() }),
      execute: () => ({
        results: [
          { ref: 'web#0', source: 'https://example.com/a', documentId: 'web', chunkIndex: 0, text: 'A' },
          { ref: 'guide#2', source: 'guide.md', documentId: 'guide', chunkIndex: 2, text: 'B' },
        ],
      }),
    });
    const model = new MockChatModel({
      responses: [
        { toolCalls: [{ toolName: knowledgeSearchToolName, input: { query: 'q' } }] },
        'A is true [web#0] and B too [guide#2].',
      ],
    });
    const agent = createAgent({ name: 'r', instructions: 'x', model, tools: [search] });
    const chunks = await collect(toUIMessageStream(agent.stream('q?')));
    await expectValidChunks(chunks);
    const message = await assemble(chunks);
    expect(message.parts.filter((part) => part.type.startsWith('source-'))).toEqual([
      { type: 'source-url', sourceId: 'web#0', url: 'https://example.com/a', title: 'https://example.com/a' },
      { type: 'source-document', sourceId: 'guide#2', mediaType: 'text/plain', title: 'guide.md' },
    ]);
  });

  it('ends a failing run with one error chunk carrying the code, after closing the open text', async () => {
    const model = new MockChatModel({
      responses: [
        {
          text: 'partial answer that breaks',
          chunkSize: 5,
          error: new AgenticGenError('server', 'upstream 500'),
          errorAfterParts: 3,
        },
      ],
    });
    const agent = createAgent({ name: 'e', instructions: 'x', model });
    const chunks = await collect(toUIMessageStream(agent.stream('hi')));
    await expectValidChunks(chunks);
    const errors = chunks.filter((chunk) => chunk.type === 'error');
    expect(errors).toEqual([{ type: 'error', errorText: '[server] upstream 500' }]);
    expect(chunks.at(-1)?.type).toBe('error');
    const starts = chunks.filter((chunk) => chunk.type === 'text-start').length;
    expect(chunks.filter((chunk) => chunk.type === 'text-end').length).toBe(starts);
  });

  it('hides the text of foreign errors from a plain model stream', async () => {
    const model = new MockChatModel({
      responses: [{ text: 'abc', error: new Error('secret path /etc'), errorAfterParts: 2 }],
    });
    const chunks = await collect(toUIMessageStream(model.stream({ messages: [] })));
    await expectValidChunks(chunks);
    expect(chunks.at(-1)).toEqual({ type: 'error', errorText: 'An error occurred.' });
  });

  it('hides the message of an internal error (a foreign error an agent wrapped), keeps declared codes', async () => {
    const model = new MockChatModel({
      responses: [{ text: 'abc', error: new Error('secret path /etc'), errorAfterParts: 2 }],
    });
    const agent = createAgent({ name: 'w', instructions: 'x', model });
    const chunks = await collect(toUIMessageStream(agent.stream('hi')));
    expect(chunks.at(-1)).toEqual({ type: 'error', errorText: 'An error occurred.' });
  });

  it('cancelling the stream cancels the agent run', async () => {
    const model = new MockChatModel({ responses: [{ text: 'a long answer', chunkSize: 1, partDelayMs: 5 }] });
    const agent = createAgent({ name: 'c', instructions: 'x', model });
    const run = agent.stream('hi');
    const reader = toUIMessageStream(run).getReader();
    for (;;) {
      const { value } = await reader.read();
      if (value?.type === 'text-delta') break;
    }
    await reader.cancel();
    await expect(run.result).rejects.toMatchObject({ code: 'aborted' });
  });

  it('an aborted signal ends the stream with an abort chunk', async () => {
    const model = new MockChatModel({ responses: [{ text: 'a long answer', chunkSize: 1, partDelayMs: 5 }] });
    const agent = createAgent({ name: 'c', instructions: 'x', model });
    const controller = new AbortController();
    const chunks: UIMessageChunk[] = [];
    const reader = toUIMessageStream(agent.stream('hi'), { signal: controller.signal }).getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      if (value.type === 'text-delta') controller.abort();
    }
    await expectValidChunks(chunks);
    expect(chunks.at(-1)).toEqual({ type: 'abort', reason: 'aborted' });
  });
});

describe('toUIMessageStreamResponse', () => {
  it('frames chunks byte for byte as JsonToSseTransformStream and sets the protocol headers', async () => {
    const model = new MockChatModel({ responses: [{ text: 'Hello there', chunkSize: 3 }] });
    const response = toUIMessageStreamResponse(model.stream({ messages: [] }), {
      messageId: 'm',
      headers: { 'x-run': '1' },
    });
    for (const [name, value] of Object.entries(UI_MESSAGE_STREAM_HEADERS))
      expect(response.headers.get(name)).toBe(value);
    expect(response.headers.get('x-run')).toBe('1');
    const ours = await response.text();

    const chunks = await collect(
      toUIMessageStream(
        new MockChatModel({ responses: [{ text: 'Hello there', chunkSize: 3 }] }).stream({ messages: [] }),
        { messageId: 'm' },
      ),
    );
    const reference = new ReadableStream({
      start(controller) {
        for (const chunk of chunks) controller.enqueue(chunk);
        controller.close();
      },
    }).pipeThrough(new JsonToSseTransformStream());
    const expected = (await collect<string>(reference)).join('');
    expect(ours).toBe(expected);
    expect(ours.endsWith('data: [DONE]\n\n')).toBe(true);

    const bytes = toUIMessageSseBytes(
      new ReadableStream({
        start(controller) {
          controller.enqueue({ type: 'text-delta', id: 't', delta: 'é' });
          controller.close();
        },
      }),
    );
    expect(await new Response(bytes).text()).toBe(
      'data: {"type":"text-delta","id":"t","delta":"é"}\n\ndata: [DONE]\n\n',
    );
  });
});
