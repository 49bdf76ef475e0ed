import { AgenticGenError } from '../errors/agenticgen-error.js';
import type { UIStreamDriver } from './ui-stream-driver.js';

export interface MemoryUIStreamDriverOptions {
  /** Finished streams kept for late readers; the oldest is dropped beyond this (default 100). */
  maxFinishedStreams?: number;
  /** Streams active at once; one more is a `queue-full` error (default 1000). */
  maxActiveStreams?: number;
}

interface MemoryStream {
  events: string[];
  finished: boolean;
  /** Wakes readers waiting for the next event. */
  wake: Set<() => void>;
}

/** Keeps streams in this process: resume works across reconnects to the same instance (single-instance servers, tests). */
export function createMemoryUIStreamDriver(options: MemoryUIStreamDriverOptions = {}): UIStreamDriver {
  const maxFinished = options.maxFinishedStreams ?? 100;
  const maxActive = options.maxActiveStreams ?? 1000;
  const streams = new Map<string, MemoryStream>();
  const finishedOrder: string[] = [];
  const cancelListeners = new Map<string, Set<() => void>>();
  let active = 0;

  const wakeAll = (stream: MemoryStream) => {
    for (const wake of stream.wake) wake();
    stream.wake.clear();
  };

  return {
    name: 'memory',
    async create(streamId) {
      const existing = streams.get(streamId);
      if (existing !== undefined && !existing.finished)
        throw new AgenticGenError(
          'conflict',
          '[ui] a stream with this id is still active; cancel it or wait for it to end',
        );
      if (active >= maxActive)
        throw new AgenticGenError('queue-full', `[ui] ${maxActive} streams are active; the limit is maxActiveStreams`);
      if (existing !== undefined) finishedOrder.splice(finishedOrder.indexOf(streamId), 1);
      streams.set(streamId, { events: [], finished: false, wake: new Set() });
      active += 1;
    },
    async append(streamId, from, events) {
      const stream = streams.get(streamId);
      if (stream === undefined || stream.finished)
        throw new AgenticGenError('not-found', '[ui] append to a stream that is not active');
      if (from !== stream.events.length)
        throw new AgenticGenError('conflict', '[ui] appends to a stream must be in order');
      stream.events.push(...events);
      wakeAll(stream);
    },
    async finish(streamId) {
      const stream = streams.get(streamId);
      if (stream === undefined || stream.finished) return;
      stream.finished = true;
      active -= 1;
      finishedOrder.push(streamId);
      while (finishedOrder.length > maxFinished) streams.delete(finishedOrder.shift() as string);
      wakeAll(stream);
    },
    async state(streamId) {
      const stream = streams.get(streamId);
      if (stream === undefined) return undefined;
      return stream.finished ? 'finished' : 'active';
    },
    async *read(streamId, from, signal) {
      const stream = streams.get(streamId);
      if (stream === undefined) return;
      let index = Math.max(0, from);
      for (;;) {
        if (signal?.aborted) return;
        if (index < stream.events.length) {
          const batch = stream.events.slice(index);
          index += batch.length;
          yield batch;
          continue;
        }
        if (stream.finished || signal?.aborted) return;
        await new Promise<void>((resolve) => {
          const done = () => {
            signal?.removeEventListener('abort', done);
            stream.wake.delete(done);
            resolve();
          };
          stream.wake.add(done);
          signal?.addEventListener('abort', done, { once: true });
        });
      }
    },
    async cancel(streamId) {
      for (const listener of cancelListeners.get(streamId) ?? []) listener();
    },
    async onCancel(streamId, listener) {
      const listeners = cancelListeners.get(streamId) ?? new Set();
      listeners.add(listener);
      cancelListeners.set(streamId, listeners);
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0) cancelListeners.delete(streamId);
      };
    },
  };
}
