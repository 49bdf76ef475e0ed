import type { RankCandidate } from '@agenticgen/core';
import { describe, expect, it } from 'vitest';
import { fakeServerUrls } from '../testing/fake-server-urls.js';
import { createCohereCompatibleRanker } from './cohere-compatible-ranker.js';

const candidates: RankCandidate[] = [
  { id: 'a#0', text: 'Shipping is free over 50 euros.', metadata: {}, score: 0.9 },
  { id: 'b#0', text: 'Refunds take five days once the parcel is back.', metadata: {}, score: 0.8 },
  { id: 'c#0', text: 'How many days do refunds of gift cards take? None: they are final.', metadata: {}, score: 0.7 },
];

let keys = 0;
/** A model id carrying the fake server's scenario and a key of its own (so request logs do not mix). */
const modelFor = (scenario: string) => {
  const key = `ranker-${Date.now()}-${keys++}`;
  return { key, model: `rerank-v3.5~${scenario}~${key}` };
};

async function serverLog(
  key: string,
): Promise<{ requests: number; bodies: unknown[]; headers: Array<Record<string, string>> }> {
  const response = await fetch(`${fakeServerUrls().rerank}/__control/log?key=${key}`);
  return response.json();
}

const noWait = { sleep: async () => undefined, random: () => 0 };

describe('createCohereCompatibleRanker', () => {
  it('scores every candidate with the provider and sends Cohere v2 rerank requests in batches', async () => {
    const { key, model } = modelFor('text');
    const ranker = createCohereCompatibleRanker({
      model,
      baseURL: fakeServerUrls().rerank,
      apiKey: 'test-key',
      maxDocumentsPerRequest: 2,
    });
    const scores = await ranker.rank('how many days do refunds take', candidates, { topK: 2 });
    const order = [...scores].sort((left, right) => right.score - left.score).map(({ id }) => id);
    expect(order).toEqual(['c#0', 'b#0', 'a#0']);
    expect(scores.find(({ id }) => id === 'a#0')?.score).toBe(0);
    const log = await serverLog(key);
    expect(log.requests).toBe(2);
    expect(log.bodies).toEqual([
      {
        model,
        query: 'how many days do refunds take',
        documents: [candidates[0]?.text, candidates[1]?.text],
        top_n: 2,
      },
      { model, query: 'how many days do refunds take', documents: [candidates[2]?.text], top_n: 1 },
    ]);
    expect(log.headers[0]?.authorization).toBe('Bearer test-key');
    expect(ranker.name).toBe(`cohere-rerank:${model}`);
  });

  it('retries a failed request through the adapters retry policy, then succeeds', async () => {
    const { key, model } = modelFor('server-error-once');
    const delays: number[] = [];
    const ranker = createCohereCompatibleRanker({
      model,
      baseURL: fakeServerUrls().rerank,
      retry: { ...noWait, onRetry: ({ delayMs }) => delays.push(delayMs) },
    });
    const scores = await ranker.rank('refunds', candidates, { topK: 3 });
    expect(scores).toHaveLength(3);
    expect((await serverLog(key)).requests).toBe(2);
    expect(delays).toHaveLength(1);
  });

  it('honours Retry-After on 429 and maps HTTP failures to typed errors without echoing long bodies', async () => {
    const rateLimited = modelFor('rate-limit');
    const delays: number[] = [];
    const limited = createCohereCompatibleRanker({
      model: rateLimited.model,
      baseURL: fakeServerUrls().rerank,
      retry: { ...noWait, maxRetries: 1, onRetry: ({ delayMs }) => delays.push(delayMs) },
    });
    await expect(limited.rank('refunds', candidates, { topK: 3 })).rejects.toMatchObject({
      code: 'rate-limit',
      data: { provider: 'cohere', status: 429 },
    });
    expect(delays).toEqual([2000]);
    expect((await serverLog(rateLimited.key)).requests).toBe(2);

    const unauthorized = modelFor('unauthorized');
    await expect(
      createCohereCompatibleRanker({ model: unauthorized.model, baseURL: fakeServerUrls().rerank, retry: noWait }).rank(
        'refunds',
        candidates,
        { topK: 3 },
      ),
    ).rejects.toMatchObject({ code: 'authentication', message: expect.stringContaining('invalid api token') });
    expect((await serverLog(unauthorized.key)).requests).toBe(1);

    const badRequest = createCohereCompatibleRanker({
      model: modelFor('bad-request').model,
      baseURL: fakeServerUrls().rerank,
      retry: noWait,
    });
    const error = await badRequest.rank('refunds', candidates, { topK: 3 }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'invalid-request' });
    expect((error as Error).message.length).toBeLessThan(500);
  });

  it('rejects answers that are not a rerank result list or name documents it never sent', async () => {
    for (const scenario of ['wrong-shape', 'malformed', 'foreign-index']) {
      const ranker = createCohereCompatibleRanker({
        model: modelFor(scenario).model,
        baseURL: fakeServerUrls().rerank,
        retry: noWait,
      });
      await expect(ranker.rank('refunds', candidates, { topK: 3 })).rejects.toMatchObject({ code: 'invalid-response' });
    }
  });

  it('stops at once when the search is cancelled and validates its options', async () => {
    const ranker = createCohereCompatibleRanker({ model: modelFor('hang').model, baseURL: fakeServerUrls().rerank });
    const controller = new AbortController();
    const pending = ranker.rank('refunds', candidates, { topK: 3, signal: controller.signal });
    controller.abort();
    await expect(pending).rejects.toMatchObject({ code: 'aborted' });
    expect(() => createCohereCompatibleRanker({ model: '' })).toThrow(
      expect.objectContaining({ code: 'invalid-config' }),
    );
    expect(() => createCohereCompatibleRanker({ model: 'm', maxDocumentsPerRequest: 0 })).toThrow(
      expect.objectContaining({ code: 'invalid-config' }),
    );
  });
});
