import { describe, expect, it } from 'vitest';
import { AgenticGenError } from './agenticgen-error.js';

describe('AgenticGenError', () => {
  it('survives structured clone across a worker boundary as plain data', () => {
    const cause = new AgenticGenError('network', '[adapters] socket closed');
    const error = new AgenticGenError('rate-limit', '[adapters] slow down', { cause, data: { retryAfterMs: 2000 } });
    const cloned = structuredClone(error.toJSON());
    const rebuilt = AgenticGenError.fromJSON(cloned);
    expect(AgenticGenError.isInstance(rebuilt)).toBe(true);
    expect(rebuilt.code).toBe('rate-limit');
    expect(rebuilt.retryable).toBe(true);
    expect(rebuilt.data).toEqual({ retryAfterMs: 2000 });
    expect(AgenticGenError.hasCode(rebuilt.cause, 'network')).toBe(true);
  });

  it('is recognised by marker, not by class identity (duplicate installs)', () => {
    const foreign = Object.assign(new Error('x'), { [Symbol.for('agenticgen.error')]: true, code: 'timeout' });
    expect(AgenticGenError.isInstance(foreign)).toBe(true);
    expect(AgenticGenError.isInstance(new Error('plain'))).toBe(false);
    expect(AgenticGenError.isInstance(null)).toBe(false);
  });

  it('rejects input that is not a serialized error with a clear code', () => {
    const rebuilt = AgenticGenError.fromJSON({ nope: true } as never);
    expect(rebuilt.code).toBe('invalid-argument');
  });
});
