import { type } from 'arktype';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import { defineTool } from './define-tool.js';
import { executeTool } from './execute-tool.js';

describe('defineTool with a Standard Schema', () => {
  it('types the arguments from a zod schema, sends its JSON Schema and validates before execute', async () => {
    const calls: unknown[] = [];
    const tool = defineTool({
      name: 'book',
      description: 'Books a table.',
      parameters: z.object({ guests: z.number().int().min(1), name: z.string().optional() }),
      execute: (args) => {
        expectTypeOf(args).toEqualTypeOf<{ guests: number; name?: string | undefined }>();
        calls.push(args);
        return 'booked';
      },
    });
    expect(tool.toSpec().parameters).toMatchObject({
      type: 'object',
      properties: { guests: { type: 'integer' } },
      required: ['guests'],
    });
    expect(tool.toSpec('openai-strict').parameters).toMatchObject({
      additionalProperties: false,
      required: ['guests', 'name'],
    });
    const invalid = await executeTool(tool, { guests: 0 }, { toolCallId: 'c1' });
    expect(invalid).toMatchObject({
      ok: false,
      error: { code: 'tool-invalid-arguments', issues: [{ path: '/guests' }] },
    });
    // OpenAI strict mode sends null for an optional property it had to make required.
    const ok = await executeTool(tool, '{"guests": 2, "name": null}', { toolCallId: 'c2' });
    expect(ok).toMatchObject({ ok: true, output: 'booked' });
    expect(calls).toEqual([{ guests: 2 }]);
  });

  it('awaits an asynchronous Standard Schema validator', async () => {
    const tool = defineTool({
      name: 'check',
      description: 'x',
      parameters: z.object({ code: z.string().refine(async (code) => code === 'ok', 'code must be ok') }),
      execute: ({ code }) => code,
    });
    expect(await executeTool(tool, { code: 'no' }, { toolCallId: 'c' })).toMatchObject({
      ok: false,
      error: { issues: [{ expected: 'code must be ok' }] },
    });
    expect(await executeTool(tool, { code: 'ok' }, { toolCallId: 'c' })).toMatchObject({ ok: true, output: 'ok' });
  });

  it('accepts arktype and refuses non-object parameters', () => {
    const tool = defineTool({
      name: 'a',
      description: 'x',
      parameters: type({ n: 'number' }),
      execute: ({ n }) => n * 2,
    });
    expect(tool.jsonSchema).toMatchObject({ type: 'object', required: ['n'] });
    expect(() => defineTool({ name: 'b', description: 'x', parameters: z.string(), execute: () => 1 })).toThrow(
      expect.objectContaining({ code: 'invalid-argument' }),
    );
  });
});
