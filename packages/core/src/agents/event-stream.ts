import { AgenticGenError } from '../errors/agenticgen-error.js';
import type { AgentEvent, AgentResult } from './types.js';

/** A streamed run: iterate the events; `result` settles when the run ends. Breaking out cancels the run. */
export interface AgentRun<TOutput = unknown> extends AsyncIterable<AgentEvent> {
  /** The outcome (rejects with the run's AgenticGenError). */
  readonly result: Promise<AgentResult<TOutput>>;
}

/**
 * Bridges a push-style run (`launch` calls `emit` for each event) to a pull-style async iterable of its events,
 * what `toUIMessageStream` and `for await` read. `result` settles with what `launch` resolves; a failure of
 * `launch` is thrown by the iterator after the events emitted before it. Closing the iterable before the run
 * ended (`break`, a cancelled response) aborts the `signal` handed to `launch`.
 */
export function streamRun<TResult = AgentResult>(
  launch: (emit: (event: AgentEvent) => void, signal: AbortSignal) => Promise<TResult>,
): AsyncIterable<AgentEvent> & { readonly result: Promise<TResult> } {
  const controller = new AbortController();
  const queue: AgentEvent[] = [];
  let wake: (() => void) | undefined;
  let done = false;
  let failure: unknown;
  const result = (async () =>
    launch((event) => {
      queue.push(event);
      wake?.();
    }, controller.signal))();
  result.then(
    () => {
      done = true;
      wake?.();
    },
    (error: unknown) => {
      failure = error;
      done = true;
      wake?.();
    },
  );
  return {
    result,
    [Symbol.asyncIterator](): AsyncIterator<AgentEvent> {
      return {
        async next(): Promise<IteratorResult<AgentEvent>> {
          for (;;) {
            const event = queue.shift();
            if (event !== undefined) return { done: false, value: event };
            if (done) {
              if (failure !== undefined) {
                const error = failure;
                failure = undefined;
                throw error;
              }
              return { done: true, value: undefined };
            }
            await new Promise<void>((resolve) => {
              wake = resolve;
            });
            wake = undefined;
          }
        },
        async return(): Promise<IteratorResult<AgentEvent>> {
          if (!done)
            controller.abort(
              new AgenticGenError('aborted', '[agents] the event stream was closed before the run ended'),
            );
          return { done: true, value: undefined };
        },
      };
    },
  };
}
