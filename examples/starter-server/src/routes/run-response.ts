import type { Context } from 'hono';
import { errorBody, jsonResponse, statusForError } from '../http/errors.ts';
import { type SseStream, startSse } from '../http/sse.ts';
import type { RunEvent, StartedRun } from '../runs/run-manager.ts';

/** True when the client asked for Server-Sent Events (`Accept: text/event-stream` or `"stream": true`). */
export function wantsStream(c: Context, body: { stream?: boolean }): boolean {
  return body.stream === true || (c.req.header('accept') ?? '').includes('text/event-stream');
}

/**
 * Answers a run over HTTP: as an SSE stream of its events, or as one JSON document when it ends. The run is
 * started before any byte is written, so a refused run (shutting down, over the limit, unknown agent) is a
 * normal JSON error; it is cancelled when the client disconnects before the end.
 */
export async function respondWithRun(
  c: Context,
  stream: boolean,
  start: (onEvent: (event: RunEvent) => void, signal: AbortSignal) => StartedRun,
): Promise<Response> {
  const clientGone = c.req.raw.signal;
  if (stream) {
    // Events emitted while the run starts (run-start) wait here until the stream is open.
    const early: RunEvent[] = [];
    let sse: SseStream | undefined;
    const run = start((event) => (sse === undefined ? early.push(event) : sse.send(event.type, event)), clientGone);
    const open = startSse(clientGone);
    for (const event of early) open.send(event.type, event);
    sse = open;
    void run.done.then(() => open.end());
    return open.response;
  }
  const run = start(() => {}, clientGone);
  const outcome = await run.done;
  if (outcome.ok) return jsonResponse(200, { runId: run.id, result: outcome.result });
  return jsonResponse(statusForError(outcome.error), { runId: run.id, ...errorBody(outcome.error) });
}
