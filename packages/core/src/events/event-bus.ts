import { EventEmitter } from 'eventemitter3';
import { AgenticGenError } from '../errors/agenticgen-error.js';

/**
 * A map from event name (noun-verb kebab-case, e.g. `tool-call-start`) to the payload type of that event.
 * Each event carries exactly one payload object, so listeners can destructure and events can grow fields.
 */
export type EventMap = object;

/** Payload of the `error` event every bus has: a listener of another event failed. */
export interface ListenerErrorEvent {
  /** The event whose listener threw or rejected. */
  event: string;
  /** The failure, wrapped as an `AgenticGenError` with code `listener-failed` (the original is its `cause`). */
  error: AgenticGenError;
  /** The payload the failing listener received. */
  payload: unknown;
}

/** The events a bus emits: the ones you declare plus `error` for failing listeners. */
export type EventsWithError<E extends EventMap> = E & { error: ListenerErrorEvent };

/** A listener; it may be async, a rejected promise is reported like a throw. Its return value is ignored. */
export type EventListener<P> = (payload: P) => unknown;

/** Names of the events in `E` (string keys only). */
export type EventName<E extends EventMap> = keyof E & string;

/**
 * A typed event bus. Emitting is synchronous and never throws because of a listener: a listener that throws
 * (or returns a rejected promise) is reported as an `error` event, and the remaining listeners still run.
 */
export interface EventBus<E extends EventMap> {
  /** Adds a listener; returns a function that removes it. */
  on<K extends EventName<EventsWithError<E>>>(event: K, listener: EventListener<EventsWithError<E>[K]>): () => void;
  /** Adds a listener that runs for the next emission only; returns a function that removes it. */
  once<K extends EventName<EventsWithError<E>>>(event: K, listener: EventListener<EventsWithError<E>[K]>): () => void;
  /** Removes one registration of `listener` (the most recent one); a no-op when it is not registered. */
  off<K extends EventName<EventsWithError<E>>>(event: K, listener: EventListener<EventsWithError<E>[K]>): void;
  /** Calls every listener of `event` in registration order; returns whether there was any listener. */
  emit<K extends EventName<E>>(event: K, payload: E[K]): boolean;
  /** Whether `event` has listeners; lets emitters skip building costly payloads. */
  hasListeners(event: EventName<EventsWithError<E>>): boolean;
  /** Number of listeners of `event`. */
  listenerCount(event: EventName<EventsWithError<E>>): number;
  /** Removes every listener, or those of one event. */
  removeAllListeners(event?: EventName<EventsWithError<E>>): void;
}

export interface EventBusOptions {
  /**
   * Where failures go when nobody listens to `error` (or an `error` listener fails itself).
   * Default: `console.error`. Never throws into the emitter.
   */
  onUnhandledError?: (error: AgenticGenError, event: string) => void;
}

type Listener = (payload: unknown) => unknown;
type Wrapper = (payload: unknown) => void;

/**
 * Creates a typed event bus on eventemitter3. Every listener is wrapped at registration so one failing
 * listener cannot stop the others, break the emitter or escape into the code that emitted.
 */
export function createEventBus<E extends EventMap>(options: EventBusOptions = {}): EventBus<E> {
  const emitter = new EventEmitter();
  // listener → wrappers per event, so `off` with the user's function finds what eventemitter3 holds.
  const wrappers = new Map<string, Map<Listener, Wrapper[]>>();
  const unhandled =
    options.onUnhandledError ??
    ((error: AgenticGenError, event: string) => {
      console.error(`[events] a listener of "${event}" failed and nobody listens to "error":`, error);
    });

  const report = (event: string, thrown: unknown, payload: unknown) => {
    const error =
      AgenticGenError.isInstance(thrown) && thrown.code === 'listener-failed'
        ? thrown
        : new AgenticGenError(
            'listener-failed',
            `[events] a listener of "${event}" failed: ${thrown instanceof Error ? thrown.message : String(thrown)}; catch errors inside the listener`,
            { cause: thrown, data: { event } },
          );
    // A failing `error` listener (or none at all) must not recurse into `error` again.
    if (event === 'error' || emitter.listenerCount('error') === 0) {
      safeCall(() => unhandled(error, event));
      return;
    }
    emitter.emit('error', { event, error, payload } satisfies ListenerErrorEvent);
  };

  const forget = (event: string, listener: Listener, wrapper: Wrapper) => {
    const list = wrappers.get(event)?.get(listener);
    if (list === undefined) return;
    const index = list.lastIndexOf(wrapper);
    if (index !== -1) list.splice(index, 1);
    if (list.length === 0) wrappers.get(event)?.delete(listener);
  };

  const add = (event: string, listener: Listener, once: boolean): (() => void) => {
    if (typeof listener !== 'function') {
      throw new AgenticGenError('invalid-argument', `[events] the listener of "${event}" must be a function`);
    }
    const wrapper: Wrapper = (payload) => {
      if (once) remove();
      try {
        const result = listener(payload);
        if (isPromiseLike(result)) result.then(undefined, (thrown: unknown) => report(event, thrown, payload));
      } catch (thrown) {
        report(event, thrown, payload);
      }
    };
    let removed = false;
    const remove = () => {
      if (removed) return;
      removed = true;
      emitter.off(event, wrapper);
      forget(event, listener, wrapper);
    };
    let byListener = wrappers.get(event);
    if (byListener === undefined) {
      byListener = new Map();
      wrappers.set(event, byListener);
    }
    byListener.set(listener, [...(byListener.get(listener) ?? []), wrapper]);
    emitter.on(event, wrapper);
    return remove;
  };

  return {
    on: (event, listener) => add(event, listener as Listener, false),
    once: (event, listener) => add(event, listener as Listener, true),
    off(event, listener) {
      const list = wrappers.get(event)?.get(listener as Listener);
      const wrapper = list?.[list.length - 1];
      if (wrapper === undefined) return;
      emitter.off(event, wrapper);
      forget(event, listener as Listener, wrapper);
    },
    emit(event, payload) {
      return emitter.emit(event, payload);
    },
    hasListeners: (event) => emitter.listenerCount(event) > 0,
    listenerCount: (event) => emitter.listenerCount(event),
    removeAllListeners(event) {
      if (event === undefined) {
        emitter.removeAllListeners();
        wrappers.clear();
      } else {
        emitter.removeAllListeners(event);
        wrappers.delete(event);
      }
    },
  };
}

function safeCall(fn: () => void): void {
  try {
    fn();
  } catch {
    // The last resort reporter failed too; swallowing keeps the emitter alive, which matters more.
  }
}

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as { then?: unknown } | null | undefined)?.then === 'function';
}
