/** Reported during long operations: bulk upserts into HNSW, compaction, loading. */
export interface BuildProgressEvent {
  /** What is running. */
  operation: 'upsert' | 'compact' | 'load';
  /** Records processed so far. */
  completed: number;
  /** Records to process in this operation. */
  total: number;
}

/** Events an in-process index emits (noun-verb names). */
export interface IndexEventMap {
  /** Progress of a long build; emitted every few thousand records and once at the end. */
  'build-progress': BuildProgressEvent;
}

export type IndexEventListener<E extends keyof IndexEventMap> = (event: IndexEventMap[E]) => void;

/** A minimal typed emitter; a throwing listener never breaks the index operation. */
export class IndexEvents {
  readonly #listeners = new Map<keyof IndexEventMap, Set<(event: never) => void>>();

  on<E extends keyof IndexEventMap>(event: E, listener: IndexEventListener<E>): () => void {
    let set = this.#listeners.get(event);
    if (set === undefined) {
      set = new Set();
      this.#listeners.set(event, set);
    }
    set.add(listener as (event: never) => void);
    return () => set.delete(listener as (event: never) => void);
  }

  emit<E extends keyof IndexEventMap>(event: E, payload: IndexEventMap[E]): void {
    const set = this.#listeners.get(event);
    if (set === undefined) return;
    for (const listener of set) {
      try {
        (listener as IndexEventListener<E>)(payload);
      } catch {
        // A listener's bug must not leave the index half-updated.
      }
    }
  }
}

/** Lets the event loop run (UI, timers, abort signals) during long synchronous builds. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}
