/**
 * Wraps a release function so every call shares the first call's promise: what makes `dispose()` and
 * `[Symbol.asyncDispose]()` idempotent without a flag in each resource.
 */
export function disposeOnce(release: () => Promise<void> | void): () => Promise<void> {
  let released: Promise<void> | undefined;
  return () => {
    released ??= (async () => release())();
    return released;
  };
}
