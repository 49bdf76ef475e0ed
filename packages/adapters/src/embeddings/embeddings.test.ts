import { describe, expect, it } from 'vitest';
import { createGeminiEmbeddingModel } from '../gemini/index.js';
import { createOpenAIEmbeddingModel } from '../openai/index.js';
import { rejection, serverLog, uniqueKey } from '../testing/contract-suite.js';
import { browserOptIn, fakeServerUrls } from '../testing/fake-server-urls.js';

const urls = fakeServerUrls();
const texts = Array.from({ length: 7 }, (_, index) => `document number ${index} ✓`);

const dot = (left: Float32Array, right: Float32Array) =>
  left.reduce((sum, value, index) => sum + value * (right[index] ?? 0), 0);

describe('embedding models', () => {
  const cases = [
    {
      name: 'OpenAI',
      serverUrl: urls.openai,
      create: (modelId: string) =>
        createOpenAIEmbeddingModel({
          modelId,
          dimensions: 8,
          maxBatchSize: 3,
          apiKey: 'sk-test',
          baseURL: `${urls.openai}/v1`,
          retry: { sleep: async () => undefined },
          ...browserOptIn,
        }),
    },
    {
      name: 'Gemini',
      serverUrl: urls.gemini,
      create: (modelId: string) =>
        createGeminiEmbeddingModel({
          modelId,
          dimensions: 8,
          maxBatchSize: 3,
          apiKey: 'gemini-test',
          baseURL: urls.gemini,
          retry: { sleep: async () => undefined },
        }),
    },
  ];
  for (const testCase of cases) {
    it(`${testCase.name}: embeds in batches, in order, normalised, deterministic`, async () => {
      const key = uniqueKey();
      const model = testCase.create(`text-embedding-3-small~text~${key}`);
      expect(model.dimensions).toBe(8);
      expect(model.maxBatchSize).toBe(3);
      const vectors = await model.embed(texts);
      expect(vectors).toHaveLength(7);
      for (const vector of vectors) {
        expect(vector).toBeInstanceOf(Float32Array);
        expect(vector.length).toBe(8);
        expect(dot(vector, vector)).toBeCloseTo(1, 5);
      }
      // 7 texts in batches of 3 → 3 requests; the same text gives the same vector.
      expect((await serverLog(testCase.serverUrl, key)).requests).toBe(3);
      const again = await model.embed([texts[4] as string]);
      expect(Array.from(again[0] as Float32Array)).toEqual(Array.from(vectors[4] as Float32Array));
      expect(await model.embed([])).toEqual([]);
    });

    it(`${testCase.name}: retries a 429 and maps 401`, async () => {
      const key = uniqueKey();
      const retried = await testCase.create(`text-embedding-3-small~rate-limit-once~${key}`).embed(['a']);
      expect(retried).toHaveLength(1);
      expect((await serverLog(testCase.serverUrl, key)).requests).toBe(2);
      const error = await rejection(testCase.create(`text-embedding-3-small~unauthorized~${uniqueKey()}`).embed(['a']));
      expect(error.code).toBe('authentication');
    });
  }

  it('rejects an unknown model without dimensions and vectors of the wrong size', async () => {
    expect(() => createOpenAIEmbeddingModel({ modelId: 'my-embedder', apiKey: 'x' })).toThrowError(/dimensions/);
    const wrong = createOpenAIEmbeddingModel({
      modelId: 'text-embedding-3-small',
      apiKey: 'sk-test',
      baseURL: `${urls.openai}/v1`,
      ...browserOptIn,
    });
    // The fake server answers 8 dimensions when none are requested; the model promises 1536.
    expect((await rejection(wrong.embed(['a']))).code).toBe('invalid-response');
  });
});
