/**
 * `Symbol.asyncDispose` and `AsyncDisposable` for projects whose `lib` predates them: TypeScript declares them in
 * `esnext.disposable` (and @types/node its own copy), so without these declarations our types would need that lib.
 * They are the same declarations, so they merge with either. The runtime value comes from the JavaScript engine.
 */
declare global {
  interface SymbolConstructor {
    /** The method `await using` calls to release a resource. */
    readonly asyncDispose: unique symbol;
  }

  /** A resource that `await using` (or an explicit call) releases asynchronously. */
  interface AsyncDisposable {
    [Symbol.asyncDispose](): PromiseLike<void>;
  }
}

export {};
