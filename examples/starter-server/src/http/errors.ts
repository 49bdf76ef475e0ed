import type { ServerResponse } from 'node:http';
import { AgenticGenError, toAgenticGenError } from '@agenticgen/core';

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
  overloaded: 503,
  'queue-full': 503,
  disposed: 503,
  unsupported: 501,
  timeout: 504,
  network: 502,
  server: 502,
};

export function statusForError(error: AgenticGenError): number {
  return statusByCode[error.code] ?? 500;
}

/** The JSON body of every error response: `{ error: { code, message, retryable, data? } }`. */
export function errorBody(error: AgenticGenError): Record<string, unknown> {
  return {
    error: {
      code: error.code,
      message: error.message,
      retryable: error.retryable,
      ...(error.data === undefined ? {} : { data: error.data }),
    },
  };
}

export function sendError(response: ServerResponse, thrown: unknown): AgenticGenError {
  const error = toAgenticGenError(thrown, 'internal', 'server');
  if (response.headersSent) {
    response.destroy();
    return error;
  }
  const status = statusForError(error);
  sendJson(response, status, errorBody(error), status === 405 ? {} : {});
  return error;
}

export function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
    ...headers,
  });
  response.end(text);
}

/** A 503 for a feature whose package is not available in this build. */
export function featureUnavailable(feature: string, detail: string): AgenticGenError {
  return new AgenticGenError('feature-unavailable', `[server] ${feature} is unavailable: ${detail}`, {
    data: { feature },
  });
}
