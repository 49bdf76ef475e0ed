import { Type } from '@sinclair/typebox';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import { AgenticGenError } from '../errors/agenticgen-error.js';
import { MockChatModel } from '../testing/mock-chat-model.js';
import { defineTool } from '../tools/define-tool.js';
import { createAgent } from './create-agent.js';

const Weather = Type.Object({ city: Type.String(), celsius: Type.Number(), summary: Type.String() });
const forecast = { city: 'Oslo', celsius: -3, summary: 'Snow' };

const lookup = defineTool({
  name: 'lookup',
  description: 'Reads the temperature of a city.',
  parameters: Type.Object({ city: Type.String() }),
  execute: ({ city }) => ({ city, celsius: -3 }),
});

describe('agents with a structured output', () => {
  it('run their tools first, then return a typed and validated output', async () => {
    const model = new MockChatModel({
      responses: [{ toolCalls: [{ toolName: 'lookup', input: { city: 'Oslo' } }] }, { object: forecast }],
    });
    const agent = createAgent({
      name: 'weather',
      instructions: 'Report the weather.',
      model,
      tools: [lookup],
      output: Weather,
    });
    const result = await agent.run('Weather in Oslo?');
    expectTypeOf(result.output).toEqualTypeOf<{ city: string; celsius: number; summary: string } | undefined>();
    expect(result.output).toEqual(forecast);
    expect(JSON.parse(result.text)).toEqual(forecast);
    expect(model.requests).toHaveLength(2);
    for (const request of model.requests) {
      expect(request.responseFormat).toMatchObject({ type: 'json', name: 'output', schema: { type: 'object' } });
      expect(request.tools?.map((tool) => tool.name)).toEqual(['lookup']);
    }
  });

  it('infer the output type from a Standard Schema', async () => {
    const model = new MockChatModel({ responses: [{ object: { answer: 42 } }] });
    const agent = createAgent({ name: 'z', instructions: 'x', model, output: z.object({ answer: z.number() }) });
    const result = await agent.run('?');
    expectTypeOf(result.output).toEqualTypeOf<{ answer: number } | undefined>();
    expect(result.output).toEqual({ answer: 42 });
  });

  it('feed validation errors back for one more step, then fail with invalid-output', async () => {
    const repaired = new MockChatModel({ responses: [{ object: { city: 'Oslo' } }, { object: forecast }] });
    const agent = createAgent({ name: 'weather', instructions: 'x', model: repaired, output: Weather });
    const result = await agent.run('?');
    expect(result.output).toEqual(forecast);
    expect(result.steps).toHaveLength(2);
    expect(String(repaired.requests[1]?.messages.at(-1)?.content)).toMatch(/celsius/);

    const hopeless = new MockChatModel({ responses: [{ object: { city: 'Oslo' } }], repeatLast: true });
    const failing = createAgent({
      name: 'weather',
      instructions: 'x',
      model: hopeless,
      output: Weather,
      maxOutputRepairs: 2,
    });
    const failure = await failing.run('?').catch((error: unknown) => error);
    expect(AgenticGenError.hasCode(failure, 'invalid-output')).toBe(true);
    expect(hopeless.calls).toHaveLength(3);
  });

  it('in tool mode end through a final_answer tool and keep no call without a result in the conversation', async () => {
    const model = new MockChatModel({
      responses: [
        { toolCalls: [{ toolName: 'lookup', input: { city: 'Oslo' } }] },
        { toolCalls: [{ toolName: 'final_answer', input: forecast }] },
      ],
    });
    const agent = createAgent({
      name: 'weather',
      instructions: 'x',
      model,
      tools: [lookup],
      output: Weather,
      outputMode: 'tool',
    });
    const result = await agent.run('?');
    expect(result.output).toEqual(forecast);
    expect(model.requests[0]?.toolChoice).toBe('required');
    expect(model.requests[0]?.tools?.map((tool) => tool.name)).toEqual(['lookup', 'final_answer']);
    expect(model.requests[0]?.responseFormat).toBeUndefined();
    expect(result.messages.at(-1)).toEqual({ role: 'assistant', content: JSON.stringify(forecast) });
  });

  it('ask for JSON in the instructions on a model without native structured output', async () => {
    const model = new MockChatModel({
      capabilities: { structuredOutput: false },
      responses: [{ text: JSON.stringify(forecast) }],
    });
    const agent = createAgent({ name: 'weather', instructions: 'Be brief.', model, output: Weather });
    expect((await agent.run('?')).output).toEqual(forecast);
    expect(model.lastRequest?.responseFormat).toEqual({ type: 'json' });
    expect(String(model.lastRequest?.messages[0]?.content)).toMatch(/^Be brief\.[\s\S]*JSON Schema/);
  });

  it('return the output after a suspended run is resumed', async () => {
    const approve = defineTool({
      name: 'book',
      description: 'Books a trip.',
      parameters: Type.Object({ city: Type.String() }),
      needsApproval: true,
      execute: ({ city }) => ({ booked: city }),
    });
    const Booking = Type.Object({ booked: Type.String() });
    const script = () => [
      { toolCalls: [{ toolName: 'book', input: { city: 'Oslo' }, toolCallId: 'b1' }] },
      { object: { booked: 'Oslo' } },
    ];
    const first = await createAgent({
      name: 'trips',
      instructions: 'x',
      model: new MockChatModel({ responses: script() }),
      tools: [approve],
      output: Booking,
    }).run('Book Oslo');
    expect(first.status).toBe('suspended');
    expect(first.output).toBeUndefined();
    const state = JSON.parse(JSON.stringify(first.state));
    const agent = createAgent({
      name: 'trips',
      instructions: 'x',
      model: new MockChatModel({ responses: script().slice(1) }),
      tools: [approve],
      output: Booking,
    });
    const resumed = await agent.resume(state, { b1: { approved: true } });
    expect(resumed.output).toEqual({ booked: 'Oslo' });
  });

  it('refuse an output schema that is not an object, at creation', () => {
    const model = new MockChatModel({ responses: [] });
    expect(() => createAgent({ name: 'x', instructions: 'x', model, output: Type.String() })).toThrow(
      expect.objectContaining({ code: 'invalid-argument' }),
    );
  });
});
