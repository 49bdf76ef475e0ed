import { type ChatStreamPart, collectStream } from '@agenticgen/core';
import { describe, expect, it } from 'vitest';
import { responseToParts, StreamCollector } from './stream-collect.js';

// The deprecated adapters helpers must fold and replay exactly as core does: one owner for stream folding.

const usage = { inputTokens: 3, outputTokens: 2, totalTokens: 5 };
const streams: Record<string, ChatStreamPart[]> = {
  'a tool call whose stream omits tool-call-end': [
    { type: 'tool-call-start', toolCallId: 'c1', toolName: 'lookup' },
    { type: 'tool-call-delta', toolCallId: 'c1', argumentsDelta: '{"id":' },
    { type: 'tool-call-delta', toolCallId: 'c1', argumentsDelta: '"ada"}' },
    { type: 'finish', finishReason: 'tool-calls', usage },
  ],
  'two reasoning blocks, the first closed by its signature': [
    { type: 'reasoning-delta', delta: 'first', signature: 'sig-1' },
    { type: 'reasoning-delta', delta: 'second' },
    { type: 'text-delta', delta: 'answer' },
    { type: 'finish', finishReason: 'stop', usage },
  ],
  'a response id and cost': [
    { type: 'response-start', modelId: 'served-model', id: 'resp-1' },
    { type: 'text-delta', delta: 'hi' },
    { type: 'finish', finishReason: 'stop', usage, costUsd: 0.5 },
  ],
};

async function* replay(parts: readonly ChatStreamPart[]): AsyncGenerator<ChatStreamPart> {
  yield* parts;
}

describe('StreamCollector (deprecated)', () => {
  it.each(Object.entries(streams))('folds %s as collectStream does', async (_name, parts) => {
    const collector = new StreamCollector('fallback-model');
    for (const part of parts) collector.add(part);
    expect(collector.response()).toEqual(await collectStream(replay(parts), { modelId: 'fallback-model' }));
  });

  it('replays a folded response that folds back to the same response', async () => {
    const parts = streams['two reasoning blocks, the first closed by its signature'] ?? [];
    const response = await collectStream(replay(parts), { modelId: 'm' });
    expect(await collectStream(replay([...responseToParts(response)]))).toEqual(response);
  });
});
