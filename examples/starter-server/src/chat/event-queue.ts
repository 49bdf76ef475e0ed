import type { AgentEvent } from '@agenticgen/core';

/**
 * A push-style run (`onEvent`) as the pull-style event iterable `toUIMessageStream` reads. Closing the iterable
 * early (the answer was cancelled) calls `onClose`, which aborts the run.
 */
export function agentEventIterable(
  launch: (emit: (event: AgentEvent) => void) => Promise<unknown>,
  onClose: () => void,
): AsyncIterable<AgentEvent> {
  const queue: AgentEvent[] = [];
  let wake: (() => void) | undefined;
  let done = false;
  let failure: { error: unknown } | undefined;
  launch((event) => {
    queue.push(event);
    wake?.();
  }).then(
    () => {
      done = true;
      wake?.();
    },
    (error: unknown) => {
      failure = { error };
      done = true;
      wake?.();
    },
  );
  return {
    [Symbol.asyncIterator]: () => ({
      async next(): Promise<IteratorResult<AgentEvent>> {
        for (;;) {
          const event = queue.shift();
          if (event !== undefined) return { done: false, value: event };
          if (done) {
            if (failure !== undefined) {
              const { error } = failure;
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
        if (!done) onClose();
        return { done: true, value: undefined };
      },
    }),
  };
}
