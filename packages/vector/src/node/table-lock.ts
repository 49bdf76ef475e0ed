import { backoffDelay, delay } from '@agenticgen/core';

/**
 * Serialises writes per table inside this process (keyed by database URI and table name, so two stores
 * on the same table share the queue). Across processes LanceDB's optimistic commits detect conflicts;
 * `withCommitRetry` retries those.
 */
const queues = new Map<string, Promise<unknown>>();

export function withTableLock<T>(key: string, write: () => Promise<T>): Promise<T> {
  const previous = queues.get(key) ?? Promise.resolve();
  const run = previous.then(write, write);
  const tail = run.catch(() => undefined);
  queues.set(key, tail);
  void tail.then(() => {
    if (queues.get(key) === tail) queues.delete(key);
  });
  return run;
}

function isCommitConflict(message: string): boolean {
  // LanceDB words these as "Commit conflict", "Retryable commit conflict", "transaction … conflicts with",
  // "concurrent …": all mean another writer committed first and the operation can be replayed on top.
  return /conflict|retryable|concurrent/i.test(message);
}

/**
 * Retries `operation` while `isRetryable` says its failure message is another process's transient state
 * (core's exponential backoff from 20 ms, capped at 400 ms, with jitter; ten attempts wait 1.1–2.2 s in all).
 */
export async function withBackoffRetry<T>(
  operation: () => Promise<T>,
  isRetryable: (message: string) => boolean,
  attempts = 10,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await operation();
    } catch (error) {
      if (attempt >= attempts || !isRetryable(error instanceof Error ? error.message : String(error))) throw error;
      await delay(backoffDelay(attempt, { initialDelayMs: 20, maxDelayMs: 400 }), undefined, 'vector');
    }
  }
}

/**
 * Retries a write that lost a commit race with another process. Ten attempts ride out several busy writers on
 * a loaded machine; upserts (merge on id) and deletes are idempotent, so a replay never duplicates rows.
 */
export function withCommitRetry<T>(write: () => Promise<T>): Promise<T> {
  return withBackoffRetry(write, isCommitConflict);
}
