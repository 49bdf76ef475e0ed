import { AgenticGenError } from './agenticgen-error.js';

/** The error to throw when `signal` aborted: its reason if that is already ours, else an `aborted` error. */
export function abortErrorFrom(signal: AbortSignal, scope: string): AgenticGenError {
  const reason: unknown = signal.reason;
  if (AgenticGenError.isInstance(reason)) return reason;
  return new AgenticGenError('aborted', `[${scope}] the operation was aborted`, { cause: reason });
}

/** Throws the abort error when `signal` is already aborted. */
export function throwIfAborted(signal: AbortSignal | undefined, scope: string): void {
  if (signal?.aborted) throw abortErrorFrom(signal, scope);
}

/**
 * Combines an optional caller signal with an optional timeout into one signal. The timeout aborts with an
 * AgenticGen `timeout` error, so callers can tell a timeout from a cancellation by the code.
 * `race(promise)` settles like `raceWithSignal(promise, signal)` but is rejected by the guard itself when it
 * aborts, without an `abort` listener per call (adding and removing one costs more than the rest of the guard).
 * `dispose()` clears the timer; call it when the guarded work ends.
 */
export function combineSignals(
  scope: string,
  signal: AbortSignal | undefined,
  timeoutMs: number | undefined,
): { signal: AbortSignal; race<T>(promise: Promise<T>): Promise<T>; dispose: () => void } {
  const controller = new AbortController();
  const raceRejects: ((error: AgenticGenError) => void)[] = [];
  const abort = (reason: unknown) => {
    if (controller.signal.aborted) return;
    controller.abort(reason);
    const error = abortErrorFrom(controller.signal, scope);
    for (const reject of raceRejects.splice(0)) reject(error);
  };
  const onAbort = () => abort(signal?.reason);
  if (signal?.aborted) controller.abort(signal.reason);
  else signal?.addEventListener('abort', onAbort, { once: true });
  let timer: ReturnType<typeof setTimeout> | undefined;
  if (timeoutMs !== undefined && Number.isFinite(timeoutMs)) {
    timer = setTimeout(() => {
      abort(new AgenticGenError('timeout', `[${scope}] timed out after ${timeoutMs} ms`, { data: { timeoutMs } }));
    }, timeoutMs);
  }
  return {
    signal: controller.signal,
    race<T>(promise: Promise<T>): Promise<T> {
      if (controller.signal.aborted) return Promise.reject(abortErrorFrom(controller.signal, scope));
      return new Promise<T>((resolve, reject) => {
        raceRejects.push(reject);
        promise.then(resolve, reject);
      });
    },
    dispose() {
      if (timer !== undefined) clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      raceRejects.length = 0;
    },
  };
}

/**
 * Settles like `promise`, except that `onAbort` runs when `signal` aborts first and may reject the result
 * early; the abort listener is removed once `promise` settles.
 */
function settleWithAbortListener<T>(
  promise: Promise<T>,
  signal: AbortSignal,
  onAbort: (reject: (error: unknown) => void) => void,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const listener = () => onAbort(reject);
    signal.addEventListener('abort', listener, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', listener);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', listener);
        reject(error);
      },
    );
  });
}

/** Resolves with `promise` or rejects as soon as `signal` aborts, whichever comes first. */
export function raceWithSignal<T>(promise: Promise<T>, signal: AbortSignal, scope: string): Promise<T> {
  if (signal.aborted) return Promise.reject(abortErrorFrom(signal, scope));
  return settleWithAbortListener(promise, signal, (reject) => reject(abortErrorFrom(signal, scope)));
}

/** Waits `ms` milliseconds; rejects with the abort error as soon as `signal` aborts (and clears the timer). */
export function delay(ms: number, signal?: AbortSignal, scope = 'core'): Promise<void> {
  if (signal?.aborted) return Promise.reject(abortErrorFrom(signal, scope));
  return new Promise<void>((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortErrorFrom(signal as AbortSignal, scope));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Runs queued work that `signal` may cancel only while it waits (for a lock, a worker, earlier writes).
 * `enqueue(start)` must call `start()` right before the work begins: an abort before then rejects at once with
 * the abort error and makes `start()` throw, so the work never runs; after it, the caller gets the work's own
 * outcome, so a batch is never reported as aborted yet applied, nor applied by half.
 */
export function abortableUntilStarted<T>(
  signal: AbortSignal | undefined,
  scope: string,
  enqueue: (start: () => void) => Promise<T>,
): Promise<T> {
  if (signal === undefined) return enqueue(() => undefined);
  if (signal.aborted) return Promise.reject(abortErrorFrom(signal, scope));
  let started = false;
  const run = enqueue(() => {
    throwIfAborted(signal, scope);
    started = true;
  });
  return settleWithAbortListener(run, signal, (reject) => {
    if (!started) reject(abortErrorFrom(signal, scope));
  });
}
