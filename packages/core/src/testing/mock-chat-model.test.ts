import { describe, expect, it } from 'vitest';
import type { ChatRequest, ChatStreamPart } from '../contracts/chat-model.js';
import { AgenticGenError } from '../errors/agenticgen-error.js';
import { MockChatModel } from './index.js';

const request = (text: string, extra: Partial<ChatRequest> = {}): ChatRequest => ({
  messages: [{ role: 'user', content: text }],
  ...extra,
});

async function drain(stream: AsyncIterable<ChatStreamPart>): Promise<ChatStreamPart[]> {
  const parts: ChatStreamPart[] = [];
  for await (const part of stream) parts.push(part);
  return parts;
}

describe('MockChatModel', () => {
  it('answers scripted text in order and records every request', async () => {
    const model = new MockChatModel({
      responses: ['first', { text: 'second', usage: { inputTokens: 5, outputTokens: 2 } }],
    });
    const one = await model.generate(request('hi'));
    const two = await model.generate(request('again', { temperature: 0 }));
    expect(one.text).toBe('first');
    expect(one.finishReason).toBe('stop');
    expect(one.modelId).toBe('mock-model');
    expect(one.usage.outputTokens).toBeGreaterThan(0);
    expect(two.usage).toEqual({ inputTokens: 5, outputTokens: 2, totalTokens: 7 });
    expect(model.requests.map((r) => r.messages[0]?.content)).toEqual(['hi', 'again']);
    expect(model.lastRequest?.temperature).toBe(0);
    expect(model.calls.map((call) => call.method)).toEqual(['generate', 'generate']);
  });

  it('copies the messages array so later mutation by the caller does not change the record', async () => {
    const model = new MockChatModel({ responses: ['ok'] });
    const messages: ChatRequest['messages'] = [{ role: 'user', content: 'x' }];
    await model.generate({ messages });
    messages.push({ role: 'assistant', content: 'later' });
    expect(model.requests[0]?.messages).toHaveLength(1);
  });

  it('streams reasoning, text and tool calls with argument deltas, then usage and finish', async () => {
    const model = new MockChatModel({
      responses: [
        {
          reasoning: 'need weather',
          text: 'Checking',
          toolCalls: [{ toolName: 'weather', input: { city: 'Paris' }, toolCallId: 'w1' }],
          chunkSize: 4,
        },
      ],
    });
    const stream = model.stream(request('weather?'));
    expect(model.calls).toHaveLength(1);
    const parts = await drain(stream);
    expect(parts[0]).toEqual({ type: 'response-start', modelId: 'mock-model' });
    const deltas = parts.filter((part) => part.type === 'tool-call-delta');
    expect(deltas.length).toBeGreaterThan(1);
    expect(JSON.parse(deltas.map((part) => part.argumentsDelta).join(''))).toEqual({ city: 'Paris' });
    expect(parts.at(-1)).toMatchObject({ type: 'finish', finishReason: 'tool-calls' });
    expect(parts.filter((part) => part.type === 'text-delta').map((part) => part.delta)).toEqual(['Chec', 'king']);
    expect(model.calls[0]?.method).toBe('stream');
  });

  it('generate gives the same answer the stream assembles, including structured output', async () => {
    const script = { reasoning: 'r', object: { answer: 42 }, toolCalls: [{ toolName: 't', input: { a: 1 } }] };
    const model = new MockChatModel({ responses: [script, script] });
    const generated = await model.generate(request('q'));
    expect(JSON.parse(generated.text)).toEqual({ answer: 42 });
    expect(generated.toolCalls).toEqual([
      { type: 'tool-call', toolCallId: 'call_0_0', toolName: 't', input: { a: 1 } },
    ]);
    const streamed = await drain(model.stream(request('q')));
    expect(
      streamed
        .filter((part) => part.type === 'text-delta')
        .map((part) => part.delta)
        .join(''),
    ).toBe(generated.text);
  });

  it('replays exact parts, and scripts can depend on the request', async () => {
    const parts: ChatStreamPart[] = [
      { type: 'tool-call-start', toolCallId: 'x', toolName: 'broken' },
      { type: 'tool-call-delta', toolCallId: 'x', argumentsDelta: '{not json' },
      { type: 'finish', finishReason: 'tool-calls', usage: { inputTokens: 1, outputTokens: 1, totalTokens: 2 } },
    ];
    const model = new MockChatModel({
      responses: [{ parts }, (req, index) => `echo ${index}: ${String(req.messages[0]?.content)}`],
    });
    expect(await drain(model.stream(request('a')))).toEqual(parts);
    expect((await model.generate(request('b'))).text).toBe('echo 1: b');
  });

  it('throws mock-exhausted when the script runs out, unless repeatLast', async () => {
    const model = new MockChatModel({ responses: ['only'] });
    await model.generate(request('1'));
    await expect(model.generate(request('2'))).rejects.toSatisfy(
      (error) => AgenticGenError.hasCode(error, 'mock-exhausted') && /enqueue/.test(error.message),
    );
    model.enqueue('more');
    expect((await model.generate(request('3'))).text).toBe('more');
    const repeating = new MockChatModel({ responses: ['a', 'b'], repeatLast: true });
    const texts = [];
    for (let i = 0; i < 4; i++) texts.push((await repeating.generate(request('x'))).text);
    expect(texts).toEqual(['a', 'b', 'b', 'b']);
  });

  it('fails with a scripted error before any part or mid-stream', async () => {
    const error = new AgenticGenError('rate-limit', '[mock] slow down');
    const model = new MockChatModel({
      responses: [
        { text: 'x', error },
        { text: 'partial answer', error, errorAfterParts: 2, chunkSize: 100 },
      ],
    });
    await expect(model.generate(request('1'))).rejects.toBe(error);
    const seen: ChatStreamPart[] = [];
    await expect(
      (async () => {
        for await (const part of model.stream(request('2'))) seen.push(part);
      })(),
    ).rejects.toBe(error);
    expect(seen.map((part) => part.type)).toEqual(['response-start', 'text-delta']);
  });

  it('honours an AbortSignal during a delay, before the call and between parts', async () => {
    const model = new MockChatModel({ responses: [{ text: 'slow', delayMs: 10_000 }], repeatLast: true });
    const controller = new AbortController();
    const pending = model.generate(request('x', { signal: controller.signal }));
    setTimeout(() => controller.abort(), 5);
    await expect(pending).rejects.toSatisfy((error) => AgenticGenError.hasCode(error, 'aborted'));

    await expect(model.generate(request('x', { signal: AbortSignal.abort() }))).rejects.toSatisfy((error) =>
      AgenticGenError.hasCode(error, 'aborted'),
    );

    const streaming = new MockChatModel({ responses: [{ text: 'abcdefgh', chunkSize: 1, partDelayMs: 5 }] });
    const stopper = new AbortController();
    const seen: string[] = [];
    await expect(
      (async () => {
        for await (const part of streaming.stream(request('x', { signal: stopper.signal }))) {
          seen.push(part.type);
          if (seen.length === 3) stopper.abort();
        }
      })(),
    ).rejects.toSatisfy((error) => AgenticGenError.hasCode(error, 'aborted'));
    expect(seen).toHaveLength(3);
  });

  it('turns request.timeoutMs into a timeout error', async () => {
    const model = new MockChatModel({ responses: [{ text: 'slow', delayMs: 10_000 }] });
    await expect(model.generate(request('x', { timeoutMs: 10 }))).rejects.toSatisfy(
      (error) => AgenticGenError.hasCode(error, 'timeout') && error.retryable,
    );
  });

  it('reports configured identity and capabilities', () => {
    const model = new MockChatModel({ modelId: 'm', provider: 'p', capabilities: { vision: false, contextWindow: 8 } });
    expect([model.provider, model.modelId, model.capabilities.vision, model.capabilities.contextWindow]).toEqual([
      'p',
      'm',
      false,
      8,
    ]);
    expect(model.capabilities.tools).toBe(true);
  });
});
