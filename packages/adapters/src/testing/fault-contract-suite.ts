import type { ChatStreamPart } from '@agenticgen/core';
import { describe, expect, it } from 'vitest';
import type { RetryEvent } from '../shared/retry.js';
import { ask, type ContractTarget, collectParts, expected, rejection, serverLog, uniqueKey } from './contract-suite.js';

/**
 * Faults every chat adapter must classify the same way, run against each provider's fake server (Node and
 * Chromium): unreadable answers, `Retry-After` headers, and streams that fail before any content.
 */
export function runChatModelFaultSuite(target: ContractTarget): void {
  /** An adapter whose retries are recorded (delay and code) instead of waited for. */
  const scenario = (name: string, maxRetries = 2) => {
    const key = uniqueKey();
    const retries: RetryEvent[] = [];
    const model = target.create(`${target.modelId}~${name}~${key}`, {
      retry: { maxRetries, random: () => 0.5, sleep: async () => undefined, onRetry: (event) => retries.push(event) },
    });
    return { key, model, retries };
  };

  describe(`${target.name}: fault classification`, () => {
    it.each(['empty-object', 'wrong-shape'])(
      'fails a 200 answer it cannot read (%s) with invalid-response, without retrying',
      async (name) => {
        const { model, key, retries } = scenario(name);
        const error = await rejection(model.generate(ask));
        expect(error.code).toBe('invalid-response');
        expect(error.retryable).toBe(false);
        expect(error.message).toMatch(/^\[adapters:[a-z-]+\] .*unexpected/);
        expect(retries).toEqual([]);
        expect((await serverLog(target.serverUrl, key)).requests).toBe(1);
      },
    );

    it('fails a stream event it cannot read with invalid-response, without retrying', async () => {
      const { model, key, retries } = scenario('wrong-shape');
      const error = await rejection(collectParts(model.stream(ask)));
      expect(error.code).toBe('invalid-response');
      expect(error.message).toMatch(/^\[adapters:[a-z-]+\] .*unexpected/);
      expect(retries).toEqual([]);
      expect((await serverLog(target.serverUrl, key)).requests).toBe(1);
    });

    it('waits the seconds of an HTTP Retry-After header before retrying', async () => {
      const { model, key, retries } = scenario('overloaded-retry-after-once');
      expect((await model.generate(ask)).text).toBe(expected.text);
      expect(retries.map((retry) => retry.delayMs)).toEqual([1000]);
      expect((await serverLog(target.serverUrl, key)).requests).toBe(2);
    });

    it('waits until the HTTP date of a Retry-After header before retrying', async () => {
      const { model, retries } = scenario('overloaded-retry-date-once');
      const parts = await collectParts(model.stream(ask));
      expect(parts.at(-1)).toMatchObject({ type: 'finish' });
      // The server asked for now + 5 s, rounded down to whole seconds by the date format.
      expect(retries).toHaveLength(1);
      expect(retries[0]?.delayMs).toBeGreaterThan(3000);
      expect(retries[0]?.delayMs).toBeLessThanOrEqual(5000);
    });

    it('retries a stream that failed before any content and delivers one clean answer', async () => {
      const { model, key, retries } = scenario('error-before-content-once');
      const parts: ChatStreamPart[] = await collectParts(model.stream(ask));
      expect(retries.map((retry) => retry.error.retryable)).toEqual([true]);
      expect(parts.filter((part) => part.type === 'response-start')).toHaveLength(1);
      const text = parts.flatMap((part) => (part.type === 'text-delta' ? [part.delta] : [])).join('');
      expect(text).toBe(expected.text);
      expect(parts.at(-1)).toMatchObject({ type: 'finish', finishReason: 'stop' });
      expect((await serverLog(target.serverUrl, key)).requests).toBe(2);
    });

    it('reports a stream that keeps failing before any content as its provider error, after the retries', async () => {
      const { model, key, retries } = scenario('error-before-content', 1);
      const error = await rejection(collectParts(model.stream(ask)));
      expect(error.code).toBe(target.streamErrorCode ?? 'overloaded');
      expect(retries).toHaveLength(1);
      expect((await serverLog(target.serverUrl, key)).requests).toBe(2);
    });
  });
}
