import { AgenticGenError, type ErrorCode, toAgenticGenError } from '@agenticgen/core';
import { HTTPException } from 'hono/http-exception';
import './error-codes.ts';

/** HTTP status for each error code; anything unknown is a 500. */
const statusByCode: Record<string, number> = {
  'invalid-argument': 400,
  'invalid-request': 400,
  'invalid-config': 400,
  'validation-failed': 400,
  'invalid-filter': 400,
  'invalid-json': 400,
  'tool-invalid-arguments': 400,
  authentication: 401,
  'permission-denied': 403,
  'not-found': 404,
  'tool-not-found': 404,
  'route-not-found': 404,
  'method-not-allowed': 405,
  'already-exists': 409,
  conflict: 409,
  'payload-too-large': 413,
  'unsupported-media-type': 415,
  'rate-limit': 429,
  'feature-unavailable': 503,
  'shutting-down': 503,
  unavailable: 503,
  overloaded: 503,
  'queue-full': 503,
  disposed: 503,
  unsupported: 501,
  timeout: 504,
  network: 502,
  server: 502,
};

/** The code for a status a middleware answered with (Hono's `HTTPException`). */
const codeByStatus: Record<number, ErrorCode> = {
  400: 'invalid-request',
  401: 'authentication',
  403: 'permission-denied',
  404: 'route-not-found',
  405: 'method-not-allowed',
  413: 'payload-too-large',
  415: 'unsupported-media-type',
  429: 'rate-limit',
  503: 'unavailable',
};

export function statusForError(error: AgenticGenError): number {
  return statusByCode[error.code] ?? 500;
}

/** Longest message an error response carries: messages may quote input, and error paths never echo it whole. */
const maxMessageLength = 1000;
/** Longest JSON an error's `data` may take; larger (or unserialisable) data is left out. */
const maxDataLength = 8000;

/** The JSON body of every error response: `{ error: { code, message, retryable, data? } }`, bounded in size. */
export function errorBody(error: AgenticGenError): Record<string, unknown> {
  const message =
    error.message.length > maxMessageLength ? `${error.message.slice(0, maxMessageLength)}…` : error.message;
  return {
    error: {
      code: error.code,
      message,
      retryable: error.retryable,
      ...(error.data === undefined ? {} : boundedData(error.data)),
    },
  };
}

function boundedData(data: unknown): { data?: unknown } {
  try {
    const text = JSON.stringify(data);
    return text !== undefined && text.length <= maxDataLength ? { data: JSON.parse(text) as unknown } : {};
  } catch {
    // Cyclic, too deep for the stack, or a BigInt: the message still says what went wrong.
    return {};
  }
}

/** Any thrown value as an AgenticGenError: Hono's HTTP exceptions keep their status as a code. */
export function toHttpError(thrown: unknown): AgenticGenError {
  if (thrown instanceof HTTPException) {
    const code = codeByStatus[thrown.status] ?? (thrown.status >= 500 ? 'internal' : 'invalid-request');
    return new AgenticGenError(code, `[server] ${thrown.message || `request refused with ${thrown.status}`}`);
  }
  return toAgenticGenError(thrown, 'internal', 'server');
}

export function jsonResponse(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers },
  });
}

/** The error response for anything a handler threw; never throws itself. */
export function errorResponse(thrown: unknown, headers: Record<string, string> = {}): Response {
  const error = toHttpError(thrown);
  const status = statusForError(error);
  const extra: Record<string, string> = { ...headers };
  if (status === 401) extra['www-authenticate'] = 'Bearer';
  const retryAfterMs = (error.data as { retryAfterMs?: unknown } | undefined)?.retryAfterMs;
  if (typeof retryAfterMs === 'number') extra['retry-after'] = String(Math.max(1, Math.ceil(retryAfterMs / 1000)));
  return jsonResponse(status, errorBody(error), extra);
}

/** A 503 for a feature whose package is not available in this build. */
export function featureUnavailable(feature: string, detail: string): AgenticGenError {
  return new AgenticGenError('feature-unavailable', `[server] ${feature} is unavailable: ${detail}`, {
    data: { feature },
  });
}
