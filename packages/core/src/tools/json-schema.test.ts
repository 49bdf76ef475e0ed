import { Type } from '@sinclair/typebox';
import { describe, expect, it } from 'vitest';
import type { JsonSchema } from '../contracts/chat-model.js';
import { AgenticGenError } from '../errors/agenticgen-error.js';
import { defineTool } from './define-tool.js';
import { type JsonSchemaFlavour, toJsonSchema } from './json-schema.js';

const Search = Type.Object({
  query: Type.String({ minLength: 1, maxLength: 200, description: 'What to look for' }),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 50, default: 10 })),
  sort: Type.Optional(Type.Union([Type.Literal('relevance'), Type.Literal('date')])),
  filters: Type.Optional(
    Type.Object({
      language: Type.String({ pattern: '^[a-z]{2}$' }),
      since: Type.Optional(Type.String({ format: 'date' })),
    }),
  ),
  tags: Type.Array(Type.String(), { uniqueItems: true, maxItems: 5 }),
  mode: Type.Literal('fast'),
  cursor: Type.Union([Type.String(), Type.Null()]),
});

/**
 * Checks a schema against the OpenAI structured-outputs rules for strict mode: root object; every object has
 * `additionalProperties: false` and lists every property in `required`; only supported keywords appear;
 * `oneOf`, `allOf`, `const`, `default` never appear; every node has a type, an enum, an anyOf or a $ref.
 */
function assertOpenAiStrict(schema: JsonSchema, path = ''): void {
  const allowed = new Set([
    'type',
    'properties',
    'required',
    'additionalProperties',
    'items',
    'enum',
    'anyOf',
    'description',
    'title',
    '$defs',
    '$ref',
    'pattern',
    'format',
    'multipleOf',
    'minimum',
    'maximum',
    'exclusiveMinimum',
    'exclusiveMaximum',
    'minItems',
    'maxItems',
  ]);
  for (const key of Object.keys(schema)) expect(allowed.has(key), `${path}: keyword "${key}"`).toBe(true);
  expect(
    schema.type !== undefined || schema.enum !== undefined || schema.anyOf !== undefined || schema.$ref !== undefined,
    `${path}: has no type`,
  ).toBe(true);
  const types = Array.isArray(schema.type) ? schema.type : [schema.type];
  if (types.includes('object')) {
    expect(schema.additionalProperties, `${path}: additionalProperties`).toBe(false);
    expect(schema.required, `${path}: required`).toEqual(Object.keys(schema.properties as object));
    for (const [key, child] of Object.entries(schema.properties as Record<string, JsonSchema>)) {
      assertOpenAiStrict(child, `${path}/${key}`);
    }
  }
  if (schema.items !== undefined) assertOpenAiStrict(schema.items as JsonSchema, `${path}/items`);
  for (const [index, child] of ((schema.anyOf as JsonSchema[] | undefined) ?? []).entries()) {
    assertOpenAiStrict(child, `${path}/anyOf/${index}`);
  }
}

describe('toJsonSchema: json-schema', () => {
  it('is plain JSON Schema data without TypeBox symbols, and a fresh copy', () => {
    const schema = toJsonSchema(Search);
    expect(Object.getOwnPropertySymbols(schema)).toEqual([]);
    expect(schema.required).toEqual(['query', 'tags', 'mode', 'cursor']);
    expect((schema.properties as Record<string, JsonSchema>).limit).toEqual({
      type: 'integer',
      minimum: 1,
      maximum: 50,
      default: 10,
    });
    (schema.properties as Record<string, JsonSchema>).query = {};
    expect(Search.properties.query.type).toBe('string');
  });
});

describe('toJsonSchema: openai-strict', () => {
  const strict = toJsonSchema(Search, 'openai-strict');
  const properties = strict.properties as Record<string, JsonSchema>;

  it('follows the OpenAI strict rules everywhere', () => {
    assertOpenAiStrict(strict);
    expect(strict.type).toBe('object');
  });

  it('makes optional properties required but nullable, keeping required ones as they are', () => {
    expect(properties.query).toEqual({ type: 'string', description: 'What to look for' });
    expect(properties.limit).toEqual({ type: ['integer', 'null'], minimum: 1, maximum: 50 });
    expect(properties.sort).toEqual({ type: ['string', 'null'], enum: ['relevance', 'date', null] });
    expect(properties.filters).toEqual({
      anyOf: [
        {
          type: 'object',
          properties: {
            language: { type: 'string', pattern: '^[a-z]{2}$' },
            since: { type: ['string', 'null'], format: 'date' },
          },
          required: ['language', 'since'],
          additionalProperties: false,
        },
        { type: 'null' },
      ],
    });
    // Already nullable: not wrapped again.
    expect(properties.cursor).toEqual({ anyOf: [{ type: 'string' }, { type: 'null' }] });
  });

  it('turns const into enum and drops unsupported constraints (our validator still enforces them)', () => {
    expect(properties.mode).toEqual({ type: 'string', enum: ['fast'] });
    expect(properties.tags).toEqual({ type: 'array', items: { type: 'string' }, maxItems: 5 });
  });

  it('merges an intersection of objects and converts oneOf to anyOf', () => {
    const merged = toJsonSchema(
      Type.Object({
        person: Type.Intersect([
          Type.Object({ name: Type.String() }),
          Type.Object({ age: Type.Optional(Type.Number()) }),
        ]),
        choice: { oneOf: [{ type: 'string' }, { type: 'number' }] } as never,
      }),
      'openai-strict',
    );
    assertOpenAiStrict(merged);
    const mergedProperties = merged.properties as Record<string, JsonSchema>;
    expect(mergedProperties.person).toMatchObject({ required: ['name', 'age'], additionalProperties: false });
    expect(mergedProperties.choice).toEqual({ anyOf: [{ type: 'string' }, { type: 'number' }] });
  });

  it('refuses what strict mode cannot enforce with an unsupported error naming the path', () => {
    const cases: Array<[JsonSchema, RegExp]> = [
      [Type.Object({ scores: Type.Record(Type.String(), Type.Number()) }), /\/scores.*patternProperties/],
      [Type.Object({ anything: Type.Unknown() }), /\/anything.*needs a type/],
      [Type.Object({ x: Type.Not(Type.String()) }), /\/x.*"not"/],
      [Type.String(), /root must be an object/],
    ];
    for (const [schema, message] of cases) {
      let caught: unknown;
      try {
        toJsonSchema(schema, 'openai-strict');
      } catch (error) {
        caught = error;
      }
      expect(AgenticGenError.hasCode(caught, 'unsupported'), String(message)).toBe(true);
      expect((caught as Error).message).toMatch(message);
      expect((caught as Error).message).toContain('strict: false');
    }
  });

  it('is what a strict tool spec carries', () => {
    const tool = defineTool({
      name: 'search',
      description: 'Search',
      parameters: Search,
      strict: true,
      execute: () => 1,
    });
    const spec = tool.toSpec();
    expect(spec.strict).toBe(true);
    expect(spec.parameters).toEqual(strict);
    expect(tool.toSpec('json-schema').parameters).toEqual(toJsonSchema(Search));
  });
});

describe('toJsonSchema: provider-specific flavours', () => {
  it('has none for Gemini, which takes plain JSON Schema: an unknown flavour is an invalid-argument error', () => {
    expect(() => toJsonSchema(Search, 'gemini' as JsonSchemaFlavour)).toThrowError(/unknown JSON Schema flavour/);
  });
});
