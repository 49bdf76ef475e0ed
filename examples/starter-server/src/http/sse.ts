const encoder = new TextEncoder();

export interface SseStream {
  /** The response to return: `text/event-stream`, never cached or buffered by proxies. */
  readonly response: Response;
  /** Writes one event; returns false when the client is gone. */
  send(event: string, data: unknown): boolean;
  end(): void;
  readonly closed: boolean;
}

/**
 * A Server-Sent Events response over a web `ReadableStream` (any runtime Hono runs on). A comment line every
 * 15 s keeps proxies from closing an idle stream; events are `event: <type>` + one `data:` JSON line, as
 * EventSource and fetch readers expect. The stream closes when the client goes (`signal`) or on `end()`.
 */
export function startSse(signal: AbortSignal): SseStream {
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  let closed = false;
  const close = () => {
    if (closed) return;
    closed = true;
    clearInterval(keepAlive);
    try {
      controller.close();
    } catch {
      // Already cancelled by the client.
    }
  };
  const body = new ReadableStream<Uint8Array>({
    start(streamController) {
      controller = streamController;
    },
    cancel() {
      closed = true;
      clearInterval(keepAlive);
    },
  });
  const write = (text: string) => {
    if (closed) return false;
    try {
      controller.enqueue(encoder.encode(text));
      return true;
    } catch {
      closed = true;
      return false;
    }
  };
  const keepAlive = setInterval(() => write(': keep-alive\n\n'), 15_000);
  keepAlive.unref?.();
  signal.addEventListener('abort', close, { once: true });
  return {
    response: new Response(body, {
      status: 200,
      headers: {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-store',
        'x-accel-buffering': 'no',
      },
    }),
    get closed() {
      return closed;
    },
    send: (event, data) => write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`),
    end: close,
  };
}
