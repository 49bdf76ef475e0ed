import { AsyncLocalStorage } from 'node:async_hooks';
import { describe, expect, it } from 'vitest';
import { useInMemoryTracing } from '../../../../test-support/otel-async-context.js';
import { withSpan } from '../telemetry/with-span.js';
import { createScheduler } from './scheduler.js';

const exporter = useInMemoryTracing();

function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { opened, open };
}

describe('scheduler async context', () => {
  it('a task sees the AsyncLocalStorage values of the code that scheduled it, not of the code that started it', async () => {
    const request = new AsyncLocalStorage<string>();
    const scheduler = createScheduler({ concurrency: 1 });
    const blocker = gate();
    // The first task holds the only slot; the second starts later, from the first one's completion.
    request.run('request-a', () => scheduler.schedule({ run: () => blocker.opened }));
    const seen = request.run('request-b', () =>
      scheduler.run({ run: async () => [request.getStore(), await Promise.resolve().then(() => request.getStore())] }),
    );
    const retried = request.run('request-c', () =>
      scheduler.run({
        retries: 1,
        backoff: { initialDelayMs: 1, jitter: false },
        run: (_input, taskContext) => {
          if (taskContext.attempt === 1) throw new Error('transient');
          return request.getStore();
        },
      }),
    );
    request.run('request-d', () => blocker.open());
    expect(await seen).toEqual(['request-b', 'request-b']);
    // A retry starts from a timer: it still runs in its scheduler's context.
    expect(await retried).toBe('request-c');
  });

  it('spans opened inside a task nest under the span that scheduled it', async () => {
    exporter.reset();
    const scheduler = createScheduler({ concurrency: 1 });
    const blocker = gate();
    const first = withSpan('handle request 1', {}, () =>
      scheduler.run({ run: () => withSpan('task 1', {}, () => blocker.opened) }),
    );
    const second = withSpan('handle request 2', {}, () =>
      scheduler.run({ run: () => withSpan('task 2', {}, () => 2) }),
    );
    blocker.open();
    await Promise.all([first, second]);
    const spans = exporter.getFinishedSpans();
    const byName = (name: string) => spans.find((span) => span.name === name);
    expect(byName('task 1')?.parentSpanContext?.spanId).toBe(byName('handle request 1')?.spanContext().spanId);
    expect(byName('task 2')?.parentSpanContext?.spanId).toBe(byName('handle request 2')?.spanContext().spanId);
    expect(byName('task 2')?.spanContext().traceId).toBe(byName('handle request 2')?.spanContext().traceId);
  });
});
