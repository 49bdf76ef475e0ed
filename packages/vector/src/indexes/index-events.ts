import type { EventListener, EventName, EventsWithError } from '@agenticgen/core';

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

/**
 * A listener of an index event (or of `error`, which reports a listener that threw). Indexes use core's
 * `EventBus`: a failing listener never breaks the index operation and is reported, never swallowed.
 */
export type IndexEventListener<E extends EventName<EventsWithError<IndexEventMap>>> = EventListener<
  EventsWithError<IndexEventMap>[E]
>;

/** Lets the event loop run (UI, timers, abort signals) during long synchronous builds. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}
