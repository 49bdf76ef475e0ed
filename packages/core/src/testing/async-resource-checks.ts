import type { AsyncResource } from '../contracts/async-resource.js';

/**
 * Checks the `AsyncResource` contract on a fresh resource: `await using` releases it at the end of the scope
 * (`expectReleased` must then pass), and `dispose()` / `Symbol.asyncDispose` called again resolve without
 * releasing twice (`expectReleased` still passes). Throws an `Error` naming the broken rule; usable from any
 * test runner, so a resource written outside the repo runs the same checks.
 */
export async function checkAsyncResource<R extends AsyncResource>(
  create: () => R | Promise<R>,
  expectReleased: (resource: R) => void | Promise<void>,
): Promise<void> {
  let captured: R | undefined;
  {
    await using resource = await create();
    captured = resource;
    if (typeof resource.dispose !== 'function') throw new Error('the resource has no dispose()');
  }
  const resource = captured as R;
  await expectReleased(resource);
  const again = [resource.dispose(), resource[Symbol.asyncDispose](), resource.dispose()];
  if (!again.every((result) => result instanceof Promise)) throw new Error('dispose() must return a promise');
  await Promise.all(again);
  await expectReleased(resource);
}
