import { raceWithSignal } from '@agenticgen/core';

/** One load of a key in progress, shared by every caller asking for the key meanwhile. */
export interface Flight {
  promise: Promise<unknown>;
  /** Set by a set/delete/invalidation of the key while the flight runs: its result must not be cached. */
  invalidated: boolean;
  /** The signal of the caller that started the load (handed to the loader). */
  signal: AbortSignal | undefined;
}

/** At most one load per key: callers that ask while it runs share its result instead of calling the loader again. */
export class SingleFlight {
  readonly #flights = new Map<string, Flight>();

  get size(): number {
    return this.#flights.size;
  }

  has(key: string): boolean {
    return this.#flights.has(key);
  }

  /**
   * The key's flight in progress, else a new one running `run`; it leaves the table when it settles, before
   * `afterSettled` runs (so that can start the next flight of the key).
   */
  start(
    key: string,
    signal: AbortSignal | undefined,
    run: (flight: Flight) => Promise<unknown>,
    afterSettled?: () => void,
  ): Flight {
    const existing = this.#flights.get(key);
    if (existing !== undefined) return existing;
    const flight: Flight = { promise: Promise.resolve(), invalidated: false, signal };
    flight.promise = (async () => {
      try {
        return await run(flight);
      } finally {
        if (this.#flights.get(key) === flight) this.#flights.delete(key);
        afterSettled?.();
      }
    })();
    this.#flights.set(key, flight);
    return flight;
  }

  /**
   * Waits for the flight `start` returns (joining or starting one). The caller's signal ends only its own wait;
   * when the caller that started the load cancels it, the others did not ask for that and join one new load.
   */
  async join(signal: AbortSignal | undefined, start: () => Flight): Promise<unknown> {
    for (;;) {
      const flight = start();
      try {
        return await (signal === undefined ? flight.promise : raceWithSignal(flight.promise, signal, 'cache getOrSet'));
      } catch (error) {
        // Ends: each retry follows a load whose starter aborted, and a starter that aborted never starts another.
        if (flight.signal?.aborted !== true || flight.signal === signal || signal?.aborted === true) throw error;
      }
    }
  }

  /** A write to `key` happened: the flight in progress must not cache its (older) result. */
  invalidate(key: string): void {
    const flight = this.#flights.get(key);
    if (flight !== undefined) flight.invalidated = true;
  }

  invalidateAll(): void {
    for (const flight of this.#flights.values()) flight.invalidated = true;
  }
}
