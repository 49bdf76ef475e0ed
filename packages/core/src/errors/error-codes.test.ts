import { describe, expect, it } from 'vitest';
import { AgenticGenError, createErrorFactory } from './agenticgen-error.js';
import { type CoreErrorCode, coreErrorCodes } from './error-codes.js';

describe('declared error codes', () => {
  it('gives every core code the retryability its table declares, also after a worker round trip', () => {
    for (const [code, info] of Object.entries(coreErrorCodes) as [CoreErrorCode, { retryable: boolean }][]) {
      const error = new AgenticGenError(code, `[test] ${code}`);
      expect(error.retryable, code).toBe(info.retryable);
      expect(AgenticGenError.fromJSON(structuredClone(error.toJSON())).retryable, code).toBe(info.retryable);
    }
  });

  it('declares the codes core throws beyond the shared ones (orchestration, tool refusals, filters)', () => {
    for (const code of [
      'task-failed',
      'dependency-failed',
      'deadline-exceeded',
      'tool-denied',
      'tool-rejected',
      'invalid-filter',
    ]) {
      expect(Object.hasOwn(coreErrorCodes, code), code).toBe(true);
    }
  });

  it("builds a package helper that prefixes the scope and defaults retryable from the package's table", () => {
    const table = {
      timeout: { retryable: true, meaning: 'slow' },
      'invalid-argument': { retryable: false, meaning: 'bad' },
    } as const;
    const scoped = createErrorFactory('demo', table);
    const slow = scoped('timeout', 'took too long', { data: { ms: 5 } });
    expect(AgenticGenError.isInstance(slow)).toBe(true);
    expect(slow.message).toBe('[demo] took too long');
    expect(slow.retryable).toBe(true);
    expect(slow.data).toEqual({ ms: 5 });
    expect(scoped('invalid-argument', 'x').retryable).toBe(false);
    expect(scoped('timeout', 'x', { retryable: false }).retryable).toBe(false);
    // @ts-expect-error a helper accepts only its own table's codes
    expect(scoped('rate-limit', 'x').retryable).toBe(true);
  });

  it('rejects an undeclared code at compile time', () => {
    // @ts-expect-error `ErrorCode` is the union of declared codes, not any string
    const error = new AgenticGenError('no-such-code', '[test] undeclared');
    expect(error.retryable).toBe(false);
    // @ts-expect-error hasCode only takes declared codes
    expect(AgenticGenError.hasCode(error, 'no-such-code')).toBe(true);
  });
});
