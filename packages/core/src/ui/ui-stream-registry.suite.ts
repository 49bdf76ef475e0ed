/**
 * The behaviour every UIStreamDriver must show behind a registry. Each driver's test file runs it; `instance()`
 * returns a driver as a second server would see the same store (the memory driver returns itself).
 */
import { describe, expect, it } from 'vitest';
import type { UIMessageChunk } from './ui-message-chunk.js';
import type { UIStreamDriver } from './ui-stream-driver.js';
import { createUIStreamRegistry } from './ui-stream-registry.js';

export interface UIStreamDriverSuiteOptions {
  /** A driver on the shared store; each call is another "instance". Disposed by the caller's hooks. */
  instance(): Promise<UIStreamDriver>;
}

/** A chunk source the test drives by hand; `cancelled` resolves when the registry cancels it. */
export function manualChunks() {
  let controller!: ReadableStreamDefaultController<UIMessageChunk>;
  let onCancel!: () => void;
  const cancelled = new Promise<void>((resolve) => {
    onCancel = resolve;
  });
  const stream = new ReadableStream<UIMessageChunk>({
    start(c) {
      controller = c;
    },
    cancel() {
      onCancel();
    },
  });
  return {
    stream,
    cancelled,
    push: (...chunks: UIMessageChunk[]) => {
      for (const chunk of chunks) controller.enqueue(chunk);
    },
    close: () => controller.close(),
  };
}

const text = (delta: string): UIMessageChunk => ({ type: 'text-delta', id: 't', delta });
const sse = (chunk: UIMessageChunk) => `data: ${JSON.stringify(chunk)}\n\n`;

/** Reads SSE events off a byte stream until `count` have arrived (or the end). */
export async function readEvents(stream: ReadableStream<Uint8Array>, count = Number.POSITIVE_INFINITY) {
  const reader = stream.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  const events: string[] = [];
  while (events.length < count) {
    const { done, value } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let end = buffer.indexOf('\n\n');
    while (end !== -1) {
      events.push(buffer.slice(0, end + 2));
      buffer = buffer.slice(end + 2);
      end = buffer.indexOf('\n\n');
    }
  }
  return { events, reader };
}

export function runUIStreamDriverSuite(name: string, options: UIStreamDriverSuiteOptions): void {
  describe(`UI stream registry on the ${name} driver`, () => {
    const streamId = () => `chat-${Math.random().toString(36).slice(2)}`;

    it('a reader from index 0 gets every event and [DONE]; a late reader from N gets exactly the suffix', async () => {
      const registry = createUIStreamRegistry({ driver: await options.instance() });
      const id = streamId();
      const source = manualChunks();
      const { done } = await registry.start(id, source.stream);
      const first = await registry.resume(id, { from: 0 });
      if (first === undefined) throw new Error('expected an active stream');
      source.push({ type: 'start', messageId: 'm' }, text('a'), text('b'));
      const { events: head, reader } = await readEvents(first, 3);
      expect(head).toEqual([sse({ type: 'start', messageId: 'm' }), sse(text('a')), sse(text('b'))]);
      await reader.cancel(); // the page reloads

      const other = createUIStreamRegistry({ driver: await options.instance() });
      const resumed = await other.resume(id, { from: 2 });
      if (resumed === undefined) throw new Error('expected an active stream');
      source.push(text('c'), { type: 'finish' });
      source.close();
      const { events: tail } = await readEvents(resumed);
      expect(tail).toEqual([sse(text('b')), sse(text('c')), sse({ type: 'finish' }), 'data: [DONE]\n\n']);
      await done;
    });

    it('resume without an index replays an active stream and returns nothing for finished or unknown ones', async () => {
      const registry = createUIStreamRegistry({ driver: await options.instance() });
      const id = streamId();
      expect(await registry.resume(id)).toBeUndefined();
      const source = manualChunks();
      const { done } = await registry.start(id, source.stream);
      source.push(text('x'));
      const replay = await registry.resume(id);
      if (replay === undefined) throw new Error('expected an active stream');
      expect((await readEvents(replay, 1)).events).toEqual([sse(text('x'))]);
      source.close();
      await done;
      expect(await registry.resume(id)).toBeUndefined();
      const late = await registry.resume(id, { from: 1 });
      expect(late && (await readEvents(late)).events).toEqual(['data: [DONE]\n\n']);
    });

    it('cancel from another instance stops the producer and ends the stream with abort', async () => {
      const producer = createUIStreamRegistry({ driver: await options.instance() });
      const other = createUIStreamRegistry({ driver: await options.instance() });
      const id = streamId();
      const source = manualChunks();
      const { done } = await producer.start(id, source.stream);
      source.push(text('a'));
      const watcher = await other.resume(id, { from: 0 });
      if (watcher === undefined) throw new Error('expected an active stream');
      await readEvents(watcher, 1); // 'a' is stored before the cancel goes out
      await other.cancel(id);
      await source.cancelled;
      await done;
      const replay = await other.resume(id, { from: 0 });
      expect(replay && (await readEvents(replay)).events).toEqual([
        sse(text('a')),
        sse({ type: 'abort', reason: 'cancelled' }),
        'data: [DONE]\n\n',
      ]);
    });

    it('refuses a second active stream under the same id', async () => {
      const registry = createUIStreamRegistry({ driver: await options.instance() });
      const id = streamId();
      const source = manualChunks();
      const { done } = await registry.start(id, source.stream);
      await expect(registry.start(id, manualChunks().stream)).rejects.toMatchObject({ code: 'conflict' });
      source.close();
      await done;
      const again = manualChunks();
      const second = await registry.start(id, again.stream);
      again.close();
      await second.done;
    });

    it('cuts an answer at maxEventsPerStream with an error event', async () => {
      const registry = createUIStreamRegistry({ driver: await options.instance(), maxEventsPerStream: 5 });
      const id = streamId();
      const source = manualChunks();
      const { done } = await registry.start(id, source.stream);
      source.push(text('1'), text('2'), text('3'), text('4'), text('5'));
      await source.cancelled;
      await done;
      const replay = await registry.resume(id, { from: 0 });
      const { events } = replay ? await readEvents(replay) : { events: [] };
      expect(events).toHaveLength(5);
      expect(events.slice(3)).toEqual([
        sse({ type: 'error', errorText: '[ui] the answer exceeded 5 stream events and was cut' }),
        'data: [DONE]\n\n',
      ]);
    });
  });
}
