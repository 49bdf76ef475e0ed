import { compileSchema } from '@agenticgen/core';
import { describe, expect, it } from 'vitest';
import { jsonSchemaToTypeBox } from './json-schema-to-typebox.js';

const validate = (schema: unknown, value: unknown) => compileSchema(jsonSchemaToTypeBox(schema)).validate(value).ok;

describe('jsonSchemaToTypeBox', () => {
  it('checks types, required and optional properties, constraints, enums and nullable unions', () => {
    const schema = {
      type: 'object',
      properties: {
        name: { type: 'string', minLength: 2 },
        count: { type: 'integer', minimum: 0 },
        mode: { enum: ['fast', 'slow'] },
        tags: { type: 'array', items: { type: 'string' }, maxItems: 2 },
        note: { type: ['string', 'null'] },
      },
      required: ['name'],
      additionalProperties: false,
    };
    expect(validate(schema, { name: 'ab', count: 3, mode: 'fast', tags: ['x'], note: null })).toBe(true);
    expect(validate(schema, { name: 'a' })).toBe(false);
    expect(validate(schema, { name: 'ab', count: 1.5 })).toBe(false);
    expect(validate(schema, { name: 'ab', mode: 'medium' })).toBe(false);
    expect(validate(schema, { name: 'ab', tags: ['1', '2', '3'] })).toBe(false);
    expect(validate(schema, { name: 'ab', extra: 1 })).toBe(false);
    expect(validate(schema, {})).toBe(false);
  });

  it('loosens what it cannot check the JSON Schema way instead of refusing valid calls', () => {
    const schema = {
      type: 'object',
      properties: { when: { type: 'string', format: 'date-time' }, ref: { $ref: '#/$defs/x' } },
    };
    expect(validate(schema, { when: '2026-01-01T00:00:00Z', ref: { anything: true } })).toBe(true);
    expect(validate(schema, { when: 42 })).toBe(false);
  });

  it('refuses schemas nested deeper than the limit with mcp-limit-exceeded', () => {
    let schema: Record<string, unknown> = { type: 'string' };
    for (let level = 0; level < 40; level++) schema = { type: 'object', properties: { next: schema } };
    expect(() => jsonSchemaToTypeBox(schema)).toThrow(expect.objectContaining({ code: 'mcp-limit-exceeded' }));
    expect(() => jsonSchemaToTypeBox({ type: 'object', properties: { a: 'nope' } })).toThrow(
      expect.objectContaining({ code: 'mcp-invalid-tool' }),
    );
  });
});
