/**
 * The contract of a resumable UI stream store. A stream has one producer (the instance running the agent) that
 * appends SSE events in order, and any number of readers on any instance that replay from an index and then
 * follow live events until the stream finishes.
 */
export interface UIStreamDriver {
  /** Driver name for errors and logs (`memory`, `redis`). */
  readonly name: string;
  /**
   * Starts a stream under `streamId`, replacing a finished one. Rejects with `conflict` while a stream with that
   * id is still active.
   */
  create(streamId: string): Promise<void>;
  /** Appends events; `from` is the index of the first one (always the count appended so far). */
  append(streamId: string, from: number, events: readonly string[]): Promise<void>;
  /** Marks the stream finished: readers end after its last event. */
  finish(streamId: string): Promise<void>;
  /** `active`, `finished`, or `undefined` when the driver does not know the stream (never started or expired). */
  state(streamId: string): Promise<'active' | 'finished' | undefined>;
  /**
   * Events from index `from` on, then new ones as they are appended, until the stream finishes or `signal`
   * aborts. Yields them in batches (every event available at the time), so a long replay costs few round trips.
   */
  read(streamId: string, from: number, signal?: AbortSignal): AsyncIterable<readonly string[]>;
  /** Asks the producer of the stream, on whichever instance it runs, to stop. */
  cancel(streamId: string): Promise<void>;
  /** Calls `listener` when `cancel(streamId)` is called on any instance; resolves once listening. Returns an unsubscribe. */
  onCancel(streamId: string, listener: () => void): Promise<() => void>;
  /** Releases what the driver opened (never the clients it was given). */
  dispose?(): Promise<void>;
}
