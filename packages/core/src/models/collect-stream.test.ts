import { describe, expect, it } from 'vitest';
import type { ChatResponse, ChatStreamPart } from '../contracts/chat-model.js';
import { AgenticGenError } from '../errors/agenticgen-error.js';
import { collectStream } from './collect-stream.js';
import { partsFromResponse, streamFromResponse } from './stream-from-response.js';

async function* from(parts: ChatStreamPart[]): AsyncGenerator<ChatStreamPart> {
  for (const part of parts) yield part;
}

const usage = { inputTokens: 12, outputTokens: 7, totalTokens: 19 };

describe('collectStream', () => {
  it('assembles text, reasoning, tool calls from start/delta/end, usage and finish', async () => {
    const seen: string[] = [];
    const response = await collectStream(
      from([
        { type: 'response-start', modelId: 'gpt-x', id: 'resp_1' },
        { type: 'reasoning-delta', delta: 'Think ' },
        { type: 'reasoning-delta', delta: 'hard', signature: 'sig' },
        { type: 'text-delta', delta: 'Hel' },
        { type: 'text-delta', delta: 'lo' },
        { type: 'tool-call-start', toolCallId: 'c1', toolName: 'weather' },
        { type: 'tool-call-start', toolCallId: 'c2', toolName: 'time' },
        { type: 'tool-call-delta', toolCallId: 'c1', argumentsDelta: '{"city":' },
        { type: 'tool-call-delta', toolCallId: 'c2', argumentsDelta: '{"zone":"UTC"}' },
        { type: 'tool-call-delta', toolCallId: 'c1', argumentsDelta: '"Paris"}' },
        { type: 'tool-call-end', toolCallId: 'c1', toolName: 'weather', input: { city: 'Paris' } },
        { type: 'usage', usage: { inputTokens: 1, outputTokens: 1, totalTokens: 2 } },
        { type: 'finish', finishReason: 'tool-calls', usage, costUsd: 0.001 },
      ]),
      { onPart: (part) => seen.push(part.type) },
    );
    expect(response).toEqual<ChatResponse>({
      text: 'Hello',
      content: [
        { type: 'reasoning', text: 'Think hard', signature: 'sig' },
        { type: 'text', text: 'Hello' },
        { type: 'tool-call', toolCallId: 'c1', toolName: 'weather', input: { city: 'Paris' } },
        // No end part: the input comes from the argument deltas.
        { type: 'tool-call', toolCallId: 'c2', toolName: 'time', input: { zone: 'UTC' } },
      ],
      toolCalls: [
        { type: 'tool-call', toolCallId: 'c1', toolName: 'weather', input: { city: 'Paris' } },
        { type: 'tool-call', toolCallId: 'c2', toolName: 'time', input: { zone: 'UTC' } },
      ],
      finishReason: 'tool-calls',
      usage,
      modelId: 'gpt-x',
      costUsd: 0.001,
      providerMetadata: { id: 'resp_1' },
    });
    expect(seen).toHaveLength(13);
  });

  it('keeps unparseable argument text as a string so the tool layer can report it to the model', async () => {
    const response = await collectStream(
      from([
        { type: 'tool-call-start', toolCallId: 'c1', toolName: 'search' },
        { type: 'tool-call-delta', toolCallId: 'c1', argumentsDelta: '{"q": "unterminated' },
        { type: 'finish', finishReason: 'tool-calls', usage },
      ]),
      { modelId: 'fallback-id' },
    );
    expect(response.toolCalls[0]?.input).toBe('{"q": "unterminated');
    expect(response.modelId).toBe('fallback-id');
  });

  it('splits reasoning blocks at a signature and accepts a tool-call-end without start', async () => {
    const response = await collectStream(
      from([
        { type: 'reasoning-delta', delta: 'one', signature: 's1' },
        { type: 'reasoning-delta', delta: 'two' },
        { type: 'tool-call-end', toolCallId: 'c9', toolName: 'lookup', input: { id: 3 } },
        { type: 'finish', finishReason: 'tool-calls', usage },
      ]),
    );
    expect(response.content).toEqual([
      { type: 'reasoning', text: 'one', signature: 's1' },
      { type: 'reasoning', text: 'two' },
      { type: 'tool-call', toolCallId: 'c9', toolName: 'lookup', input: { id: 3 } },
    ]);
    expect(response.text).toBe('');
  });

  it('rejects a stream without finish and a delta for an unknown call with invalid-response', async () => {
    await expect(collectStream(from([{ type: 'text-delta', delta: 'x' }]))).rejects.toSatisfy(
      (error) => AgenticGenError.hasCode(error, 'invalid-response') && /finish/.test(error.message),
    );
    await expect(
      collectStream(from([{ type: 'tool-call-delta', toolCallId: 'nope', argumentsDelta: '{}' }])),
    ).rejects.toSatisfy((error) => AgenticGenError.hasCode(error, 'invalid-response') && /nope/.test(error.message));
  });

  it('propagates errors thrown by the stream', async () => {
    async function* failing(): AsyncGenerator<ChatStreamPart> {
      yield { type: 'text-delta', delta: 'partial' };
      throw new AgenticGenError('server', '[adapters] upstream 500');
    }
    await expect(collectStream(failing())).rejects.toSatisfy((error) => AgenticGenError.hasCode(error, 'server'));
  });
});

describe('streamFromResponse', () => {
  const response: ChatResponse = {
    text: 'The weather is nice 🌞 today',
    content: [
      { type: 'reasoning', text: 'check the tool first', signature: 'abc' },
      { type: 'text', text: 'The weather is nice 🌞 today' },
      { type: 'tool-call', toolCallId: 'c1', toolName: 'weather', input: { city: 'Zürich', days: [1, 2] } },
    ],
    toolCalls: [{ type: 'tool-call', toolCallId: 'c1', toolName: 'weather', input: { city: 'Zürich', days: [1, 2] } }],
    finishReason: 'tool-calls',
    usage: { inputTokens: 3, outputTokens: 4, totalTokens: 7, reasoningTokens: 2 },
    modelId: 'model-a',
    costUsd: 0.5,
    providerMetadata: { id: 'r-1' },
  };

  it('round-trips through collectStream, whole or in small chunks', async () => {
    expect(await collectStream(streamFromResponse(response))).toEqual(response);
    expect(await collectStream(streamFromResponse(response, { chunkSize: 3 }))).toEqual(response);
  });

  it('streams in the order a provider would, with argument deltas and the signature on the last reasoning delta', () => {
    const parts = partsFromResponse(response, { chunkSize: 10 });
    expect(parts.map((part) => part.type)).toEqual([
      'response-start',
      'reasoning-delta',
      'reasoning-delta',
      'text-delta',
      'text-delta',
      'text-delta',
      'tool-call-start',
      'tool-call-delta',
      'tool-call-delta',
      'tool-call-delta',
      'tool-call-end',
      'usage',
      'finish',
    ]);
    const reasoning = parts.filter((part) => part.type === 'reasoning-delta');
    expect(reasoning.map((part) => part.signature)).toEqual([undefined, 'abc']);
    const argumentText = parts.map((part) => (part.type === 'tool-call-delta' ? part.argumentsDelta : '')).join('');
    expect(JSON.parse(argumentText)).toEqual({ city: 'Zürich', days: [1, 2] });
  });
});
