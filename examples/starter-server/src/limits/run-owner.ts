import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * The token a piece of work runs for, carried through every await of a run (model calls, tools), so the
 * sandbox's fair queue can take runs in turn per token even when a chat's `run_python` tool asks for a worker.
 */
export const runOwner = new AsyncLocalStorage<string>();

/** Work started outside any signed-in request (queued runs from another instance, start-up). */
export const serverOwner = 'server';
