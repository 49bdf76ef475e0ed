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
 * The signal of a call no one can cancel: `executeTool` hands it to a tool with `enforcesLimits` that was called
 * without a signal (nothing can abort the call, and the tool enforces its time limit itself). One shared signal
 * that never aborts, instead of a controller per call. Code that passes a signal on to an API that listens to it
 * checks `isCancellable` first and passes none for this one, so no listeners pile up on the shared signal.
 */
export const uncancellableSignal: AbortSignal = new AbortController().signal;

/** False for `undefined` and for `uncancellableSignal`: signals that never abort, not worth a listener. */
export function isCancellable(signal: AbortSignal | undefined): signal is AbortSignal {
  return signal !== undefined && signal !== uncancellableSignal;
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
  return new SignalGuard(scope, signal, timeoutMs);
}

/**
 * The guard behind `combineSignals`, a class so that a call allocates one object and no closures beyond the
 * caller-signal listener and the timer callback, and those only when there is a caller signal or a timeout
 * (it sits on every tool call, model call and agent step).
 */
class SignalGuard {
  readonly signal: AbortSignal;
  readonly #controller = new AbortController();
  readonly #scope: string;
  readonly #caller: AbortSignal | undefined;
  #onCallerAbort: (() => void) | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #raceRejects: ((error: AgenticGenError) => void)[] | undefined;

  constructor(scope: string, caller: AbortSignal | undefined, timeoutMs: number | undefined) {
    this.signal = this.#controller.signal;
    this.#scope = scope;
    this.#caller = caller;
    if (caller?.aborted) this.#controller.abort(caller.reason);
    else if (isCancellable(caller)) {
      this.#onCallerAbort = () => this.#abort(caller.reason);
      caller.addEventListener('abort', this.#onCallerAbort, { once: true });
    }
    if (timeoutMs !== undefined && Number.isFinite(timeoutMs)) {
      this.#timer = setTimeout(() => {
        this.#abort(
          new AgenticGenError('timeout', `[${scope}] timed out after ${timeoutMs} ms`, { data: { timeoutMs } }),
        );
      }, timeoutMs);
    }
  }

  #abort(reason: unknown): void {
    if (this.signal.aborted) return;
    this.#controller.abort(reason);
    const rejects = this.#raceRejects;
    if (rejects === undefined) return;
    const error = abortErrorFrom(this.signal, this.#scope);
    for (const reject of rejects.splice(0)) reject(error);
  }

  race<T>(promise: Promise<T>): Promise<T> {
    if (this.signal.aborted) return Promise.reject(abortErrorFrom(this.signal, this.#scope));
    return new Promise<T>((resolve, reject) => {
      this.#raceRejects ??= [];
      this.#raceRejects.push(reject);
      promise.then(resolve, reject);
    });
  }

  dispose(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    if (this.#onCallerAbort !== undefined) this.#caller?.removeEventListener('abort', this.#onCallerAbort);
    if (this.#raceRejects !== undefined) this.#raceRejects.length = 0;
  }
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
  // A signal that never aborts gets no listener: on the shared `uncancellableSignal` they would pile up.
  if (signal === uncancellableSignal) return promise;
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
    if (isCancellable(signal)) signal.addEventListener('abort', onAbort, { once: true });
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
