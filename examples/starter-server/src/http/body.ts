import { AgenticGenError, type Validator } from '@agenticgen/core';
import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { validator } from 'hono/validator';
import { jsonDepthExceeds } from '../limits/json-depth.ts';

/** Hono's body limit: a declared length above the limit is refused unread, a chunked body is cut at the limit. */
export function limitBody(limitBytes: number): MiddlewareHandler {
  return bodyLimit({
    maxSize: limitBytes,
    onError: () => {
      throw new AgenticGenError(
        'payload-too-large',
        `[server] request body too large: limit is ${limitBytes} bytes; send a smaller body`,
        { data: { limitBytes } },
      );
    },
  });
}

/** The media type of the request without parameters, lower-cased (`application/json`). */
export function mediaType(c: Context): string {
  return (c.req.header('content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}

/**
 * Body limit, media type, nesting depth and JSON syntax, checked in that order before Hono's validator runs the
 * schema: every failure is a 4xx AgenticGenError whose message does not quote the body.
 */
export function jsonBody<T>(
  schema: Validator<T>,
  what: string,
  limits: { bytes: number; depth: number },
): [MiddlewareHandler, MiddlewareHandler, MiddlewareHandler] {
  const preflight: MiddlewareHandler = async (c, next) => {
    requireJson(c);
    parseJson(await c.req.text(), what, limits.depth);
    await next();
  };
  const validate = validator('json', (value) => schema.parse(value, { scope: 'server', what }));
  return [limitBody(limits.bytes), preflight, validate as MiddlewareHandler];
}

/** Throws `unsupported-media-type` unless the request declares JSON. */
export function requireJson(c: Context): void {
  const type = mediaType(c);
  if (type !== 'application/json') {
    throw new AgenticGenError(
      'unsupported-media-type',
      `[server] expected Content-Type application/json, got ${JSON.stringify((type || '(none)').slice(0, 100))}`,
    );
  }
}

/** JSON text to a value, refusing nesting deeper than `maxDepth` before parsing; errors never quote the text. */
export function parseJson(text: string, what: string, maxDepth: number): unknown {
  if (jsonDepthExceeds(text, maxDepth)) {
    throw new AgenticGenError('invalid-json', `[server] the ${what} nests deeper than ${maxDepth} levels; flatten it`, {
      data: { maxDepth },
    });
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new AgenticGenError(
      'invalid-json',
      `[server] the ${what} is not valid JSON: ${(error as Error).message.slice(0, 200)}`,
    );
  }
}

/** The raw body as bytes (after `limitBody`). */
export async function readBytes(c: Context): Promise<Uint8Array> {
  return new Uint8Array(await c.req.arrayBuffer());
}

/** The body `jsonBody(schema, …)` validated, typed by its schema. */
export function validBody<T>(c: Context, _schema: Validator<T>): T {
  return (c.req.valid as (target: 'json') => unknown)('json') as T;
}
