import { AgenticGenError } from '../errors/agenticgen-error.js';
import { createMemoryUIStreamDriver } from './memory-ui-stream-driver.js';
import { encodeUIMessageChunk, type UIMessageChunk, uiMessageStreamDone } from './ui-message-chunk.js';
import type { UIStreamDriver } from './ui-stream-driver.js';

export interface UIStreamRegistryOptions {
  /** Where streams live (default: an in-memory driver, for one instance). */
  driver?: UIStreamDriver;
  /** Events per stream; a longer answer is cut with an `error` chunk (default 100,000). */
  maxEventsPerStream?: number;
}

export interface ResumeOptions {
  /**
   * Index of the first event to send (the number of SSE events the client already has). Without it a finished
   * stream is not replayed (`useChat` asks on every page load and expects nothing when no answer is running).
   */
  from?: number;
  /** Stops reading (the client went away). */
  signal?: AbortSignal;
}

/** Runs UI message streams so that any instance can serve a reconnecting client or cancel the run. */
export interface UIStreamRegistry {
  /** The driver in use. */
  readonly driver: UIStreamDriver;
  /**
   * Starts producing `chunks` into the stream `streamId`, independently of any client: the answer keeps being
   * recorded when the client disconnects. Resolves once the stream exists (read it with `resume(id, { from: 0 })`);
   * `done` settles when the producer has written the last event.
   */
  start(streamId: string, chunks: ReadableStream<UIMessageChunk>): Promise<{ done: Promise<void> }>;
  /** SSE bytes from `from` on, following live events; `undefined` when there is nothing to resume (answer with 204). */
  resume(streamId: string, options?: ResumeOptions): Promise<ReadableStream<Uint8Array> | undefined>;
  /** Cancels the producer of `streamId` wherever it runs; the stream ends with an `abort` chunk. */
  cancel(streamId: string): Promise<void>;
}

export function createUIStreamRegistry(options: UIStreamRegistryOptions = {}): UIStreamRegistry {
  const driver = options.driver ?? createMemoryUIStreamDriver();
  const maxEvents = options.maxEventsPerStream ?? 100_000;
  if (!Number.isInteger(maxEvents) || maxEvents < 3)
    throw new AgenticGenError('invalid-config', '[ui] maxEventsPerStream must be an integer of at least 3');

  /** Copies chunks into the driver; events that arrive while an append is in flight go out in the next batch. */
  async function produce(streamId: string, chunks: ReadableStream<UIMessageChunk>): Promise<void> {
    const reader = chunks.getReader();
    let cancelled = false;
    const unsubscribe = await driver.onCancel(streamId, () => {
      cancelled = true;
      void reader.cancel().catch(() => undefined);
    });
    let written = 0;
    let pending: string[] = [];
    let flushing: Promise<void> = Promise.resolve();
    let failure: { error: unknown } | undefined;
    const flush = () => {
      if (pending.length === 0) return flushing;
      const batch = pending;
      const from = written;
      written += batch.length;
      pending = [];
      flushing = flushing.then(() => driver.append(streamId, from, batch));
      // A store that cannot take events stops the answer: nobody could ever read the rest of it.
      flushing.catch((error: unknown) => {
        failure ??= { error };
        void reader.cancel().catch(() => undefined);
      });
      return flushing;
    };
    try {
      let last: UIMessageChunk | undefined;
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        // Two events stay free for the closing error and [DONE].
        if (written + pending.length >= maxEvents - 2) {
          void reader.cancel().catch(() => undefined);
          last = { type: 'error', errorText: `[ui] the answer exceeded ${maxEvents} stream events and was cut` };
          pending.push(encodeUIMessageChunk(last));
          break;
        }
        last = value;
        pending.push(encodeUIMessageChunk(value));
        if (written === 0 || pending.length >= 64) void flush();
        else queueMicrotask(() => void flush());
      }
      if (cancelled && last?.type !== 'abort')
        pending.push(encodeUIMessageChunk({ type: 'abort', reason: 'cancelled' }));
      if (failure !== undefined) throw failure.error;
      pending.push(uiMessageStreamDone);
      await flush();
    } finally {
      unsubscribe();
      await driver.finish(streamId);
    }
  }

  return {
    driver,
    async start(streamId, chunks) {
      await driver.create(streamId);
      const done = produce(streamId, chunks);
      // The producer's own failures are driver failures; readers then end where the stream stopped.
      done.catch(() => undefined);
      return { done };
    },
    async resume(streamId, resumeOptions = {}) {
      const state = await driver.state(streamId);
      if (state === undefined) return undefined;
      if (state === 'finished' && resumeOptions.from === undefined) return undefined;
      const from = resumeOptions.from ?? 0;
      if (!Number.isInteger(from) || from < 0)
        throw new AgenticGenError('invalid-argument', '[ui] resume from must be a non-negative integer');
      // Cancelling must wake a reader parked on "no new event yet", so reading gets its own abort signal.
      const stop = new AbortController();
      const signal =
        resumeOptions.signal === undefined ? stop.signal : AbortSignal.any([stop.signal, resumeOptions.signal]);
      const events = driver.read(streamId, from, signal)[Symbol.asyncIterator]();
      const encoder = new TextEncoder();
      return new ReadableStream<Uint8Array>({
        async pull(controller) {
          const next = await events.next();
          if (next.done) {
            if (!stop.signal.aborted) controller.close();
          } else controller.enqueue(encoder.encode(next.value.join('')));
        },
        cancel() {
          stop.abort();
          void events.return?.().catch(() => undefined);
        },
      });
    },
    cancel: (streamId) => driver.cancel(streamId),
  };
}
