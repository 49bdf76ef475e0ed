import type { ServerResponse } from 'node:http';

export interface SseStream {
  /** Writes one event; returns false when the client is gone. */
  send(event: string, data: unknown): boolean;
  end(): void;
  readonly closed: boolean;
}

/**
 * Starts a Server-Sent Events response. A comment line every 15 s keeps proxies from closing an idle stream;
 * events are `event: <type>` + one `data:` JSON line, as EventSource and fetch readers expect.
 */
export function startSse(response: ServerResponse): SseStream {
  response.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-store',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
  });
  response.flushHeaders();
  let closed = false;
  const keepAlive = setInterval(() => response.write(': keep-alive\n\n'), 15_000);
  keepAlive.unref();
  response.on('close', () => {
    closed = true;
    clearInterval(keepAlive);
  });
  return {
    get closed() {
      return closed;
    },
    send(event, data) {
      if (closed) return false;
      return response.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`) || !closed;
    },
    end() {
      clearInterval(keepAlive);
      if (!closed) response.end();
      closed = true;
    },
  };
}
