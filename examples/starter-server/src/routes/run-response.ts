import type { IncomingMessage, ServerResponse } from 'node:http';
import { errorBody, sendJson, statusForError } from '../http/errors.ts';
import { type SseStream, startSse } from '../http/sse.ts';
import type { RunEvent, StartedRun } from '../runs/run-manager.ts';

/** True when the client asked for Server-Sent Events (`Accept: text/event-stream` or `"stream": true`). */
export function wantsStream(request: IncomingMessage, body: { stream?: boolean }): boolean {
  return body.stream === true || (request.headers.accept ?? '').includes('text/event-stream');
}

/**
 * Answers a run over HTTP: as an SSE stream of its events, or as one JSON document when it ends. The run is
 * started before any byte is written, so a refused run (shutting down, invalid agent) is a normal JSON error;
 * it is cancelled when the client disconnects before the end.
 */
export async function respondWithRun(
  response: ServerResponse,
  stream: boolean,
  start: (onEvent: (event: RunEvent) => void, signal: AbortSignal) => StartedRun,
): Promise<void> {
  const controller = new AbortController();
  response.on('close', () => {
    if (!response.writableFinished) controller.abort();
  });
  if (stream) {
    // Events emitted while the run starts (run-start) wait here until the stream is open.
    const early: RunEvent[] = [];
    let sse: SseStream | undefined;
    const run = start(
      (event) => (sse === undefined ? early.push(event) : sse.send(event.type, event)),
      controller.signal,
    );
    const open = startSse(response);
    for (const event of early) open.send(event.type, event);
    sse = open;
    await run.done;
    open.end();
    return;
  }
  const run = start(() => {}, controller.signal);
  const outcome = await run.done;
  if (outcome.ok) sendJson(response, 200, { runId: run.id, result: outcome.result });
  else sendJson(response, statusForError(outcome.error), { runId: run.id, ...errorBody(outcome.error) });
}
