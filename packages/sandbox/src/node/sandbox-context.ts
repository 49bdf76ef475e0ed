/**
 * The worker's sandbox context and its garbage-collection hook, both made under one lock shared by the sandbox
 * process's workers. V8 flags are per process, not per worker: while one worker has `--expose-gc` set (to fetch
 * `gc` for itself), a context another worker creates gets a `gc` it cannot delete (the realm prelude's `delete`
 * then throws and that worker dies at start). Imports use `.ts` so Node runs the source directly in tests.
 */
import { setFlagsFromString } from 'node:v8';
import vm from 'node:vm';

/** The shared lock: word 0 is held (1) or free (0); word 1 counts the times a thread had to wait for it. */
export function createFlagLock(): Int32Array {
  return new Int32Array(new SharedArrayBuffer(8));
}

/** Runs `run` holding `lock` (blocking this thread while another holds it); without a lock, just runs it. */
export function underFlagLock<T>(lock: Int32Array | undefined, run: () => T): T {
  if (lock === undefined) return run();
  if (Atomics.compareExchange(lock, 0, 0, 1) !== 0) {
    Atomics.add(lock, 1, 1);
    Atomics.notify(lock, 1);
    while (Atomics.compareExchange(lock, 0, 0, 1) !== 0) Atomics.wait(lock, 0, 1, 100);
  }
  try {
    return run();
  } finally {
    Atomics.store(lock, 0, 0);
    Atomics.notify(lock, 0, 1);
  }
}

/** The context untrusted code runs in (see worker.ts for how it is used). */
export function createSandboxContext(lock: Int32Array | undefined): vm.Context {
  return underFlagLock(lock, () =>
    vm.createContext(vm.constants.DONT_CONTEXTIFY, {
      name: 'agenticgen-sandbox',
      codeGeneration: { strings: false, wasm: true },
      // The context's promise jobs wait in its own queue, run only when the worker drains it: while the
      // interpreter starts, never once it serves a session. A promise chain Python started during a run (an async
      // iterator, a thenable) therefore stays frozen after the run instead of running between runs.
      microtaskMode: 'afterEvaluate',
    }),
  );
}

/**
 * A full collection of this thread's heap. Node has no API for it without `--expose-gc`, so the flag is set just
 * long enough to fetch `gc` from a throwaway context of this realm, under the lock. A no-op where that fails.
 */
export function fetchCollectGarbage(lock: Int32Array | undefined): () => void {
  return underFlagLock(lock, () => {
    try {
      setFlagsFromString('--expose-gc');
      const gc = vm.runInNewContext('gc');
      return typeof gc === 'function' ? (gc as () => void) : () => {};
    } catch {
      return () => {};
    } finally {
      setFlagsFromString('--no-expose-gc');
    }
  });
}
