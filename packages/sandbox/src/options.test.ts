import { AgenticGenError } from '@agenticgen/core';
import { describe, expect, it } from 'vitest';
import { createTestSandbox } from './testing/test-sandbox.js';

function configError(run: () => unknown): AgenticGenError {
  try {
    run();
  } catch (error) {
    if (AgenticGenError.hasCode(error, 'invalid-config')) return error;
    throw error;
  }
  throw new Error('expected invalid-config');
}

describe('memory options', () => {
  it('refuses a pool whose workers together could exceed the memory budget, naming the numbers', () => {
    const error = configError(() =>
      createTestSandbox({ limits: { memoryLimitMb: 1024 }, pool: { max: 9, memoryBudgetMb: 8192 } }),
    );
    expect(error.message).toMatch(
      /pool\.max \(9\) × limits\.memoryLimitMb \(1024\) = 9216 MiB exceeds pool\.memoryBudgetMb \(8192\)/,
    );
    // Exactly at the budget is fine.
    expect(() =>
      createTestSandbox({ limits: { memoryLimitMb: 1024 }, pool: { max: 8, memoryBudgetMb: 8192 } }),
    ).not.toThrow();
  });

  it('refuses a worker memory limit too small for an interpreter', () => {
    expect(configError(() => createTestSandbox({ limits: { memoryLimitMb: 100 } })).message).toMatch(/at least 256/);
  });

  it('refuses fairness limits that are not counts', () => {
    expect(configError(() => createTestSandbox({ fairness: { maxSessionsPerOwner: 0 } })).message).toMatch(
      /maxSessionsPerOwner must be at least 1/,
    );
    expect(configError(() => createTestSandbox({ fairness: { maxQueuedPerSession: -1 } })).message).toMatch(
      /maxQueuedPerSession/,
    );
  });
});
