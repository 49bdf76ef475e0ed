import { type TSchema, Type } from '@sinclair/typebox';
import { describe, expect, it } from 'vitest';
import { AgenticGenError } from '../errors/agenticgen-error.js';
import { compileSchema, formatIssues } from './validator.js';

const Order = Type.Object({
  id: Type.String({ minLength: 1 }),
  quantity: Type.Integer({ minimum: 1, default: 1 }),
  options: Type.Optional(
    Type.Object({ giftWrap: Type.Boolean({ default: false }), note: Type.Optional(Type.String()) }),
  ),
  tags: Type.Array(Type.String(), { default: [] }),
});

/** Runs `fn` while code generation is refused the way a strict Content-Security-Policy refuses it. */
function withoutCodeGeneration<T>(fn: () => T): T {
  const original = globalThis.Function;
  const refusing = function refused() {
    throw new EvalError("Refused to evaluate a string as JavaScript because 'unsafe-eval' is not allowed");
  } as unknown as FunctionConstructor;
  globalThis.Function = refusing;
  try {
    return fn();
  } finally {
    globalThis.Function = original;
  }
}

describe.each([
  ['compiled', (schema: TSchema) => compileSchema(schema)],
  ['interpreted (CSP fallback)', (schema: TSchema) => withoutCodeGeneration(() => compileSchema(schema))],
])('compileSchema, %s', (mode, compile) => {
  const validator = compile(Order);

  it('uses the expected mode', () => {
    expect(validator.mode).toBe(mode === 'compiled' ? 'compiled' : 'interpreted');
  });

  it('accepts valid input and applies defaults without mutating the input', () => {
    const input = { id: 'o-1', options: {} };
    const result = validator.validate(input);
    expect(result).toEqual({ ok: true, value: { id: 'o-1', quantity: 1, options: { giftWrap: false }, tags: [] } });
    expect(input).toEqual({ id: 'o-1', options: {} });
  });

  it('reports every issue with its JSON pointer path, the expectation and the received value', () => {
    const result = validator.validate({ id: '', quantity: 'two', options: { giftWrap: 'yes' }, tags: ['a', 3] });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const byPath = new Map(result.issues.map((issue) => [issue.path, issue]));
    expect(byPath.get('/id')).toMatchObject({ received: '' });
    expect(byPath.get('/id')?.expected).toMatch(/length/i);
    expect(byPath.get('/quantity')).toMatchObject({ received: 'two' });
    expect(byPath.get('/quantity')?.expected).toMatch(/integer/i);
    expect(byPath.get('/options/giftWrap')?.expected).toMatch(/boolean/i);
    expect(byPath.get('/tags/1')).toMatchObject({ received: 3 });
  });

  it('reports a missing required property and a wrong root type', () => {
    const missing = validator.validate({});
    expect(missing.ok).toBe(false);
    if (!missing.ok)
      expect(missing.issues).toContainEqual(expect.objectContaining({ path: '/id', received: undefined }));
    const root = validator.validate('not an object');
    expect(root).toMatchObject({ ok: false, issues: [{ path: '', received: 'not an object' }] });
  });

  it('parse throws one AgenticGenError listing the issues with scope, code and data', () => {
    let caught: unknown;
    try {
      validator.parse({ id: 'x', quantity: 0 }, { scope: 'orders', what: 'order', code: 'invalid-config' });
    } catch (error) {
      caught = error;
    }
    expect(AgenticGenError.hasCode(caught, 'invalid-config')).toBe(true);
    const error = caught as AgenticGenError;
    expect(error.message).toMatch(/^\[orders\] invalid order: at \/quantity: .*received 0/);
    expect(error.data?.issues).toEqual(
      expect.arrayContaining([expect.objectContaining({ path: '/quantity', received: 0 })]),
    );
    expect(validator.parse({ id: 'x' }, { scope: 'orders' })).toMatchObject({ quantity: 1 });
  });
});

describe('compileSchema details', () => {
  it('never generates code when asked for interpreted mode', () => {
    const validator = compileSchema(Type.Object({ a: Type.Number() }), { mode: 'interpreted' });
    expect(validator.mode).toBe('interpreted');
    expect(validator.validate({ a: 1 }).ok).toBe(true);
    expect(validator.validate({ a: '1' }).ok).toBe(false);
  });

  it('rejects something that is not a TypeBox schema with invalid-argument', () => {
    expect(() => compileSchema({ type: 'object', properties: { a: 'nope' } } as unknown as TSchema)).toThrowError(
      AgenticGenError,
    );
  });

  it('caps the number of issues and truncates large received values', () => {
    const validator = compileSchema(Type.Array(Type.Number()));
    const result = validator.validate(Array.from({ length: 100 }, () => 'x'));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.issues).toHaveLength(20);
    const long = compileSchema(Type.Object({ text: Type.Number() })).validate({ text: 'y'.repeat(1000) });
    if (!long.ok) expect(String(long.issues[0]?.received).length).toBeLessThanOrEqual(201);
  });

  it('formats issues for people and models', () => {
    expect(
      formatIssues([
        { path: '', expected: 'Expected object', received: undefined },
        { path: '/a', expected: 'Expected number', received: 'x' },
      ]),
    ).toBe('at (root): Expected object, received nothing; at /a: Expected number, received "x"');
  });
});

describe('compileSchema: missing properties', () => {
  it('reports a missing property once, as a required property', () => {
    const result = compileSchema(Type.Object({ name: Type.String(), age: Type.Number() })).validate({ age: 'x' });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues.filter((issue) => issue.path === '/name')).toEqual([
      { path: '/name', expected: 'Expected required property', received: undefined },
    ]);
    expect(result.issues.filter((issue) => issue.path === '/age')).toHaveLength(1);
  });
});

describe('compileSchema: inputs', () => {
  it('never mutates the input, with or without defaults', () => {
    const withDefaults = compileSchema(Type.Object({ a: Type.Number({ default: 1 }), b: Type.Array(Type.Number()) }));
    const input = { b: [1] };
    const result = withDefaults.validate(input);
    expect(result).toEqual({ ok: true, value: { a: 1, b: [1] } });
    expect(input).toEqual({ b: [1] });
    const plain = compileSchema(Type.Object({ b: Type.Array(Type.Number()) }));
    expect(plain.validate(input)).toEqual({ ok: true, value: { b: [1] } });
  });
});
