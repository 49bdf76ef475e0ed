import { toStandardJsonSchema } from '@valibot/to-json-schema';
import { type } from 'arktype';
import * as v from 'valibot';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import { AgenticGenError } from '../errors/agenticgen-error.js';
import { type TSchema, Type } from '../schema/index.js';
import { MockChatModel } from '../testing/mock-chat-model.js';
import { type GenerateObjectOptions, generateObject } from './generate-object.js';

const recipe = { name: 'Pancakes', servings: 4, steps: ['mix', 'fry'] };

const schemas = {
  typebox: Type.Object({
    name: Type.String(),
    servings: Type.Integer({ minimum: 1 }),
    steps: Type.Array(Type.String()),
  }),
  zod: z.object({ name: z.string(), servings: z.number().int().min(1), steps: z.array(z.string()) }),
  valibot: toStandardJsonSchema(
    v.object({
      name: v.string(),
      servings: v.pipe(v.number(), v.integer(), v.minValue(1)),
      steps: v.array(v.string()),
    }),
  ),
  arktype: type({ name: 'string', servings: 'number.integer >= 1', steps: 'string[]' }),
};

describe('generateObject', () => {
  it.each(Object.entries(schemas))(
    'returns a validated object from a %s schema, sending its JSON Schema natively',
    async (_, schema) => {
      const model = new MockChatModel({ responses: [{ object: recipe }] });
      const result = await generateObject({ model, schema, prompt: 'A recipe', schemaName: 'recipe' });
      expect(result.object).toEqual(recipe);
      expect(result.attempts).toBe(1);
      const format = model.lastRequest?.responseFormat;
      expect(format).toMatchObject({ type: 'json', name: 'recipe' });
      const sent = format?.type === 'json' ? format.schema : undefined;
      expect(sent).toMatchObject({ type: 'object', required: expect.arrayContaining(['name', 'servings', 'steps']) });
      expect(sent).not.toHaveProperty('$schema');
    },
  );

  it('infers the TypeScript type from TypeBox, zod, valibot and arktype schemas', async () => {
    const model = new MockChatModel({ responses: [{ object: recipe }], repeatLast: true });
    type Recipe = { name: string; servings: number; steps: string[] };
    expectTypeOf(
      (await generateObject({ model, schema: schemas.typebox, prompt: 'x' })).object,
    ).toEqualTypeOf<Recipe>();
    expectTypeOf((await generateObject({ model, schema: schemas.zod, prompt: 'x' })).object).toEqualTypeOf<Recipe>();
    expectTypeOf(
      (await generateObject({ model, schema: schemas.valibot, prompt: 'x' })).object,
    ).toEqualTypeOf<Recipe>();
    expectTypeOf(
      (await generateObject({ model, schema: schemas.arktype, prompt: 'x' })).object,
    ).toEqualTypeOf<Recipe>();
    const list = await generateObject({
      model: new MockChatModel({ responses: [{ object: { elements: [recipe] } }] }),
      schema: schemas.zod,
      output: 'array',
      prompt: 'x',
    });
    expectTypeOf(list.object).toEqualTypeOf<Recipe[]>();
    const mood = await generateObject({
      model: new MockChatModel({ responses: [{ object: { result: 'happy' } }] }),
      output: 'enum',
      enum: ['happy', 'sad'] as const,
      prompt: 'x',
    });
    expectTypeOf(mood.object).toEqualTypeOf<'happy' | 'sad'>();
    expect(mood.object).toBe('happy');
  });

  it.each(Object.entries(schemas))(
    'repairs an invalid %s answer once by feeding the issues back',
    async (_, schema) => {
      const usage = { inputTokens: 10, outputTokens: 5, totalTokens: 15 };
      const model = new MockChatModel({
        responses: [
          { object: { ...recipe, servings: 0 }, usage },
          { object: recipe, usage },
        ],
      });
      const result = await generateObject({ model, schema, prompt: 'A recipe' });
      expect(result.object).toEqual(recipe);
      expect(result.attempts).toBe(2);
      expect(result.usage).toEqual({ inputTokens: 20, outputTokens: 10, totalTokens: 30 });
      const repair = model.requests[1]?.messages.at(-1);
      expect(repair).toMatchObject({ role: 'user' });
      expect(String(repair?.content)).toMatch(/servings/);
    },
  );

  it('fails with invalid-output carrying the text, the issues and the usage after maxOutputRepairs', async () => {
    const model = new MockChatModel({ responses: [{ object: { name: 1 } }], repeatLast: true });
    const failure = await generateObject({ model, schema: schemas.zod, prompt: 'x', maxOutputRepairs: 2 }).catch(
      (error: unknown) => error,
    );
    expect(AgenticGenError.hasCode(failure, 'invalid-output')).toBe(true);
    const data = (failure as AgenticGenError).data as {
      text: string;
      issues: unknown[];
      usage: { totalTokens: number };
      attempts: number;
    };
    expect(data.attempts).toBe(3);
    expect(model.calls).toHaveLength(3);
    expect(data.text).toBe('{"name":1}');
    expect(data.issues.length).toBeGreaterThan(0);
    expect(data.usage.totalTokens).toBeGreaterThan(0);
  });

  it('accepts the deprecated maxRepairs as an alias of maxOutputRepairs, the new name winning', async () => {
    const attemptsWith = async (options: { maxRepairs?: number; maxOutputRepairs?: number }) => {
      const model = new MockChatModel({ responses: [{ object: { name: 1 } }], repeatLast: true });
      await generateObject({ model, schema: schemas.zod, prompt: 'x', ...options }).catch(() => undefined);
      return model.calls.length;
    };
    expect(await attemptsWith({ maxRepairs: 2 })).toBe(3);
    expect(await attemptsWith({ maxRepairs: 2, maxOutputRepairs: 0 })).toBe(1);
    expect(await attemptsWith({})).toBe(2);
  });

  it('reads null for an optional property as not given (OpenAI strict mode sends it that way)', async () => {
    const model = new MockChatModel({ responses: [{ object: { name: 'Ada', nick: null } }], repeatLast: true });
    const typebox = await generateObject({
      model,
      schema: Type.Object({ name: Type.String(), nick: Type.Optional(Type.String()) }),
      prompt: 'x',
      maxRepairs: 0,
    });
    expect(typebox.object).toEqual({ name: 'Ada' });
    const zod = await generateObject({
      model,
      schema: z.object({ name: z.string(), nick: z.string().optional() }),
      prompt: 'x',
      maxRepairs: 0,
    });
    expect(zod.object).toEqual({ name: 'Ada' });
  });

  it('does not repair an answer cut at the token limit, and says so', async () => {
    const model = new MockChatModel({ responses: [{ text: '{"name": "Pan', finishReason: 'length' }] });
    const failure = await generateObject({ model, schema: schemas.typebox, prompt: 'x' }).catch(
      (error: unknown) => error,
    );
    expect(AgenticGenError.hasCode(failure, 'invalid-output')).toBe(true);
    expect((failure as Error).message).toMatch(/maxOutputTokens/);
    expect(model.calls).toHaveLength(1);
  });

  it('bounds the text an invalid-output error carries', async () => {
    const huge = `{"name": "${'x'.repeat(100_000)}"}`;
    const model = new MockChatModel({ responses: [{ text: huge }] });
    const failure = (await generateObject({ model, schema: schemas.typebox, prompt: 'x', maxRepairs: 0 }).catch(
      (error: unknown) => error,
    )) as AgenticGenError;
    expect(failure.code).toBe('invalid-output');
    expect(failure.message.length).toBeLessThan(1_000);
    expect(JSON.stringify(failure.data).length).toBeLessThan(12_000);
  });

  it('reports a refusal as output-refused without repairing', async () => {
    const model = new MockChatModel({
      responses: [{ text: "I can't help with that.", finishReason: 'content-filter' }],
    });
    const failure = await generateObject({ model, schema: schemas.typebox, prompt: 'x' }).catch(
      (error: unknown) => error,
    );
    expect(AgenticGenError.hasCode(failure, 'output-refused')).toBe(true);
    expect(model.calls).toHaveLength(1);
  });

  it('tool mode forces one tool call whose arguments are the answer, and repairs through a tool result', async () => {
    const model = new MockChatModel({
      responses: [
        { toolCalls: [{ toolName: 'recipe', input: { name: 'x' } }] },
        { toolCalls: [{ toolName: 'recipe', input: recipe }] },
      ],
    });
    const result = await generateObject({
      model,
      schema: schemas.typebox,
      prompt: 'x',
      mode: 'tool',
      schemaName: 'recipe',
    });
    expect(result.object).toEqual(recipe);
    const first = model.requests[0];
    expect(first?.toolChoice).toEqual({ type: 'tool', toolName: 'recipe' });
    expect(first?.responseFormat).toBeUndefined();
    expect(model.requests[1]?.messages.at(-1)).toMatchObject({ role: 'tool', content: [{ isError: true }] });
  });

  it('falls back to JSON mode with the schema in the instructions on a model without native structured output', async () => {
    const model = new MockChatModel({
      capabilities: { structuredOutput: false },
      responses: [{ text: `Sure!\n\`\`\`json\n${JSON.stringify(recipe)}\n\`\`\`` }],
    });
    const result = await generateObject({ model, schema: schemas.typebox, prompt: 'x', system: 'Be a chef.' });
    expect(result.object).toEqual(recipe);
    expect(model.lastRequest?.responseFormat).toEqual({ type: 'json' });
    const system = model.lastRequest?.messages[0];
    expect(system?.role).toBe('system');
    expect(String(system?.content)).toMatch(/^Be a chef\.[\s\S]*JSON Schema[\s\S]*"servings"/);
  });

  it('array output wraps the element schema in an object and returns the elements', async () => {
    const model = new MockChatModel({ responses: [{ object: { elements: [recipe, recipe] } }] });
    const result = await generateObject({ model, schema: schemas.arktype, output: 'array', prompt: 'x' });
    expect(result.object).toEqual([recipe, recipe]);
    const format = model.lastRequest?.responseFormat;
    expect(format?.type === 'json' ? format.schema : undefined).toMatchObject({
      properties: { elements: { type: 'array' } },
    });
  });

  it('enum output rejects a value outside the list', async () => {
    const model = new MockChatModel({ responses: [{ object: { result: 'angry' } }] });
    const failure = await generateObject({
      model,
      output: 'enum',
      enum: ['happy', 'sad'],
      prompt: 'x',
      maxRepairs: 0,
    }).catch((error: unknown) => error);
    expect(AgenticGenError.hasCode(failure, 'invalid-output')).toBe(true);
  });

  it('names the library and the fix when a schema has no JSON Schema', async () => {
    const model = new MockChatModel({ responses: [{ object: recipe }] });
    const plainValibot = v.object({ name: v.string() });
    const failure = await generateObject({ model, schema: plainValibot, prompt: 'x' }).catch((error: unknown) => error);
    expect(AgenticGenError.hasCode(failure, 'unsupported')).toBe(true);
    expect((failure as Error).message).toMatch(/valibot.*toStandardJsonSchema/);
    const withOverride = await generateObject({
      model,
      schema: plainValibot,
      prompt: 'x',
      jsonSchema: { type: 'object', properties: { name: { type: 'string' } } },
    });
    // valibot's object drops unknown keys.
    expect(withOverride.object).toEqual({ name: 'Pancakes' });
    const zodDate = z.object({ when: z.date() });
    const dateFailure = await generateObject({ model, schema: zodDate, prompt: 'x' }).catch((error: unknown) => error);
    expect(AgenticGenError.hasCode(dateFailure, 'unsupported')).toBe(true);
    expect((dateFailure as Error).message).toMatch(/zod/);
  });

  it('refuses bad options with invalid-argument', async () => {
    const model = new MockChatModel({ responses: [] });
    const attempts: Array<GenerateObjectOptions<TSchema>> = [
      { model, schema: schemas.typebox },
      { model, schema: schemas.typebox, prompt: 'x', maxRepairs: -1 },
      { model, schema: schemas.typebox, prompt: 'x', maxOutputRepairs: 1.5 },
      { model, schema: schemas.typebox, prompt: 'x', mode: 'xml' as 'json' },
      { model, schema: Type.String(), prompt: 'x' },
      { model, schema: { type: 'object' } as never, prompt: 'x' },
    ];
    for (const options of attempts) {
      await expect(generateObject(options)).rejects.toMatchObject({ code: 'invalid-argument' });
    }
    expect(model.calls).toHaveLength(0);
  });
});
