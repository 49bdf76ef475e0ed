/**
 * The one shape of everything a caller must release (cache stores and drivers, vector stores, sandboxes and
 * sessions, runtimes, model managers, store drivers, MCP clients, queues): `dispose()` returns a promise and
 * `await using resource = …` releases it at the end of the scope.
 */
export interface AsyncResource extends AsyncDisposable {
  /**
   * Releases what the resource holds (workers, sockets, files, timers). Idempotent: a second call, also through
   * `Symbol.asyncDispose`, resolves once the first has finished and never releases twice. Operations that need
   * what was released reject afterwards with a `disposed` error.
   */
  dispose(): Promise<void>;
}
