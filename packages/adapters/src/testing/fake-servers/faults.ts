import type { ServerResponse } from 'node:http';
import {
  delay,
  fixtures,
  type ScenarioRequest,
  sendJson,
  startSse,
  waitForClose,
  writeAndWait,
  writeEvents,
  writeSplit,
} from './fake-http.ts';

/** An HTTP error as a provider sends it. */
export interface ErrorReply {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

/** The provider-specific shapes the fault scenarios need. */
export interface ProviderFaultShapes {
  /** The error reply for a fault kind. */
  error(
    kind: 'unauthorized' | 'forbidden' | 'rate-limit' | 'server' | 'overloaded' | 'context-length' | 'bad-request',
  ): ErrorReply;
  /** A truncated-JSON event in the provider's framing (default: an unnamed `data:` line). */
  malformedEvent?(): string;
  /** An in-stream error event (provider overloaded mid-stream), or undefined if the provider has none. */
  streamErrorEvent?(): string;
  /** A well-formed event whose JSON has the wrong shape for the provider (default: Chat Completions chunk). */
  wrongShapeEvent?(): string;
}

/**
 * Answers the HTTP-level fault scenarios. Returns true when the request was answered (so the caller stops).
 * `slow` waits before the first byte and then lets the caller answer normally.
 */
export async function answerHttpFault(
  request: ScenarioRequest,
  response: ServerResponse,
  shapes: ProviderFaultShapes,
): Promise<boolean> {
  const reply = (kind: Parameters<ProviderFaultShapes['error']>[0]) => {
    const error = shapes.error(kind);
    sendJson(response, error.status, error.body, error.headers);
    return true;
  };
  switch (request.scenario) {
    case 'unauthorized':
      return reply('unauthorized');
    case 'forbidden':
      return reply('forbidden');
    case 'rate-limit':
      return reply('rate-limit');
    case 'rate-limit-once':
      return request.attempt === 1 ? reply('rate-limit') : false;
    case 'server-error':
      return reply('server');
    case 'server-error-once':
      return request.attempt === 1 ? reply('server') : false;
    case 'overloaded':
      return reply('overloaded');
    case 'overloaded-retry-after-once':
    case 'overloaded-retry-date-once': {
      if (request.attempt !== 1) return false;
      const error = shapes.error('overloaded');
      // An HTTP date has whole seconds, so the client's wait lands between 4 and 5 s.
      const retryAfter =
        request.scenario === 'overloaded-retry-after-once' ? '1' : new Date(Date.now() + 5000).toUTCString();
      sendJson(response, error.status, error.body, { ...error.headers, 'retry-after': retryAfter });
      return true;
    }
    case 'context-length':
      return reply('context-length');
    case 'bad-request':
      return reply('bad-request');
    case 'slow':
      await Promise.race([delay(fixtures.slowFirstByteMs), waitForClose(response, fixtures.slowFirstByteMs)]);
      return response.destroyed;
    default:
      return false;
  }
}

/** Writes a complete non-streamed JSON answer, or its broken variants. */
export async function answerJson(request: ScenarioRequest, response: ServerResponse, value: unknown): Promise<void> {
  switch (request.scenario) {
    case 'malformed':
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end('{"id": "broken", "choices": [');
      return;
    case 'empty-object':
      sendJson(response, 200, {});
      return;
    case 'wrong-shape':
      // Valid JSON whose list fields are strings: every provider's answer list is unreadable.
      sendJson(response, 200, {
        id: 'wrong',
        model: 'wrong',
        content: 'not a list',
        output: 'not a list',
        choices: 'not a list',
        candidates: 'not a list',
      });
      return;
    case 'cut':
      response.writeHead(200, { 'content-type': 'application/json' });
      await writeAndWait(response, '{"id": "cut",');
      response.destroy();
      return;
    case 'hang':
      response.writeHead(200, { 'content-type': 'application/json' });
      await waitForClose(response, fixtures.hangMs);
      if (!response.destroyed) response.end(JSON.stringify(value));
      return;
    default:
      sendJson(response, 200, value);
  }
}

/**
 * Writes an SSE answer. Fault scenarios take the events up to the first one carrying answer text, then
 * break the stream in their own way; the others are written in 7-byte slices (or batched for `many`).
 */
export async function answerSse(
  request: ScenarioRequest,
  response: ServerResponse,
  events: string[],
  shapes: ProviderFaultShapes,
): Promise<void> {
  startSse(response);
  // `json-cut` stops inside a JSON answer, after `{"name":"Ada",`; the other faults after the first text chunk.
  const marker =
    request.scenario === 'json-cut' ? JSON.stringify(fixtures.jsonChunks[1]).slice(1, -1) : fixtures.textChunks[0];
  const firstText = events.findIndex((event) => event.includes(marker));
  const prefix = events.slice(0, firstText < 0 ? 2 : firstText + 1).join('');
  switch (request.scenario) {
    case 'malformed':
      await writeSplit(
        response,
        `${prefix}${shapes.malformedEvent?.() ?? 'data: {"choices": [{"delta": {"content": "oops"\n\n'}`,
      );
      response.end();
      return;
    case 'cut':
    case 'json-cut':
      await writeSplit(response, prefix);
      response.destroy();
      return;
    case 'hang':
      await writeSplit(response, prefix);
      await waitForClose(response, fixtures.hangMs);
      if (!response.destroyed) response.end();
      return;
    case 'error-event':
      await writeSplit(response, `${prefix}${shapes.streamErrorEvent?.() ?? ''}`);
      response.end();
      return;
    case 'wrong-shape':
      await writeSplit(response, shapes.wrongShapeEvent?.() ?? 'data: {"id":"wrong","choices":"not a list"}\n\n');
      response.end();
      return;
    case 'error-before-content':
    case 'error-before-content-once': {
      if (request.scenario === 'error-before-content-once' && request.attempt > 1) break;
      // Only the events before the first one carrying content (e.g. Anthropic's message_start), then the error.
      const contentless = events.slice(0, Math.max(0, firstText)).join('');
      await writeSplit(response, `${contentless}${shapes.streamErrorEvent?.() ?? ''}`);
      response.end();
      return;
    }
    case 'many':
      await writeEvents(response, events);
      response.end();
      return;
    default:
      break;
  }
  await writeSplit(response, events.join(''));
  response.end();
}

/** A deterministic pseudo-embedding of a text (same text, same vector), unit length. */
export function fakeEmbedding(text: string, dimensions: number): number[] {
  let seed = 2166136261;
  for (let index = 0; index < text.length; index++) seed = Math.imul(seed ^ text.charCodeAt(index), 16777619);
  const values: number[] = [];
  for (let index = 0; index < dimensions; index++) {
    seed = Math.imul(seed ^ (seed >>> 15), 2246822507) >>> 0;
    values.push((seed % 2000) / 1000 - 1);
  }
  const norm = Math.hypot(...values) || 1;
  return values.map((value) => Math.fround(value / norm));
}
