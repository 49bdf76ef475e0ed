/**
 * What every operation of the store contracts (`ThreadStore`, `RunStore`, `WorkingMemoryStore`) takes last.
 */

/** Per-call options of a store operation. */
export interface StoreCallOptions {
  /**
   * Cancels the call. Already aborted: the call rejects with `aborted` and reads or writes nothing. Aborted while
   * the call waits to start (for a pool connection, a lock, a transaction or statements queued before it): it
   * rejects with `aborted` at once and writes nothing. Once its first statement has started, the call settles
   * with its own outcome, so a write is never reported as aborted yet applied.
   */
  signal?: AbortSignal | undefined;
}
