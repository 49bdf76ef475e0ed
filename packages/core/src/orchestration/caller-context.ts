import { context } from '@opentelemetry/api';

/**
 * The seam between the scheduler and the runtime's async context. A task may start much later than it was
 * scheduled — from another task's completion, a retry timer or `resume()` — and must still run where its
 * caller was: in Node the caller's AsyncLocalStorage values (every store, including OpenTelemetry's context
 * manager), in any runtime the caller's active OpenTelemetry context (for context managers that do not follow
 * async calls, such as the browser SDK's stack manager).
 */

/** Runs `fn` in the captured context and returns what it returns. */
export type RunInCallerContext = <T>(fn: () => T) => T;

interface AsyncResourceLike {
  runInAsyncScope<T>(fn: () => T): T;
}
type AsyncHooks = { AsyncResource: new (type: string) => AsyncResourceLike };

// Looked up, not imported: core ships one build for Node and browsers, and browsers have no async_hooks.
// `process.getBuiltinModule` exists from Node 20.16 / 22.3; Deno and Bun provide it too.
const asyncHooks = (
  globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }
).process?.getBuiltinModule?.('node:async_hooks') as AsyncHooks | undefined;

/** Captures the caller's async context now; the returned function runs code inside it later. */
export function captureCallerContext(): RunInCallerContext {
  const telemetry = context.active();
  const inTelemetry: RunInCallerContext = (fn) => context.with(telemetry, fn);
  if (asyncHooks === undefined) return inTelemetry;
  // One AsyncResource per task snapshots every AsyncLocalStorage store of the caller (as p-queue does).
  const resource = new asyncHooks.AsyncResource('AgenticGenTask');
  return (fn) => resource.runInAsyncScope(() => inTelemetry(fn));
}
