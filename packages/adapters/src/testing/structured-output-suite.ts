import { AgenticGenError, generateObject, streamObject, Type } from '@agenticgen/core';
import { describe, expect, it } from 'vitest';
import type { ChatAdapterOptions } from '../shared/chat-model-runtime.js';
import { type ContractTarget, expected, serverLog, uniqueKey } from './contract-suite.js';
import { scriptFakeServer } from './fake-server-script.js';

/** What the structured-output cases need besides the chat contract target. */
export interface StructuredOutputTarget extends ContractTarget {
  /** The JSON Schema the adapter sent natively (OpenAI `response_format`, Anthropic `output_config`, …). */
  nativeSchema(body: Record<string, unknown>): unknown;
  /** The fake server's scenario that makes the provider refuse (`refusal` on OpenAI, else `content-filter`). */
  refusalScenario: string;
  /** False for adapters whose models default to JSON mode (the OpenAI-compatible preset for local servers). */
  nativeByDefault?: boolean;
}

const Person = Type.Object({ name: Type.String(), age: Type.Integer() });
const answer = JSON.stringify(expected.json);
// Split where a naive reader would break: inside a key, inside a string, inside a number.
const chunks = ['{"na', 'me":"A', 'da","ag', 'e":3', '6}'];

/**
 * Structured output (`generateObject`/`streamObject` from core) through each adapter against its provider's fake
 * server: native mode, tool mode, JSON mode, an invalid answer repaired, a refusal, a stream cut mid-object.
 */
export function runStructuredOutputSuite(target: StructuredOutputTarget): void {
  const model = (scenario: string, key: string, options: Partial<ChatAdapterOptions> = {}) =>
    target.create(`${target.modelId}~${scenario}~${key}`, options);
  const native = target.nativeByDefault === false ? { capabilities: { structuredOutput: true } } : {};

  describe(`${target.name}: structured output`, () => {
    it('asks for the schema natively, streams partial objects and returns the validated object', async () => {
      const key = uniqueKey();
      await scriptFakeServer(target.serverUrl, key, [{ text: chunks }, { text: chunks }]);
      const generated = await generateObject({ model: model('scripted', key, native), schema: Person, prompt: 'Who?' });
      expect(generated.object).toEqual(expected.json);
      const result = streamObject({ model: model('scripted', key, native), schema: Person, prompt: 'Who?' });
      const partials: unknown[] = [];
      for await (const partial of result.partialObjectStream) partials.push(partial);
      expect(partials).toContainEqual({ name: 'A' });
      await expect(result.object).resolves.toEqual(expected.json);
      const log = await serverLog(target.serverUrl, key);
      for (const body of log.bodies) {
        expect(target.nativeSchema(body)).toMatchObject({ type: 'object', properties: { name: { type: 'string' } } });
      }
    });

    it('in tool mode forces one tool call and reads its arguments', async () => {
      const key = uniqueKey();
      await scriptFakeServer(target.serverUrl, key, [
        { toolCalls: [{ id: 'call_p', name: 'person', arguments: answer }] },
      ]);
      const { object } = await generateObject({
        model: model('scripted', key),
        schema: Person,
        prompt: 'Who?',
        mode: 'tool',
        schemaName: 'person',
      });
      expect(object).toEqual(expected.json);
      const [body] = (await serverLog(target.serverUrl, key)).bodies;
      expect(JSON.stringify(body)).toContain('"person"');
      expect(target.nativeSchema(body ?? {})).toBeUndefined();
    });

    it('on a model without native structured output uses JSON mode with the schema in the instructions', async () => {
      const key = uniqueKey();
      await scriptFakeServer(target.serverUrl, key, [{ text: ['Here it is:\n```json\n', answer, '\n```'] }]);
      const plain = model(
        'scripted',
        key,
        target.nativeByDefault === false ? {} : { capabilities: { structuredOutput: false } },
      );
      const { object } = await generateObject({ model: plain, schema: Person, prompt: 'Who?' });
      expect(object).toEqual(expected.json);
      const [body] = (await serverLog(target.serverUrl, key)).bodies;
      expect(JSON.stringify(body)).toContain('JSON Schema');
      expect(target.nativeSchema(body ?? {})).not.toMatchObject({ properties: { name: { type: 'string' } } });
    });

    it('feeds validation errors back once and returns the repaired object', async () => {
      const key = uniqueKey();
      await scriptFakeServer(target.serverUrl, key, [{ text: ['{"name":"Ada","age":"old"}'] }, { text: chunks }]);
      const result = await generateObject({ model: model('scripted', key, native), schema: Person, prompt: 'Who?' });
      expect(result).toMatchObject({ object: expected.json, attempts: 2 });
      const log = await serverLog(target.serverUrl, key);
      expect(log.requests).toBe(2);
      expect(JSON.stringify(log.bodies[1])).toContain('does not match the required schema');
    });

    it('reports a refusal as output-refused', async () => {
      const failure = await generateObject({
        model: model(target.refusalScenario, uniqueKey(), { retry: false }),
        schema: Person,
        prompt: 'Who?',
      }).catch((error: unknown) => error);
      expect(AgenticGenError.hasCode(failure, 'output-refused')).toBe(true);
      const streamed = streamObject({
        model: model(target.refusalScenario, uniqueKey(), { retry: false }),
        schema: Person,
        prompt: 'Who?',
      });
      await expect(streamed.object).rejects.toMatchObject({ code: 'output-refused' });
    });

    it('fails a stream cut mid-object with the network error', async () => {
      const result = streamObject({
        model: model('json-cut', uniqueKey(), { retry: false }),
        schema: Person,
        prompt: 'Who?',
      });
      const partials: unknown[] = [];
      const failure = await (async () => {
        for await (const partial of result.partialObjectStream) partials.push(partial);
      })().catch((error: unknown) => error);
      expect(AgenticGenError.hasCode(failure, 'network')).toBe(true);
      // Node's fetch hands over the bytes that arrived before the reset; Chromium's may drop them with the error.
      for (const partial of partials) expect([{}, { name: 'Ada' }]).toContainEqual(partial);
      await expect(result.object).rejects.toMatchObject({ code: 'network' });
    });
  });
}
