import { describe, expect, it } from 'vitest';
import type { AsyncResource } from '../contracts/async-resource.js';
import { disposeOnce } from '../resources/dispose-once.js';
import { checkAsyncResource } from './async-resource-checks.js';

function resource(release: () => Promise<void>): AsyncResource & { releases: number } {
  const state = {
    releases: 0,
    dispose: async () => {
      state.releases += 1;
      await release();
    },
    [Symbol.asyncDispose]: () => state.dispose(),
  };
  return state;
}

describe('checkAsyncResource', () => {
  it('passes an idempotent resource that `await using` releases', async () => {
    const made = resource(async () => undefined);
    const dispose = disposeOnce(made.dispose);
    const idempotent = { ...made, dispose, [Symbol.asyncDispose]: dispose };
    await checkAsyncResource(
      () => idempotent,
      () => expect(made.releases).toBe(1),
    );
  });

  it('fails a resource that releases again on a second dispose', async () => {
    const made = resource(async () => undefined);
    await expect(
      checkAsyncResource(
        () => made,
        () => expect(made.releases).toBe(1),
      ),
    ).rejects.toThrow();
  });
});
