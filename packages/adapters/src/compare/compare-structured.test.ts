import { Type } from '@agenticgen/core';
import { MockChatModel } from '@agenticgen/core/testing';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { compareModels } from './compare-models.js';

describe('compareModels with a schema', () => {
  it('asks every model for structured output and reports whether each answer is a valid object', async () => {
    const good = new MockChatModel({ modelId: 'good', responses: [{ object: { name: 'Ada', age: 36 } }] });
    const wrong = new MockChatModel({ modelId: 'wrong', responses: [{ object: { name: 'Ada', age: 'old' } }] });
    const prose = new MockChatModel({ modelId: 'prose', responses: ['Ada, 36 years old.'] });
    const comparison = await compareModels({
      models: { good, wrong, prose },
      prompt: 'Who?',
      schema: Type.Object({ name: Type.String(), age: Type.Integer() }),
    });
    expect(comparison.results.map((result) => result.validObject)).toEqual([true, false, false]);
    expect(comparison.results[1]?.objectIssues?.[0]).toMatchObject({ path: '/age' });
    expect(good.lastRequest?.responseFormat).toMatchObject({
      type: 'json',
      schema: { type: 'object', required: ['name', 'age'] },
    });
    const lines = comparison.toMarkdown().split('\n');
    expect(lines[0]).toContain('| Valid object |');
    expect(lines.slice(2).map((line) => line.split(' | ')[6])).toEqual(['yes', 'no', 'no']);
  });

  it('takes a Standard Schema', async () => {
    const model = new MockChatModel({ responses: [{ object: { ok: true } }] });
    const comparison = await compareModels({ models: [model], prompt: 'x', schema: z.object({ ok: z.boolean() }) });
    expect(comparison.results[0]?.validObject).toBe(true);
  });

  it('leaves the table as it was without a schema', async () => {
    const comparison = await compareModels({ models: [new MockChatModel({ responses: ['hi'] })], prompt: 'x' });
    expect(comparison.results[0]).not.toHaveProperty('validObject');
    expect(comparison.toMarkdown()).not.toContain('Valid object');
  });
});
