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

function isCommitConflict(error: unknown): boolean {
  const message = error instanceof Error ? error.message : String(error);
  // LanceDB words these as "Commit conflict", "Retryable commit conflict", "transaction … conflicts with",
  // "concurrent …": all mean another writer committed first and the operation can be replayed on top.
  return /conflict|retryable|concurrent/i.test(message);
}

/**
 * Retries a write that lost a commit race with another process (exponential backoff with jitter, capped at
 * 400 ms). Ten attempts ride out several busy writers on a loaded machine; upserts (merge on id) and deletes
 * are idempotent, so a replay never duplicates rows.
 */
export async function withCommitRetry<T>(write: () => Promise<T>, attempts = 10): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await write();
    } catch (error) {
      if (attempt >= attempts || !isCommitConflict(error)) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.min(400, 10 * 2 ** attempt) * (0.5 + Math.random())));
    }
  }
}
